using System.Globalization;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>`midir-edge predict` and `model` commands, run as a user runs them.</summary>
public sealed class ModelCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("midir-model-").FullName;

    /// <summary>Removes the temporary files.</summary>
    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Predicting an OPUS file with the demo C model prints the documented CSV and the bundle's own prediction.</summary>
    [Fact]
    public async Task Predict_an_opus_file_with_the_demo_model()
    {
        var model = Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip");
        var file = Fixtures.Path("data/opus/BF_lo_01_soil_cal.1");

        var (code, stdout, stderr) = await CliProcess.RunAsync("predict", "--model", model, "--input", file);

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,C,C_lower,C_upper,C_quality,in_domain,error", lines[0]);
        var fields = lines[1].Split(',');
        Assert.Equal("BF_lo_01_soil_cal.1", fields[0]);
        Assert.Equal("quantitative", fields[4]);
        Assert.Equal("true", fields[5]);
        using var bundle = ModelBundle.Load(model);
        var expected = bundle.Predict(OpusReader.Read(File.ReadAllBytes(file), file).FindData("ab")!.Spectrum)[0].Value;
        Assert.Equal(expected, double.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Building a bundle from the yamsys table and predicting the table back gives one row per spectrum.</summary>
    [Fact]
    public async Task Build_then_predict_a_table()
    {
        var data = Fixtures.Path("data/yamsys/yamsys_dev.csv.gz");
        var bundle = Path.Combine(_directory, "n.zip");
        var output = Path.Combine(_directory, "predictions.csv");

        var build = await CliProcess.RunAsync("model", "build", "--data", data, "--target", "N", "--group", "sample_id", "--pipeline", "snv", "--out", bundle);
        Assert.True(build.ExitCode == 0, build.Stderr);
        var predict = await CliProcess.RunAsync("predict", "--model", bundle, "--input", data, "--id", "sample_id", "--output", output);
        Assert.True(predict.ExitCode == 0, predict.Stderr);

        var lines = File.ReadAllLines(output);
        Assert.Equal("id,N,N_lower,N_upper,N_quality,in_domain,error", lines[0]);
        Assert.Equal(225, lines.Length);
        Assert.StartsWith("BF_lo_01_soil_cal,", lines[1]);
    }

    /// <summary>
    /// A model below the skill thresholds (ex_K on these soils) is refused with one line naming its statistics and the
    /// thresholds, exit 1 and no bundle; with --allow-weak it is written and its predictions are flagged indicative.
    /// </summary>
    [Fact]
    public async Task A_weak_model_is_built_only_with_allow_weak()
    {
        var data = Fixtures.Path("data/yamsys/yamsys_dev.csv.gz");
        var bundle = Path.Combine(_directory, "k.zip");
        string[] build = ["model", "build", "--data", data, "--target", "ex_K", "--group", "sample_id", "--pipeline", "snv", "--learner", "pls", "--out", bundle];

        var refused = await CliProcess.RunAsync(build);

        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("midir-edge model build: ex_K: ", line, StringComparison.Ordinal);
        foreach (var part in new[] { "R² 0.", "RPIQ ", "R² ≥ 0.5", "RPIQ ≥ 1.5", "--allow-weak" }) Assert.Contains(part, line, StringComparison.Ordinal);
        Assert.False(File.Exists(bundle));

        var allowed = await CliProcess.RunAsync([.. build, "--allow-weak"]);

        Assert.True(allowed.ExitCode == 0, allowed.Stderr);
        using var written = ModelBundle.Load(bundle);
        Assert.Equal(MidirEdge.Models.Prediction.PredictionQuality.Indicative, written.Manifest.Models[0].Quality);
        Assert.Equal("pls", written.Manifest.Models[0].Training!.Learner);
    }

    /// <summary>Evaluate prints the statistics table and writes the plot.</summary>
    [Fact]
    public async Task Evaluate_writes_statistics_and_a_plot()
    {
        var plot = Path.Combine(_directory, "ovp.png");
        var (code, stdout, stderr) = await CliProcess.RunAsync("model", "evaluate", "--model", Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"),
            "--data", Fixtures.Path("data/yamsys/yamsys_dev.csv.gz"), "--plot", plot);
        Assert.True(code == 0, stderr);
        Assert.Contains("RMSE", stdout);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(plot).Take(4));
    }

    /// <summary>
    /// A table whose spectra stop at 2000 cm⁻¹, short of the demo grid, gives one clear line naming the refusal and exit 1
    /// (the rows are predicted in parallel, which once surfaced as an AggregateException trace).
    /// </summary>
    [Fact]
    public async Task A_table_outside_the_model_range_is_a_clear_error()
    {
        var table = Path.Combine(_directory, "short.csv");
        var rows = MidirEdge.Spectra.Formats.Csv.CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv");
        var keep = Enumerable.Range(0, rows.X.Length).Where(i => rows.X[i] <= 2000).ToArray();
        File.WriteAllLines(table, [
            "id," + string.Join(',', keep.Select(i => rows.X[i].ToString("R", CultureInfo.InvariantCulture))),
            .. Enumerable.Range(0, 3).Select(r => $"s{r}," + string.Join(',', keep.Select(i => rows.Values[r][i].ToString("R", CultureInfo.InvariantCulture)))),
        ]);

        var (code, _, stderr) = await CliProcess.RunAsync("predict", "--model", Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), "--input", table);

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("midir-edge predict: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("AggregateException", line, StringComparison.Ordinal);
    }

    /// <summary>A model file that is not a bundle gives one clear line and exit 1.</summary>
    [Fact]
    public async Task A_broken_bundle_is_a_clear_error()
    {
        var broken = Path.Combine(_directory, "broken.zip");
        File.WriteAllText(broken, "not a zip");
        var (code, _, stderr) = await CliProcess.RunAsync("predict", "--model", broken, "--input", Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"));
        Assert.Equal(1, code);
        Assert.StartsWith($"midir-edge predict: {broken}: not a readable bundle archive", stderr.Trim());
    }
}
