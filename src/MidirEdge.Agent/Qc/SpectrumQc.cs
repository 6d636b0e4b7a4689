using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Domain;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Prediction;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Json;

namespace MidirEdge.Agent.Qc;

/// <summary>
/// Checks one spectrum before prediction: which bundles' input contracts it meets, finite values, flat scans, saturation,
/// noise and atmospheric (CO₂, water vapour) bands. Pure and thread-safe.
/// </summary>
public sealed class SpectrumQc
{
    // Noise: 2600–2450 cm⁻¹ lies between the CO₂ band and the C–H/O–H stretches. Soils show there only the broad
    // carbonate combination band near 2515 cm⁻¹, which the second difference ignores, and no atmospheric lines (the OPUS
    // fixtures' compensated and uncompensated spectra differ there by < 2e-6 A). It is the smoothest region of all 224
    // yamsys spectra; 2100–1900 cm⁻¹ holds quartz overtones and 3950–3800 cm⁻¹ water-vapour lines.
    private const double NoiseLow = 2450, NoiseHigh = 2600;
    // CO₂ asymmetric stretch, P and R branches, against a quadratic baseline on 15 cm⁻¹ flanks. Short flanks follow the
    // soil background closely: on the OPUS twins they read 2–3 times more CO₂ in the block with the stronger band, where
    // 60 cm⁻¹ flanks read the background's own curvature (0.01–0.03 A) and could not tell the twins apart.
    private const double Co2Low = 2280, Co2High = 2390, Co2Flank = 15;
    // Water vapour: the ν3 rotational lines above 3800 cm⁻¹ sit on a smooth soil background (clay O–H stretches end
    // near 3700 cm⁻¹), whereas 1800–1400 cm⁻¹ carries soil bands as sharp as the lines.
    private const double WaterLow = 3800, WaterHigh = 4000;
    private const int MinRegionPoints = 10;
    private const double FlatTopTolerance = 1e-4;

    private readonly QcOptions _options;

    /// <summary>Creates the checker with the bound options.</summary>
    public SpectrumQc(IOptions<QcOptions> options) : this(options?.Value!) { }

    /// <summary>Creates the checker with explicit limits.</summary>
    public SpectrumQc(QcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new QcOptionsValidator().Validate(null, options);
        if (result.Failed) throw new ArgumentException(result.FailureMessage, nameof(options));
        _options = options;
    }

