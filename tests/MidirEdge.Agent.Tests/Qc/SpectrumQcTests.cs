using System.Globalization;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Qc;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Prediction;
using MidirEdge.Spectra;
using Xunit.Abstractions;

namespace MidirEdge.Agent.Tests.Qc;

/// <summary>QC on real soil spectra (which pass) and on degraded copies of them (which are flagged or refused).</summary>
public sealed class SpectrumQcTests(ITestOutputHelper output)
{
    private static readonly SpectrumQc Checker = new(new QcOptions());
    private static readonly ModelBundle[] NoBundles = [];

    /// <summary>All 224 yamsys spectra pass against the demo bundles; the distribution of every measured value is printed.</summary>
    [Fact]
    public void Every_yamsys_spectrum_passes_against_the_demo_bundles()
    {
        var verdicts = RealSpectra.Yamsys.Select(s => Check(s, RealSpectra.Demo)).ToArray();

        Assert.Equal(224, verdicts.Length);
        Assert.All(verdicts, v => Assert.Equal(QcLevel.Pass, v.Level));
        Assert.All(verdicts, v => Assert.Equal(RealSpectra.Demo.Select(b => b.Id), v.RunnableBundles));
        Assert.All(verdicts, v => Assert.Equal(new[] { "flat", "saturation", "flat-top", "noise", "co2", "water-vapour" },
            v.Checks.Where(c => !c.Flag.Name.StartsWith("coverage:", StringComparison.Ordinal) && c.Flag.Name != "finite").Select(c => c.Flag.Name)));
        Report(verdicts);
    }

    /// <summary>The absorbance blocks of every OPUS fixture pass on their own (NIR files simply lack the MIR regions).</summary>
    [Fact]
    public void Every_opus_absorbance_block_passes()
    {
        var blocks = RealSpectra.Opus.Where(o => o.File.FindData("ab") is not null).ToArray();
        var verdicts = blocks.Select(o => Check(o.File.FindData("ab")!.Spectrum, NoBundles)).ToArray();

        Assert.Equal(5, verdicts.Length);
        Assert.All(verdicts, v => Assert.Equal(QcLevel.Pass, v.Level));
        foreach (var (name, verdict) in blocks.Select(b => b.Name).Zip(verdicts))
            output.WriteLine($"{name}: {Describe(verdict)}");
    }

    /// <summary>The Alpha file on the demo grid passes with every demo bundle runnable; the 7500–600 cm⁻¹ files cannot feed them.</summary>
    [Fact]
    public void Opus_files_are_runnable_only_where_they_cover_the_demo_grid()
    {
        var alpha = Opus("BF_lo_01_soil_cal.1", "ab");
        var verdict = Check(alpha, RealSpectra.Demo);
        Assert.Equal(QcLevel.Pass, verdict.Level);
        Assert.Equal(RealSpectra.Demo.Length, verdict.RunnableBundles.Length);

        var tensor = Check(Opus("629266_1TP_A-1_C1.0", "ab"), RealSpectra.Demo);
        Assert.Equal(QcLevel.Fail, tensor.Level);
        Assert.Empty(tensor.RunnableBundles);
    }

    /// <summary>
    /// The twins differ only by atmosphere: the noise is the same, the CO₂ band and water-vapour lines are not. In these
    /// files the block OPUS labels compensated (<c>ab</c>) carries the stronger bands; their difference is a purely
    /// atmospheric spectrum (below 2e-6 A away from the CO₂ and water bands).
    /// </summary>
    [Theory]
    [InlineData("BF_lo_01_soil_cal.1")]
    [InlineData("629266_1TP_A-1_C1.0")]
    public void Compensated_and_uncompensated_twins_differ_in_co2_and_water_vapour_not_in_noise(string file)
    {
        var ab = Check(Opus(file, "ab"), NoBundles);
        var raw = Check(Opus(file, "ab_no_atm_comp"), NoBundles);
        output.WriteLine($"ab:             {Describe(ab)}");
        output.WriteLine($"ab_no_atm_comp: {Describe(raw)}");

        Assert.Equal(Value(ab, "noise"), Value(raw, "noise"), 0.05 * Value(ab, "noise"));
        Assert.True(Value(ab, "water-vapour") > 3 * Value(raw, "water-vapour"));
        Assert.True(Value(ab, "co2") > 1.5 * Value(raw, "co2"));
    }

