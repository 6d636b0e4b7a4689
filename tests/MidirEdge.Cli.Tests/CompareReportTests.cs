using System.Text.Json;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>`midir-edge model compare --report`: the HTML page and the JSON of every number, run as a user runs it.</summary>
public sealed class CompareReportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("midir-report-").FullName;

    /// <summary>Removes the temporary files.</summary>
    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// On two pipelines (one spectral, one scattering) and two learners the page has the four sections with embedded plots
    /// and nothing fetched from the network, and the JSON holds every candidate, both learning curves, the paired
    /// comparison and the importances over wavenumber and scattering path.
    /// </summary>
    [Fact]
    public async Task The_report_answers_the_four_questions_in_html_and_json()
    {
        var html = Path.Combine(_directory, "report.html");

        var (code, stdout, stderr) = await CliProcess.RunAsync("model", "compare", "--data", Fixtures.Path("data/yamsys/yamsys_dev.csv.gz"),
            "--target", "C", "--group", "sample_id", "--pipeline", "snv", "--pipeline", "scat", "--learner", "pls", "--learner", "gpr", "--repeats", "2",
            "--report", html);

        Assert.True(code == 0, stderr);
        Assert.Contains("report.json", stdout);
        var page = await File.ReadAllTextAsync(html);
        foreach (var section in new[] { "prediction-power", "small-data", "reproducibility", "interpretability" })
            Assert.Contains($"<h2 id=\"{section}\">", page, StringComparison.Ordinal);
        Assert.True(page.Split("<svg").Length - 1 >= 4, "the page embeds its plots as SVG");
        Assert.Contains("data:image/png;base64,", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", page, StringComparison.OrdinalIgnoreCase);

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_directory, "report.json")));
        var root = json.RootElement;
        Assert.Equal("C", root.GetProperty("target").GetString());
        var candidates = root.GetProperty("candidates").EnumerateArray().ToArray();
        // 2 pipelines × 2 learners, the best three on ln(1 + y), and their stacked ensemble when it weighs two or more.
        Assert.Equal(4, candidates.Count(c => c.GetProperty("transform").GetString() == "none" && c.GetProperty("learner").GetString() != "stack"));
        Assert.Equal(3, candidates.Count(c => c.GetProperty("transform").GetString() == "log1p"));
        Assert.InRange(candidates.Count(c => c.GetProperty("learner").GetString() == "stack"), 0, 1);
        foreach (var c in candidates)
        {
            foreach (var statistic in new[] { "rmse", "r2", "rpiq", "ccc" })
                Assert.True(c.GetProperty(statistic).GetProperty("sd").GetDouble() >= 0);
            Assert.Equal(2, c.GetProperty("repeatRmse").GetArrayLength());
        }
        var curves = root.GetProperty("curves").EnumerateArray().ToArray();
        Assert.Equal(2, curves.Length);
        Assert.All(curves, c => Assert.Equal(c.GetProperty("soils").GetArrayLength(), c.GetProperty("rmse").GetArrayLength()));
        var paired = root.GetProperty("paired");
        Assert.Contains("pls", paired.GetProperty("pls").GetString());
        Assert.Contains("gpr", paired.GetProperty("hybrid").GetString());
        Assert.Contains(paired.GetProperty("statement").GetString()!, page);
        var spectral = root.GetProperty("spectral");
        Assert.Equal(spectral.GetProperty("wavenumber").GetArrayLength(), spectral.GetProperty("vip").GetArrayLength());
        Assert.Equal(spectral.GetProperty("wavenumber").GetArrayLength(), spectral.GetProperty("coefficients").GetArrayLength());
        Assert.Equal("scat pls", root.GetProperty("scatteringCandidate").GetString());
        Assert.True(root.GetProperty("paths").GetArrayLength() > 10);
    }

    /// <summary>Without --report the table names every row's learner and marks the row fitted on ln(1 + y); --repeats defaults to 5.</summary>
    [Fact]
    public async Task The_table_marks_the_log1p_row()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync("model", "compare", "--data", Fixtures.Path("data/yamsys/yamsys_dev.csv.gz"),
            "--target", "C", "--group", "sample_id", "--pipeline", "snv", "--learner", "pls");

        Assert.True(code == 0, stderr);
        Assert.Contains("log1p", stdout, StringComparison.Ordinal);
        Assert.Contains("5 × 5-fold grouped CV", stdout, StringComparison.Ordinal);
        Assert.Matches(@"Best: snv pls( log1p)? \(", stdout);
    }
}