    /// <summary>Checks a spectrum (read in wavenumbers once) against the input contracts of the active bundles.</summary>
    public QcVerdict Check(InputSpectrum input, IEnumerable<ModelBundle> bundles)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        return Check(input, bundles.Select(b => (b.Id, b.Contract)));
    }

    /// <summary>Checks a spectrum against these input contracts, each named by its bundle's id.</summary>
    internal QcVerdict Check(InputSpectrum input, IEnumerable<(string Id, InputContract Contract)> bundles)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(bundles);
        var spectrum = input.AsRead;
        var checks = new List<QcCheck>();
        var nonFinite = CountNonFinite(spectrum);
        checks.Add(nonFinite == 0
            ? new QcCheck(QcCheckKind.Finite, QcLevel.Pass, 0, 0, "all values finite")
            : new QcCheck(QcCheckKind.Finite, QcLevel.Fail, nonFinite, 0, Text($"{nonFinite} values are NaN or infinite")));

        if (nonFinite == 0 && spectrum.Length >= 2 && _options.MinRelativeSpread > 0) checks.Add(Flat(spectrum.Y.AsSpan()));

        var wavenumbers = input.InWavenumbers;
        var runnable = ImmutableArray.CreateBuilder<string>();
        var coverage = new List<QcCheck>();
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var (id, contract) in bundles)
        {
            var (check, gridLow, gridHigh) = Coverage(input, id, contract);
            coverage.Add(check);
            if (check.Level == QcLevel.Pass) runnable.Add(id);
            if (double.IsFinite(gridLow) && double.IsFinite(gridHigh))
            {
                low = Math.Min(low, gridLow);
                high = Math.Max(high, gridHigh);
            }
        }
        // A bundle that cannot run is a warning while another can, a failure when none can.
        var noneRuns = coverage.Count > 0 && runnable.Count == 0;
        checks.AddRange(coverage.Select(c => c.Level == QcLevel.Pass || noneRuns ? c : c with { Level = QcLevel.Warn }));

        if (nonFinite == 0 && wavenumbers.XUnit == XUnit.Wavenumber && wavenumbers.Length >= 2)
        {
            var x = wavenumbers.X.AsSpan();
            var y = wavenumbers.Y.AsSpan();
            var (start, count) = double.IsFinite(low) ? SpectralMeasures.Window(x, low, high) : (0, y.Length);
            var window = y.Slice(start, count);
            if (wavenumbers.YKind == YKind.Absorbance)
            {
                if (window.Length > 0) AddSaturation(window, checks);
                var noise = Noise(x, y, checks);
                AddCo2(x, y, checks);
                AddWaterVapour(x, y, double.IsNaN(noise) ? 0 : noise, checks);
            }
            else if (wavenumbers.YKind is YKind.Transmittance or YKind.Reflectance or YKind.SingleChannel && window.Length > 0)
            {
                AddThroughput(window, checks);
            }
        }

        var level = checks.Max(c => c.Level);
        return new QcVerdict(level, [.. checks], runnable.ToImmutable());
    }

    private static int CountNonFinite(Spectrum spectrum)
    {
        var count = 0;
        for (var i = 0; i < spectrum.Length; i++)
            if (!double.IsFinite(spectrum.X[i]) || !double.IsFinite(spectrum.Y[i])) count++;
        return count;
    }

    /// <summary>Whether the spectrum meets one bundle's contract (units, kind, x range), and the bundle's grid limits in wavenumbers or NaN.</summary>
    private static (QcCheck Check, double Low, double High) Coverage(InputSpectrum input, string id, InputContract contract)
    {
        var coverage = contract.Check(input);
        var seen = coverage.Spectrum;
        var inWavenumbers = contract.XUnit == XUnit.Wavenumber;
        var needs = SpectrumJson.Name(contract.XUnit);
        if (coverage.Problem == InputProblem.XUnit)
            return (Coverage(id, QcLevel.Fail, null, null, $"x unit is {SpectrumJson.Name(seen.XUnit, seen.Metadata.XUnitLabel)}; {id} needs {needs}"), double.NaN, double.NaN);
        var (low, high) = inWavenumbers ? (contract.Low, contract.High) : (double.NaN, double.NaN);
        if (coverage.Problem == InputProblem.YKind)
            return (Coverage(id, QcLevel.Fail, null, null, $"spectrum holds {SpectrumJson.Name(seen.YKind)}; {id} needs {SpectrumJson.Name(contract.YKind)}"), low, high);
        // Non-finite values are the finite check's failure; coverage judges the x range alone.
        var message = Text($"spectrum covers {coverage.Low:0.#}–{coverage.High:0.#} {needs}; {id} needs {contract.Low:0.#}–{contract.High:0.#}");
        return (Coverage(id, coverage.ReachesGrid ? QcLevel.Pass : QcLevel.Fail, coverage.Shortfall, contract.Tolerance, message), low, high);
    }

    private static QcCheck Coverage(string id, QcLevel level, double? value, double? threshold, string message) =>
        new(QcCheckKind.Coverage, level, value, threshold, message) { BundleId = id };

    /// <summary>
    /// A blank, dark or saturated scan: the values hardly vary relative to their magnitude (standard deviation over the
    /// largest absolute value), or are all zero. No preprocessing or model can use it (SNV divides by that deviation).
    /// </summary>
    private QcCheck Flat(ReadOnlySpan<double> y)
    {
        var spread = SpectralMeasures.RelativeSpread(y);
        return spread < _options.MinRelativeSpread
            ? new QcCheck(QcCheckKind.Flat, QcLevel.Fail, spread, _options.MinRelativeSpread, Text($"the spectrum is flat (spread {spread:G3} of its magnitude, below {_options.MinRelativeSpread:G3}): a blank, dark or saturated scan"))
            : new QcCheck(QcCheckKind.Flat, QcLevel.Pass, spread, _options.MinRelativeSpread, Text($"spread {spread:G3} of its magnitude"));
    }

    private void AddSaturation(ReadOnlySpan<double> absorbance, List<QcCheck> checks)
    {
        var (max, run) = SpectralMeasures.FlatTop(absorbance, FlatTopTolerance);
        var peak = absorbance[max];
        checks.Add(peak > _options.MaxAbsorbance
            ? new QcCheck(QcCheckKind.Saturation, QcLevel.Warn, peak, _options.MaxAbsorbance, Text($"absorbance reaches {peak:0.###} A, above {_options.MaxAbsorbance:0.###} A: the detector saw almost no light"))
            : new QcCheck(QcCheckKind.Saturation, QcLevel.Pass, peak, _options.MaxAbsorbance, Text($"largest absorbance {peak:0.###} A")));
        checks.Add(run > _options.MaxFlatTopPoints
            ? new QcCheck(QcCheckKind.FlatTop, QcLevel.Warn, run, _options.MaxFlatTopPoints, Text($"{run} consecutive points at the maximum {peak:0.###} A: clipped"))
            : new QcCheck(QcCheckKind.FlatTop, QcLevel.Pass, run, _options.MaxFlatTopPoints, Text($"{run} point(s) at the maximum")));
    }

    private void AddThroughput(ReadOnlySpan<double> values, List<QcCheck> checks)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var ratio = max > 0 ? min / max : 0;
        checks.Add(ratio < _options.MinThroughputRatio
            ? new QcCheck(QcCheckKind.Throughput, QcLevel.Warn, ratio, _options.MinThroughputRatio, Text($"signal falls to {ratio:G3} of its maximum: saturated bands or a blocked beam"))
            : new QcCheck(QcCheckKind.Throughput, QcLevel.Pass, ratio, _options.MinThroughputRatio, Text($"lowest signal {ratio:G3} of the maximum")));
    }

    private double Noise(ReadOnlySpan<double> x, ReadOnlySpan<double> y, List<QcCheck> checks)
    {
        var (start, count) = SpectralMeasures.Window(x, NoiseLow, NoiseHigh);
        if (count < MinRegionPoints) return double.NaN;
        var noise = SpectralMeasures.Roughness(y.Slice(start, count));
        checks.Add(new QcCheck(QcCheckKind.Noise, noise > _options.MaxNoise ? QcLevel.Warn : QcLevel.Pass, noise, _options.MaxNoise,
            Text($"noise {noise:G3} A in {NoiseHigh}–{NoiseLow} cm⁻¹ (limit {_options.MaxNoise:G3})")));
        return noise;
    }

    private void AddCo2(ReadOnlySpan<double> x, ReadOnlySpan<double> y, List<QcCheck> checks)
    {
        var (_, count) = SpectralMeasures.Window(x, Co2Low, Co2High);
        if (count < MinRegionPoints) return;
        var band = SpectralMeasures.BandStrength(x, y, Co2Low, Co2High, Co2Flank);
        if (double.IsNaN(band)) return;
        checks.Add(new QcCheck(QcCheckKind.Co2, band > _options.MaxCo2 ? QcLevel.Warn : QcLevel.Pass, band, _options.MaxCo2,
            Text($"CO₂ band {band:G3} A in {Co2High}–{Co2Low} cm⁻¹ (limit {_options.MaxCo2:G3})")));
    }

    private void AddWaterVapour(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double noise, List<QcCheck> checks)
    {
        var (start, count) = SpectralMeasures.Window(x, WaterLow, WaterHigh);
        if (count < MinRegionPoints) return;
        // Roughness above the noise floor: noisy spectra are flagged as noisy, not as wet.
        var rough = SpectralMeasures.Roughness(y.Slice(start, count));
        var lines = Math.Sqrt(Math.Max(0, rough * rough - noise * noise));
        checks.Add(new QcCheck(QcCheckKind.WaterVapour, lines > _options.MaxWaterVapour ? QcLevel.Warn : QcLevel.Pass, lines, _options.MaxWaterVapour,
            Text($"water-vapour lines {lines:G3} A in {WaterHigh}–{WaterLow} cm⁻¹ (limit {_options.MaxWaterVapour:G3})")));
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
