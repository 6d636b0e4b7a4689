using System.Globalization;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>
/// `midir-edge predict` on batches, as a data scientist runs it: folders and globs of bundles and of instrument files, one row
/// per input spectrum, an <c>error</c> column for the inputs that cannot be predicted, and an exit code that fails only when
/// nothing could be predicted (or any input could not, with --strict).
/// </summary>
public sealed class PredictCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("predict");
    private readonly string _spectra;

    /// <summary>A folder with two real OPUS files and one that is not a spectrum.</summary>
    public PredictCommandTests()
    {
        _spectra = Path.Combine(_dir.Path, "spectra");
        Directory.CreateDirectory(_spectra);
        foreach (var name in new[] { "BF_lo_01_soil_cal.1", "issue81_A1.1.0" })
            File.Copy(Fixtures.Path($"data/opus/{name}"), Path.Combine(_spectra, name));
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-N.zip"), Path.Combine(_spectra, "not-a-spectrum.0"));
    }

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Every bundle of the demo folder on every file of a folder: a column group per target, values as the library predicts
    /// them, and the bad file's row carrying its reason; exit 0 with one line saying how many failed.
    /// </summary>
    [Fact]
    public async Task A_folder_of_bundles_on_a_folder_of_files()
    {
        var output = Path.Combine(_dir.Path, "out.csv");
        var (code, _, stderr) = await CliProcess.RunAsync("predict", "--model", Fixtures.RepositoryPath("demo/models"), "--input", _spectra, "--output", output);

        Assert.True(code == 0, stderr);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("midir-edge predict: 1 of 3 inputs could not be predicted (see the error column); the first: ", line);
        var rows = Csv(output);
        var header = rows[0];
        Assert.Equal(["id", "C", "C_lower", "C_upper", "C_quality"], header[..5]);
        Assert.Equal(1 + 7 * 4 + 2, header.Length);
        Assert.Equal(["in_domain", "error"], header[^2..]);
        Assert.Equal(["BF_lo_01_soil_cal.1", "issue81_A1.1.0", "not-a-spectrum.0"], rows.Skip(1).Select(r => r[0]));

        var bad = rows[3];
        Assert.All(bad[1..^1], cell => Assert.Equal("", cell));
        Assert.Equal($"{Path.Combine(_spectra, "not-a-spectrum.0")}: not an OPUS, JCAMP-DX or CSV file: looks like a zip archive (a model bundle, or an Excel workbook: save it as CSV)", bad[^1]);

        var good = rows[1];
        Assert.Equal("", good[^1]);
        using var carbon = ModelBundle.Load(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"));
        var file = Path.Combine(_spectra, "BF_lo_01_soil_cal.1");
        var expected = carbon.Predict(OpusReader.Read(File.ReadAllBytes(file), file).FindData("ab")!.Spectrum)[0];
        Assert.Equal(expected.Value, double.Parse(good[1], CultureInfo.InvariantCulture));
        Assert.Equal(expected.Interval!.Lower, double.Parse(good[2], CultureInfo.InvariantCulture));
    }

    /// <summary>Quoted globs pick bundles and files; with --strict the one bad file fails the command, but the rows are still written.</summary>
    [Fact]
    public async Task Globs_and_strict()
    {
        var output = Path.Combine(_dir.Path, "out.csv");
        var (code, _, stderr) = await CliProcess.RunAsync("predict", "--model", Fixtures.RepositoryPath("demo/models") + "/demo-yamsys-C*.zip",
            "--input", _spectra + "/*.0", "--output", output, "--strict");

        Assert.Equal(1, code);
        Assert.StartsWith("midir-edge predict: 1 of 2 inputs could not be predicted", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var rows = Csv(output);
        Assert.Equal(["id", "C", "C_lower", "C_upper", "C_quality", "CEC_eff", "CEC_eff_lower", "CEC_eff_upper", "CEC_eff_quality", "in_domain", "error"], rows[0]);
        Assert.Equal(["issue81_A1.1.0", "not-a-spectrum.0"], rows.Skip(1).Select(r => r[0]));
        Assert.Equal("", rows[1][^1]);
        Assert.Equal("false", rows[1][^2]); // a spectrum far from the soils the models know: predicted, but flagged
        Assert.NotEqual("", rows[2][^1]);
    }

    /// <summary>When no input can be predicted, the command fails with the reason in one line.</summary>
    [Fact]
    public async Task Nothing_predicted_fails()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync("predict", "--model", Fixtures.RepositoryPath("demo/models/demo-yamsys-N.zip"),
            "--input", Path.Combine(_spectra, "not-a-spectrum.0"));

        Assert.Equal(1, code);
        Assert.Equal($"midir-edge predict: {Path.Combine(_spectra, "not-a-spectrum.0")}: not an OPUS, JCAMP-DX or CSV file: looks like a zip archive (a model bundle, or an Excel workbook: save it as CSV)",
            stderr.Trim());
        Assert.StartsWith("id,N,", stdout);
    }

    // Cells of a CSV written by predict; the error column is quoted when it holds a comma.
    private static string[][] Csv(string path) => [.. File.ReadAllLines(path).Select(Split)];

    private static string[] Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }
}
