using System.Text.Json;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;
using Xunit.Abstractions;

namespace MidirEdge.Spectra.Tests.Opus;

/// <summary>Checks every fixture OPUS file against opusreader2's output for it.</summary>
public sealed class OpusReferenceTests(ITestOutputHelper output)
{
    private const double DataTolerance = 1e-9;
    private const double ParameterTolerance = 1e-12;

    /// <summary>Names of the fixture OPUS files.</summary>
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var path in Fixtures.Files("data/opus")) data.Add(Path.GetFileName(path));
        return data;
    }

    /// <summary>The theory runs over all seven fixtures.</summary>
    [Fact]
    public void AllSevenFixturesAreCovered() => Assert.Equal(7, Files().Count);

    /// <summary>The magic number identifies every fixture, whatever its extension.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void IsDetectedByContent(string name) =>
        Assert.True(OpusReader.IsOpus(Fixtures.ReadBytes($"data/opus/{name}")));

    /// <summary>Same data blocks, types, offsets, npt, x and y as opusreader2.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void DataBlocksMatchReference(string name)
    {
        var opus = OpusReader.Read(Fixtures.ReadBytes($"data/opus/{name}"), name);
        using var reference = Fixtures.ReadJson($"reference/opus/{name}.json.gz");
        var blocks = reference.RootElement.GetProperty("blocks");

        Assert.Equal(blocks.EnumerateObject().Select(b => b.Name).Order(), opus.DataBlocks.Select(b => b.Name).Order());
        double maxX = 0, maxY = 0;
        foreach (var expected in blocks.EnumerateObject())
        {
            var block = opus.FindData(expected.Name)!;
            var e = expected.Value;
            Assert.Equal(e.GetProperty("block_type").GetInt32(), block.BlockType);
            Assert.Equal(e.GetProperty("channel_type").GetInt32(), block.ChannelType);
            Assert.Equal(e.GetProperty("text_type").GetInt32(), block.TextType);
            Assert.Equal(e.GetProperty("additional_type").GetInt32(), block.AdditionalType);
            Assert.Equal(e.GetProperty("offset").GetInt32(), block.Offset);
            Assert.Equal(e.GetProperty("npt").GetInt32(), block.Spectrum.Length);
            maxX = Math.Max(maxX, MaxRelativeError(e.GetProperty("x"), block.Spectrum.X.AsSpan(), $"{name} {block.Name} x"));
            maxY = Math.Max(maxY, MaxRelativeError(e.GetProperty("y"), block.Spectrum.Y.AsSpan(), $"{name} {block.Name} y"));
        }
        output.WriteLine($"{name}: max relative error x {maxX:E2}, y {maxY:E2}");
    }

    /// <summary>Same parameter blocks and values, in order, as opusreader2.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void ParameterBlocksMatchReference(string name)
    {
        var opus = OpusReader.Read(Fixtures.ReadBytes($"data/opus/{name}"), name);
        using var reference = Fixtures.ReadJson($"reference/opus/{name}.json.gz");
        var parameters = reference.RootElement.GetProperty("parameters");

        Assert.Equal(parameters.EnumerateObject().Select(b => b.Name).Order(), opus.ParameterBlocks.Select(b => b.Name).Order());
        double max = 0;
        var overruns = new List<string>();
        foreach (var expected in parameters.EnumerateObject())
        {
            var block = opus.FindParameters(expected.Name)!;
            var e = expected.Value;
            Assert.Equal(e.GetProperty("block_type").GetInt32(), block.BlockType);
            Assert.Equal(e.GetProperty("channel_type").GetInt32(), block.ChannelType);
            Assert.Equal(e.GetProperty("text_type").GetInt32(), block.TextType);
            Assert.Equal(e.GetProperty("additional_type").GetInt32(), block.AdditionalType);
            var values = e.GetProperty("values").EnumerateObject().ToArray();
            Assert.Equal(values.Select(v => v.Name), block.Parameters.Select(p => p.Code));
            for (var i = 0; i < values.Length; i++)
            {
                var actual = block.Parameters[i].Value;
                var where = $"{name} {block.Name}.{values[i].Name}";
                switch (values[i].Value.ValueKind)
                {
                    case JsonValueKind.String:
                        Assert.True(actual is string, $"{where}: expected a string, got {actual.GetType().Name}");
                        var text = values[i].Value.GetString()!;
                        if (text != (string)actual)
                        {
                            // opusreader2 reads one byte past a string that fills its whole field (no NUL inside), so it
                            // appends the first letter of the next code ("FFFF" + "SRC" -> "FFFFS"); the reader keeps to the field.
                            Assert.Equal(text[..^1], (string)actual);
                            overruns.Add($"{block.Name}.{values[i].Name}");
                        }
                        break;
                    case JsonValueKind.Number:
                        var number = actual switch
                        {
                            long l => l,
                            double d => d,
                            _ => throw new Xunit.Sdk.XunitException($"{where}: expected a number, got {actual.GetType().Name}"),
                        };
                        var error = RelativeError(values[i].Value.GetDouble(), number);
                        Assert.True(error <= ParameterTolerance, $"{where}: {number:R} vs {values[i].Value.GetDouble():R}");
                        max = Math.Max(max, error);
                        break;
                    default:
                        throw new Xunit.Sdk.XunitException($"{where}: unexpected JSON {values[i].Value.ValueKind}");
                }
            }
        }
        output.WriteLine($"{name}: max relative parameter error {max:E2}; opusreader2 string overruns: {string.Join(", ", overruns)}");
    }

    /// <summary>Sample name and UTC save time equal opusreader2's basic_metadata.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void BasicMetadataMatchesReference(string name)
    {
        var opus = OpusReader.Read(Fixtures.ReadBytes($"data/opus/{name}"), name);
        using var reference = Fixtures.ReadJson($"reference/opus/{name}.json.gz");
        var basic = reference.RootElement.GetProperty("basic_metadata");

        Assert.Equal(basic.GetProperty("opus_sample_name").GetString(), opus.SampleName);
        Assert.Equal(DateTimeOffset.Parse(basic.GetProperty("utc_datetime").GetString()!, System.Globalization.CultureInfo.InvariantCulture), opus.SavedUtc);
        Assert.Equal(TimeSpan.Zero, opus.SavedUtc!.Value.Offset);
    }

    /// <summary>One spectrum per data block, in directory order, with block and file in its metadata.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void SpectraFollowDirectoryOrder(string name)
    {
        var opus = OpusReader.Read(Fixtures.ReadBytes($"data/opus/{name}"), name);

        Assert.Equal(opus.DataBlocks.Length, opus.Spectra.Length);
        for (var i = 0; i < opus.Spectra.Length; i++)
        {
            Assert.Same(opus.DataBlocks[i].Spectrum, opus.Spectra[i]);
            Assert.Equal(opus.DataBlocks[i].Name, opus.Spectra[i].Metadata.Block);
            Assert.Equal(name, opus.Spectra[i].Metadata.SourceFile);
            if (i > 0) Assert.True(opus.DataBlocks[i - 1].Offset != opus.DataBlocks[i].Offset);
        }
    }

    private static double MaxRelativeError(JsonElement expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.GetArrayLength(), actual.Length);
        double max = 0;
        var i = 0;
        foreach (var value in expected.EnumerateArray())
        {
            var error = RelativeError(value.GetDouble(), actual[i]);
            Assert.True(error <= DataTolerance, $"{what}[{i}]: {actual[i]:R} vs {value.GetDouble():R}");
            max = Math.Max(max, error);
            i++;
        }
        return max;
    }

    private static double RelativeError(double expected, double actual) =>
        expected == actual ? 0 : Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), double.Epsilon);
}
