using System.Text.Json;
using MidirEdge.Cli.Commands;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>`midir-edge read` on every instrument file in the fixtures.</summary>
public sealed class ReadCommandTests
{
    /// <summary>Every OPUS and JCAMP fixture file.</summary>
    public static TheoryData<string> InstrumentFiles()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "data/opus", "data/jcamp/ir", "data/jcamp/lancashire", "data/jcamp/official", "data/jcamp/misc" })
            foreach (var file in Fixtures.Files(folder)) data.Add(Path.GetRelativePath(Fixtures.Root, file));
        return data;
    }

    /// <summary>JSON output has the documented shape and every spectrum the readers find; unreadable files are refused as such.</summary>
    [Theory]
    [MemberData(nameof(InstrumentFiles))]
    public async Task Json_lists_every_spectrum_of_the_file(string relative)
    {
        var path = Fixtures.Path(relative);
        SpectrumFileContent? expected = null;
        try
        {
            expected = SpectrumFile.Read(File.ReadAllBytes(path), path);
        }
        catch (SpectrumFormatException)
        {
        }
        using var output = new MemoryStream();

        if (expected is null)
        {
            await Assert.ThrowsAnyAsync<SpectrumFormatException>(() => ReadCommand.RunAsync(path, ReadOutput.Json, output, CancellationToken.None));
            return;
        }
        Assert.Equal(0, await ReadCommand.RunAsync(path, ReadOutput.Json, output, CancellationToken.None));
        using var json = JsonDocument.Parse(output.ToArray());
        var root = json.RootElement;
        Assert.Equal(path, root.GetProperty("file").GetString());
        Assert.Equal(expected.Format.ToString().ToLowerInvariant(), root.GetProperty("format").GetString());
        var spectra = root.GetProperty("spectra");
        Assert.Equal(expected.Spectra.Count, spectra.GetArrayLength());
        for (var i = 0; i < expected.Spectra.Count; i++)
        {
            var s = spectra[i];
            foreach (var key in new[] { "name", "xUnit", "yKind", "x", "y", "metadata" }) Assert.True(s.TryGetProperty(key, out _), key);
            Assert.Equal(expected.Spectra[i].Length, s.GetProperty("x").GetArrayLength());
            Assert.Equal(expected.Spectra[i].Length, s.GetProperty("y").GetArrayLength());
            if (double.IsFinite(expected.Spectra[i].Y[0])) Assert.Equal(expected.Spectra[i].Y[0], s.GetProperty("y")[0].GetDouble());
        }
    }

    /// <summary>An OPUS file's blocks appear under opusreader2's names with their UTC acquisition time.</summary>
    [Fact]
    public async Task Opus_blocks_are_named_and_timed()
    {
        using var output = new MemoryStream();
        Assert.Equal(0, await ReadCommand.RunAsync(Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"), ReadOutput.Json, output, CancellationToken.None));
        using var json = JsonDocument.Parse(output.ToArray());
        var spectra = json.RootElement.GetProperty("spectra").EnumerateArray().ToArray();
        Assert.Equal(["ab", "ab_no_atm_comp", "sc_ref", "sc_sample"], spectra.Select(s => s.GetProperty("name").GetString()).Order());
        var ab = spectra.Single(s => s.GetProperty("name").GetString() == "ab");
        Assert.Equal("cm-1", ab.GetProperty("xUnit").GetString());
        Assert.Equal("absorbance", ab.GetProperty("yKind").GetString());
        Assert.Equal("BF_lo_01_soil_cal", ab.GetProperty("metadata").GetProperty("sampleName").GetString());
        Assert.EndsWith("Z", ab.GetProperty("metadata").GetProperty("acquiredUtc").GetString());
    }

    /// <summary>CSV output has one row per point.</summary>
    [Fact]
    public async Task Csv_has_a_row_per_point()
    {
        using var output = new MemoryStream();
        Assert.Equal(0, await ReadCommand.RunAsync(Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"), ReadOutput.Csv, output, CancellationToken.None));
        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("spectrum,x,y", lines[0]);
        Assert.Equal(1 + 3 * 1716 + 1722, lines.Length);
    }

    /// <summary>A corrupt file exits non-zero with one line on stderr naming the file and the cause.</summary>
    [Fact]
    public async Task A_corrupt_file_gives_one_clear_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.0");
        File.WriteAllBytes(path, Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1").AsSpan(0, 5000).ToArray());
        try
        {
            var (code, stdout, stderr) = await CliProcess.RunAsync("read", path, "--json");
            Assert.Equal(1, code);
            Assert.Equal("", stdout);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"midir-edge read: {path}: ", line);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>--json and --csv together are refused.</summary>
    [Fact]
    public async Task Json_and_csv_together_are_refused()
    {
        var (code, _, stderr) = await CliProcess.RunAsync("read", Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"), "--json", "--csv");
        Assert.NotEqual(0, code);
        Assert.Contains("--json and --csv", stderr);
    }
}
