using System.Text.Json;
using MidirEdge.Spectra.Formats.Jcamp;
using MidirEdge.Tests;
using Xunit.Abstractions;

namespace MidirEdge.Spectra.Tests.Jcamp;

/// <summary>Every JCAMP-DX fixture against jcampconverter 12.5.3 (tests/fixtures/reference/jcamp).</summary>
public sealed class JcampReferenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-9;

    /// <summary>Files whose reference output is wrong or empty; each has its own test below.</summary>
    private static readonly HashSet<string> Special =
    [
        "ir/example_compound_file.jdx", // jcampconverter reads no points from its ';'-separated (XY..XY) tables
        "misc/scientific_notation_example.jdx", // jcampconverter splits 4.6e-05 into three values
        "lancashire/xyinc2.jdx", // corrupt test file: 350 values for ##NPOINTS=298
        "lancashire/dupinc2.jdx", // jcampconverter repeats a stale value for a DUP right after a Y check value
        "lancashire/jtpolys.jdx", // jcampconverter ignores a ##YFACTOR= followed by a $$ comment
    ];

    /// <summary>NMR files whose records jcampconverter misses (each line starts with a blank), so the reference has no data type.</summary>
    private static readonly HashSet<string> NmrWithoutReferenceType = ["official/TESTFID.DX", "official/TESTNTUP.DX", "official/TESTSPEC.DX"];

    /// <summary>Every fixture with a reference, as folder/name, except the special ones.</summary>
    public static TheoryData<string> ReferenceFiles()
    {
        var data = new TheoryData<string>();
        foreach (var relative in JcampFixtures.Names())
            if (!Special.Contains(relative)) data.Add(relative);
        return data;
    }

    /// <summary>Same spectra, point counts, x and y as jcampconverter; NMR, MS and NTUPLES files are unsupported.</summary>
    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void MatchesJcampconverter(string relative)
    {
        var bytes = Fixtures.ReadBytes($"data/jcamp/{relative}");
        using var reference = Fixtures.ReadJson($"reference/jcamp/{relative}.json.gz");
        var entries = reference.RootElement.GetProperty("entries").EnumerateArray().ToList();
        var expected = entries
            .Where(e => !IsUnsupported(DataType(e)) && DataType(e) != "LINK")
            .SelectMany(e => e.GetProperty("spectra").EnumerateArray())
            .ToList();

        if (expected.Count == 0)
        {
            Assert.True(NmrWithoutReferenceType.Contains(relative) || entries.Any(e => IsUnsupported(DataType(e))),
                $"{relative}: the reference has neither spectra nor an NMR/MS data type");
            var error = Assert.Throws<UnsupportedSpectrumException>(() => JcampReader.Read(bytes, relative));
            output.WriteLine($"{relative}: unsupported ({error.Reason})");
            return;
        }

        var spectra = JcampReader.Read(bytes, relative);
        Assert.Equal(expected.Count, spectra.Count);
        var worst = 0.0;
        for (var k = 0; k < spectra.Count; k++)
        {
            var x = Values(expected[k], "x");
            var y = Values(expected[k], "y");
            Assert.Equal(x.Length, spectra[k].Length);
            worst = Math.Max(worst, MaxRelativeError(spectra[k].X.AsSpan(), x, $"{relative} spectrum {k} x"));
            worst = Math.Max(worst, MaxRelativeError(spectra[k].Y.AsSpan(), y, $"{relative} spectrum {k} y"));
            Assert.Equal(relative, spectra[k].Metadata.SourceFile);
        }
        output.WriteLine($"{relative}: {spectra.Count} spectra, max relative error {worst:E2}");
    }

    /// <summary>E-notation values are numbers (the reference splits them).</summary>
    [Fact]
    public void ScientificNotationIsReadAsNumbers()
    {
        const string relative = "misc/scientific_notation_example.jdx";
        var spectrum = Assert.Single(JcampReader.Read(Fixtures.ReadBytes($"data/jcamp/{relative}"), relative));
        using var reference = Fixtures.ReadJson($"reference/jcamp/{relative}.json.gz");
        var expected = reference.RootElement.GetProperty("entries")[0].GetProperty("spectra")[0];
        var x = Values(expected, "x");
        var y = Values(expected, "y");

        // The file holds ##NPOINTS=1867 values; the reference has 1873 because it reads "4.6e-05" (point 740)
        // as 4.6, -5, -5 and the last line's "1.1093e-02 0.10971e-1" as six values.
        Assert.Equal(1867, spectrum.Length);
        MaxRelativeError(spectrum.X.AsSpan(), x.AsSpan(0, 1867), "x");
        MaxRelativeError(spectrum.Y.AsSpan(0, 740), y.AsSpan(0, 740), "y before 4.6e-05");
        Assert.Equal(4.6e-05, spectrum.Y[740], 1e-18);
        MaxRelativeError(spectrum.Y.AsSpan(741, 1865 - 741), y.AsSpan(743, 1865 - 741), "y after 4.6e-05");
        Assert.Equal(0.011093, spectrum.Y[1865], 1e-15);
        Assert.Equal(0.010971, spectrum.Y[1866], 1e-15);
    }

    /// <summary>Both XYPOINTS blocks of a LINK file are read.</summary>
    [Fact]
    public void CompoundFileWithSemicolonSeparatedPointsGivesBothSpectra()
    {
        const string relative = "ir/example_compound_file.jdx";
        var spectra = JcampReader.Read(Fixtures.ReadBytes($"data/jcamp/{relative}"), relative);
        Assert.Equal(2, spectra.Count);
        foreach (var spectrum in spectra)
        {
            Assert.Equal(2074, spectrum.Length);
            Assert.Equal(XUnit.Wavenumber, spectrum.XUnit);
            Assert.Equal(YKind.Absorbance, spectrum.YKind);
            Assert.Equal(11995.21, spectrum.X[0]);
            Assert.Equal(3999.691, spectrum.X[^1]);
        }
        Assert.Equal(0.032112, spectra[0].Y[0], 1e-15);
        Assert.Equal(0.521750, spectra[0].Y[^1], 1e-15);
        Assert.Equal(["2", "3"], spectra.Select(s => s.Metadata.Block));
    }

    /// <summary>A DUP right after a Y check value repeats the check value; every later check value agrees.</summary>
    [Fact]
    public void DupAfterCheckValueRepeatsIt()
    {
        const string relative = "lancashire/dupinc2.jdx";
        var spectrum = Assert.Single(JcampReader.Read(Fixtures.ReadBytes($"data/jcamp/{relative}"), relative));
        using var reference = Fixtures.ReadJson($"reference/jcamp/{relative}.json.gz");
        var expected = reference.RootElement.GetProperty("entries")[0].GetProperty("spectra")[0];
        var y = Values(expected, "y");
        MaxRelativeError(spectrum.X.AsSpan(), Values(expected, "x"), "x");

        // E.g. line 113 "2887.024A666TL1..." checks 16.66 and repeats it (T). The reference repeats the stale
        // ##FIRSTY (44.97) instead and then runs offset until the next absolute value. Every difference from
        // the reference must be such a run; our values pass every Y check in the file.
        Assert.Equal(16.66, spectrum.Y[2580], 1e-12);
        double? offset = null;
        var runs = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var difference = y[i] - spectrum.Y[i];
            if (Math.Abs(difference) <= 1e-9 * Math.Abs(y[i]))
            {
                offset = null;
                continue;
            }
            if (offset is { } o && Math.Abs(difference - o) < 1e-9) continue;
            Assert.Equal(44.97, y[i], 1e-12);
            offset = difference;
            runs++;
        }
        Assert.InRange(runs, 1, 10);
    }

    /// <summary>##YFACTOR= applies even with a $$ comment after it (the reference ignores it there).</summary>
    [Fact]
    public void FactorWithTrailingCommentApplies()
    {
        const string relative = "lancashire/jtpolys.jdx";
        var spectrum = Assert.Single(JcampReader.Read(Fixtures.ReadBytes($"data/jcamp/{relative}"), relative));
        using var reference = Fixtures.ReadJson($"reference/jcamp/{relative}.json.gz");
        var expected = reference.RootElement.GetProperty("entries")[0].GetProperty("spectra")[0];
        MaxRelativeError(spectrum.X.AsSpan(), Values(expected, "x"), "x");
        var scaled = Values(expected, "y").Select(v => v * 2.384185791e-09).ToArray();
        MaxRelativeError(spectrum.Y.AsSpan(), scaled, "y");
        Assert.Equal(0.9816334969, spectrum.Y[0], 1e-9);
    }

    /// <summary>The corrupt Lancashire file is refused with the line.</summary>
    [Fact]
    public void CorruptTestFileWithTooManyValuesIsAFormatError()
    {
        const string relative = "lancashire/xyinc2.jdx";
        var error = Assert.Throws<SpectrumFormatException>(() => JcampReader.Read(Fixtures.ReadBytes($"data/jcamp/{relative}"), relative));
        Assert.IsNotType<UnsupportedSpectrumException>(error);
        Assert.Contains("NPOINTS", error.Reason);
        Assert.NotNull(error.Line);
    }

    private static string? DataType(JsonElement entry) =>
        entry.TryGetProperty("dataType", out var type) ? type.GetString() : null;

    private static bool IsUnsupported(string? dataType) =>
        dataType is not null && (dataType.Contains("NMR", StringComparison.OrdinalIgnoreCase) || dataType.Contains("MASS", StringComparison.OrdinalIgnoreCase));

    private static double[] Values(JsonElement spectrum, string axis) =>
        spectrum.GetProperty(axis).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>Largest |a − b| / max(|b|, 1e-3·max|b|) (relative, except near zero crossings); fails above the tolerance.</summary>
    private static double MaxRelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, string what)
    {
        var scale = 0.0;
        foreach (var v in expected) scale = Math.Max(scale, Math.Abs(v));
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var denominator = Math.Max(Math.Abs(expected[i]), 1e-3 * scale);
            var error = denominator == 0 ? Math.Abs(actual[i]) : Math.Abs(actual[i] - expected[i]) / denominator;
            if (!(error <= Tolerance))
                Assert.Fail($"{what}[{i}]: {actual[i]:R} vs reference {expected[i]:R} (relative error {error:E2})");
            worst = Math.Max(worst, error);
        }
        return worst;
    }
}
