using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>`midir-edge plot`, run as a user runs it, on real instrument files.</summary>
public sealed class PlotCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("plot");

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    /// <summary>Several files overlaid in one SVG: the axes carry their units and the legend names each file.</summary>
    [Fact]
    public async Task Spectrum_overlays_files_with_units_and_a_legend()
    {
        var svg = Path.Combine(_dir.Path, "spectra.svg");
        var (code, _, stderr) = await CliProcess.RunAsync("plot", "spectrum", Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"),
            Fixtures.RepositoryPath("demo/spectra/BF_lo_02_soil_cal.0.csv"), "--out", svg);

        Assert.True(code == 0, stderr);
        var text = await File.ReadAllTextAsync(svg);
        Assert.Contains("<svg", text, StringComparison.Ordinal);
        foreach (var expected in new[] { "Wavenumber (cm⁻¹)", "Absorbance", "BF_lo_01_soil_cal.1", "BF_lo_02_soil_cal.0.csv" })
            Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    /// <summary>The scalogram of an OPUS file is written as a PNG.</summary>
    [Fact]
    public async Task Scalogram_writes_a_png()
    {
        var png = Path.Combine(_dir.Path, "scalogram.png");
        var (code, _, stderr) = await CliProcess.RunAsync("plot", "scalogram", Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"), "--J", "4", "--Q", "12", "--out", png);

        Assert.True(code == 0, stderr);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png).Take(4));
    }

    /// <summary>Bad settings and a file that does not exist exit 2, each with one line naming the cause.</summary>
    [Theory]
    [InlineData(2, "--out must end in .png or .svg", "spectrum", "data/opus/BF_lo_01_soil_cal.1", "--out", "x.gif")]
    [InlineData(2, "Q1 must be between 1 and 256", "scalogram", "data/opus/BF_lo_01_soil_cal.1", "--Q", "0", "--out", "x.png")]
    [InlineData(2, "missing.1 does not exist", "spectrum", "data/opus/missing.1", "--out", "x.png")]
    public async Task Bad_input_is_one_line_and_a_documented_code(int expectedCode, string expected, string kind, string file, params string[] rest)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["plot", kind, Fixtures.Path(file), .. rest]);

        Assert.Equal(expectedCode, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