    /// <summary>Eight times the real atmospheric difference of an OPUS twin, added to a clean yamsys spectrum, raises CO₂ and water-vapour flags but not noise.</summary>
    [Fact]
    public void Real_atmospheric_lines_are_flagged()
    {
        var ab = Opus("BF_lo_01_soil_cal.1", "ab");
        var raw = Opus("BF_lo_01_soil_cal.1", "ab_no_atm_comp");
        var clean = RealSpectra.Yamsys[0];
        Assert.Equal(clean.X.Length, ab.X.Length);
        var y = new double[clean.Length];
        for (var i = 0; i < y.Length; i++) y[i] = clean.Y[i] + 8 * (ab.Y[i] - raw.Y[i]);

        var verdict = Check(clean.WithY(y), RealSpectra.Demo);

        Assert.Equal(QcLevel.Warn, verdict.Level);
        Assert.Equal(["co2", "water-vapour"], verdict.ToSummary().Flags.Select(f => f.Name));
    }

    /// <summary>White noise of 2 mA standard deviation is flagged as noise, and only as noise.</summary>
    [Fact]
    public void White_noise_is_flagged()
    {
        var clean = RealSpectra.Yamsys[17];
        var random = new Random(5);
        var y = clean.Y.Select(v => v + 0.002 * Gaussian(random)).ToArray();

        var verdict = Check(clean.WithY(y), RealSpectra.Demo);

        Assert.Equal(QcLevel.Warn, verdict.Level);
        Assert.True(verdict.CanPredict);
        Assert.Equal(["noise"], verdict.ToSummary().Flags.Select(f => f.Name));
        Assert.Equal(0.002, Find(verdict, "noise")!.Value!.Value, 0.0005);
    }

    /// <summary>A synthetic CO₂ doublet (P and R branches at 2340 and 2360 cm⁻¹, 0.15 A) is flagged.</summary>
    [Fact]
    public void Co2_doublet_is_flagged()
    {
        var clean = RealSpectra.Yamsys[42];
        var y = clean.Y.ToArray();
        for (var i = 0; i < y.Length; i++)
        {
            var x = clean.X[i];
            y[i] += 0.15 * (Math.Exp(-Math.Pow((x - 2340) / 8, 2)) + Math.Exp(-Math.Pow((x - 2360) / 8, 2)));
        }

        var verdict = Check(clean.WithY(y), RealSpectra.Demo);

        Assert.Equal(["co2"], verdict.ToSummary().Flags.Select(f => f.Name));
        Assert.True(Find(verdict, "co2")!.Value > 0.12);
    }

    /// <summary>Sharp water-vapour-like lines (4 cm⁻¹ wide, 0.05 A like the strongest real ones, irregularly spaced) above 3800 cm⁻¹ are flagged.</summary>
    [Fact]
    public void Water_lines_are_flagged()
    {
        var clean = RealSpectra.Yamsys[99];
        var y = clean.Y.ToArray();
        double[] lines = [3807, 3826, 3853, 3870, 3881, 3908, 3920, 3947, 3962, 3983];
        for (var i = 0; i < y.Length; i++)
            foreach (var line in lines)
                y[i] += (line % 2 == 0 ? 0.05 : -0.05) * Math.Exp(-Math.Pow((clean.X[i] - line) / 2.4, 2));

        var verdict = Check(clean.WithY(y), RealSpectra.Demo);

        Assert.Equal(["water-vapour"], verdict.ToSummary().Flags.Select(f => f.Name));
    }

