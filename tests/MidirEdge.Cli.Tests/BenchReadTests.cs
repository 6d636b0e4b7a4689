using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary><c>bench read</c> on real instrument files: a line per file with its time and allocation, a refused file with its reason.</summary>
public sealed class BenchReadTests : IDisposable
{
    private readonly TempDirectory _dir = new("bench-read");

    /// <summary>Removes the folder.</summary>
    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Each_file_gets_its_figures_and_an_unreadable_one_its_reason()
    {
        File.Copy(Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"), Path.Combine(_dir.Path, "BF_lo_01_soil_cal.1"));
        File.Copy(Fixtures.Path("data/jcamp/lancashire/dupinc1.jdx"), Path.Combine(_dir.Path, "dupinc1.jdx"));
        File.WriteAllText(Path.Combine(_dir.Path, "notes.txt"), "not a spectrum\n");

        var (code, stdout, stderr) = await CliProcess.RunAsync("bench", "read", _dir.Path);

        Assert.True(code == 0, stdout + stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^\d+\.\d µs +[\d,]+ B +6,870 +36,576 B +Opus +.*BF_lo_01_soil_cal\.1 \(4 spectra\)$", lines[1]);
        Assert.Matches(@"^\d+\.\d µs +[\d,]+ B +440 +1,711 B +Jcamp +.*dupinc1\.jdx$", lines[2]);
        Assert.StartsWith("refused", lines[3]);
        Assert.Contains("notes.txt", lines[3]);
    }
}