    /// <summary>A detector clipping at 1.5 A (real spectra peak at 1.34–1.99 A, so clipping at 2.0 would change none) gives a flat top.</summary>
    [Fact]
    public void Clipped_spectrum_is_flagged_as_flat_topped()
    {
        var clean = RealSpectra.Yamsys.MaxBy(s => s.Y.Max())!;
        var clipped = Check(clean.WithY([.. clean.Y.Select(v => Math.Min(v, 1.5))]), RealSpectra.Demo);
        Assert.Equal(["flat-top"], clipped.ToSummary().Flags.Select(f => f.Name));

        // A sample 1.5 times as absorbing, clipped at 2.0 A.
        var stronger = Check(clean.WithY([.. clean.Y.Select(v => Math.Min(1.5 * v, 2.0))]), RealSpectra.Demo);
        Assert.Contains("flat-top", stronger.ToSummary().Flags.Select(f => f.Name));
    }

    /// <summary>Absorbance above 3 A is flagged as saturated.</summary>
    [Fact]
    public void Absorbance_above_the_ceiling_is_flagged()
    {
        var clean = RealSpectra.Yamsys.MaxBy(s => s.Y.Max())!;
        var verdict = Check(clean.WithY([.. clean.Y.Select(v => 1.8 * v)]), RealSpectra.Demo);

        Assert.Contains("saturation", verdict.ToSummary().Flags.Select(f => f.Name));
        Assert.True(Find(verdict, "saturation")!.Value > 3.0);
    }

    /// <summary>One NaN fails the spectrum: nothing can be predicted.</summary>
    [Fact]
    public void Nan_fails()
    {
        var clean = RealSpectra.Yamsys[3];
        var y = clean.Y.ToArray();
        y[800] = double.NaN;

        var verdict = Check(clean.WithY(y), RealSpectra.Demo);

        Assert.Equal(QcLevel.Fail, verdict.Level);
        Assert.False(verdict.CanPredict);
        Assert.False(verdict.CanRun(RealSpectra.Demo[0].Id));
        Assert.Equal(new QcSummary(false, [new QcFlag(QcCheckKind.Finite)]), verdict.ToSummary() with { Flags = [.. verdict.ToSummary().Flags] }, new SummaryComparer());
        Assert.Equal(1, Find(verdict, "finite")!.Value);
    }

    /// <summary>Trimmed to 600–4000 cm⁻¹ the spectrum no longer reaches the demo grid's 499.7 cm⁻¹: no bundle can run.</summary>
    [Fact]
    public void Trimmed_spectrum_does_not_cover_the_demo_grid()
    {
        var clean = RealSpectra.Yamsys[5];
        var keep = Enumerable.Range(0, clean.Length).Where(i => clean.X[i] is >= 600 and <= 4000).ToArray();
        var trimmed = Spectrum.Create([.. keep.Select(i => clean.X[i])], [.. keep.Select(i => clean.Y[i])], clean.XUnit, clean.YKind);

        var verdict = Check(trimmed, RealSpectra.Demo);

        Assert.Equal(QcLevel.Fail, verdict.Level);
        Assert.Empty(verdict.RunnableBundles);
        var coverage = verdict.Checks.Where(c => c.Flag.Name.StartsWith("coverage:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(RealSpectra.Demo.Length, coverage.Length);
        Assert.All(coverage, c => Assert.Equal(QcLevel.Fail, c.Level));
        Assert.All(coverage, c => Assert.InRange(c.Value!.Value, 99, 102));
        Assert.Contains("needs 499.7–3997.4", coverage[0].Message, StringComparison.Ordinal);
    }

    /// <summary>A bundle whose grid reaches further than the spectrum is a warning while the others run.</summary>
    [Fact]
    public void Bundles_that_cannot_run_are_warnings_while_others_can()
    {
        var manifest = RealSpectra.Demo[0].Manifest;
        var wide = InputContract.Parse(manifest.Input with { Grid = [.. manifest.Input.Grid, 450.0] }, "wide");

        var verdict = Checker.Check(new InputSpectrum(RealSpectra.Yamsys[1]), [(manifest.Id, RealSpectra.Demo[0].Contract), ("wide", wide)]);

        Assert.Equal(QcLevel.Warn, verdict.Level);
        Assert.Equal<string>([manifest.Id], verdict.RunnableBundles);
        Assert.True(verdict.CanRun(manifest.Id));
        Assert.False(verdict.CanRun("wide"));
        Assert.Equal(["coverage:wide"], verdict.ToSummary().Flags.Select(f => f.Name));
    }

    /// <summary>A single-channel spectrum is not what the absorbance bundles need, but its throughput is checked.</summary>
    [Fact]
    public void Single_channel_spectrum_is_refused_by_absorbance_bundles_and_checked_for_throughput()
    {
        var verdict = Check(Opus("BF_lo_01_soil_cal.1", "sc_sample"), RealSpectra.Demo);

        Assert.Equal(QcLevel.Fail, verdict.Level);
        Assert.Contains("spectrum holds single-channel; demo-yamsys-C needs absorbance", Find(verdict, "coverage:demo-yamsys-C")!.Message, StringComparison.Ordinal);
        Assert.Equal(QcLevel.Pass, Find(verdict, "throughput")!.Level);

        var blocked = Opus("BF_lo_01_soil_cal.1", "sc_sample");
        var dark = Check(blocked.WithY([.. blocked.Y.Select((v, i) => blocked.X[i] is > 1000 and < 1100 ? 0.0 : v)]), NoBundles);
        Assert.Equal(["throughput"], dark.ToSummary().Flags.Select(f => f.Name));
    }

    /// <summary>
    /// A blank or saturated scan (every value 0.5, the 1,716 points of a yamsys spectrum), an all-zero one and one that
    /// varies by a millionth fail as flat, with no bundle run; every real spectrum (yamsys and every OPUS block, of any
    /// kind) spreads far more. The smallest real spread is printed.
    /// </summary>
    [Fact]
    public void Flat_spectra_fail_and_no_real_spectrum_is_flat()
    {
        var x = RealSpectra.Yamsys[0].X;
        foreach (var y in new[] { x.Select(_ => 0.5).ToArray(), x.Select(_ => 0.0).ToArray(), x.Select((_, i) => 1.2 + 1e-6 * (i % 2)).ToArray() })
        {
            var verdict = Check(Spectrum.Create([.. x], y, XUnit.Wavenumber, YKind.Absorbance), RealSpectra.Demo);
            Assert.Equal(QcLevel.Fail, verdict.Level);
            Assert.Equal(QcLevel.Fail, Find(verdict, "flat")!.Level);
            Assert.False(verdict.CanRun(RealSpectra.Demo[0].Id));
        }

        var real = RealSpectra.Yamsys.Concat(RealSpectra.Opus.SelectMany(o => o.File.DataBlocks.Select(b => b.Spectrum)))
            .Select(s => Find(Check(s, NoBundles), "flat")!).ToArray();
        Assert.All(real, c => Assert.Equal(QcLevel.Pass, c.Level));
        output.WriteLine($"smallest spread of {real.Length} real spectra: {real.Min(c => c.Value):G3} (limit {new QcOptions().MinRelativeSpread:G3})");
    }

    /// <summary>Degenerate spectra get a verdict, never an exception.</summary>
    [Fact]
    public void Degenerate_spectra_get_a_verdict()
    {
        var empty = Check(Spectrum.Create([], [], XUnit.Wavenumber, YKind.Absorbance), RealSpectra.Demo);
        Assert.Equal(QcLevel.Fail, empty.Level);

        var single = Check(Spectrum.Create([1000.0], [0.5], XUnit.Wavenumber, YKind.Absorbance), NoBundles);
        Assert.Equal(QcLevel.Pass, single.Level);

        var allNaN = Check(Spectrum.Create([3000.0, 2000.0, 1000.0], [double.NaN, double.NaN, double.NaN], XUnit.Wavenumber, YKind.Absorbance), NoBundles);
        Assert.Equal(3, Find(allNaN, "finite")!.Value);

        var points = RealSpectra.Yamsys[0];
        var interferogram = Check(Spectrum.Create([.. Enumerable.Range(0, points.Length).Select(i => (double)i)], [.. points.Y], XUnit.Points, YKind.Interferogram), RealSpectra.Demo);
        Assert.Equal(QcLevel.Fail, interferogram.Level);
        Assert.Contains("x unit is points", Find(interferogram, "coverage:demo-yamsys-C")!.Message, StringComparison.Ordinal);
    }

    /// <summary>A spectrum in micrometres is checked in wavenumbers.</summary>
    [Fact]
    public void Micrometre_spectrum_is_checked_in_wavenumbers()
    {
        var clean = RealSpectra.Yamsys[8];
        var micrometres = Spectrum.Create([.. clean.X.Select(x => 1e4 / x)], [.. clean.Y], XUnit.Micrometre, YKind.Absorbance);

        var verdict = Check(micrometres, RealSpectra.Demo);

        Assert.Equal(QcLevel.Pass, verdict.Level);
        Assert.Equal(Find(Check(clean, RealSpectra.Demo), "noise")!.Value!.Value, Find(verdict, "noise")!.Value!.Value, 1e-9);
    }

    /// <summary>Limits that make no sense are refused, naming the key.</summary>
    [Fact]
    public void Invalid_options_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SpectrumQc(new QcOptions { MaxNoise = -1, MaxFlatTopPoints = 0 }));
        Assert.Contains("MidirEdge:Qc:MaxNoise", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MidirEdge:Qc:MaxFlatTopPoints", ex.Message, StringComparison.Ordinal);
    }

    // Each check reads the spectrum in wavenumbers once, as the pipeline does.
    private static QcVerdict Check(Spectrum spectrum, IEnumerable<ModelBundle> bundles) => Checker.Check(new InputSpectrum(spectrum), bundles);

    private static Spectrum Opus(string file, string block) =>
        RealSpectra.Opus.Single(o => o.Name == file).File.FindData(block)!.Spectrum;

    private static double Value(QcVerdict verdict, string check) => Find(verdict, check)!.Value!.Value;

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Describe(QcVerdict verdict) => string.Join(", ",
        verdict.Checks.Where(c => c.Value is not null).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Flag.Name}={c.Value:G3}")));

    private void Report(QcVerdict[] verdicts)
    {
        foreach (var name in verdicts[0].Checks.Select(c => c.Flag.Name).Where(n => !n.StartsWith("coverage:", StringComparison.Ordinal)))
        {
            var values = verdicts.Select(v => Find(v, name)!.Value!.Value).Order().ToArray();
            var limit = Find(verdicts[0], name)!.Threshold;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-13} min {values[0]:G3}  median {values[values.Length / 2]:G3}  p95 {values[(int)(0.95 * values.Length)]:G3}  max {values[^1]:G3}  limit {limit:G3}"));
        }
    }

    private static QcCheck? Find(QcVerdict verdict, string name) => verdict.Checks.FirstOrDefault(c => c.Flag.Name == name);

    private sealed class SummaryComparer : IEqualityComparer<QcSummary>
    {
        public bool Equals(QcSummary? a, QcSummary? b) =>
            a is not null && b is not null && a.Passed == b.Passed && a.Flags.SequenceEqual(b.Flags);

        public int GetHashCode(QcSummary s) => s.Passed.GetHashCode();
    }
}
