using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Domain;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Json;
using MidirEdge.Spectra.Preprocessing;

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

    /// <summary>Checks a spectrum against the input contracts of the active bundles.</summary>
    public QcVerdict Check(Spectrum spectrum, IEnumerable<ModelBundle> bundles)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        return Check(spectrum, bundles.Select(b => b.Manifest));
    }

    /// <summary>Checks a spectrum against the input contracts of these bundle manifests.</summary>
    public QcVerdict Check(Spectrum spectrum, IEnumerable<BundleManifest> bundles)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(bundles);
        var checks = new List<QcCheck>();
        var nonFinite = CountNonFinite(spectrum);
        checks.Add(nonFinite == 0
            ? new QcCheck(QcCheckKind.Finite, QcLevel.Pass, 0, 0, "all values finite")
            : new QcCheck(QcCheckKind.Finite, QcLevel.Fail, nonFinite, 0, Text($"{nonFinite} values are NaN or infinite")));

        if (nonFinite == 0 && spectrum.Length >= 2 && _options.MinRelativeSpread > 0) checks.Add(Flat(spectrum.Y.AsSpan()));

        var wavenumbers = spectrum.XUnit is XUnit.Micrometre or XUnit.Nanometre ? new ToWavenumber().Apply(spectrum) : spectrum;
        var runnable = ImmutableArray.CreateBuilder<string>();
        var coverage = new List<QcCheck>();
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var manifest in bundles)
        {
            var (check, gridLow, gridHigh) = Coverage(spectrum, wavenumbers, manifest);
            coverage.Add(check);
            if (check.Level == QcLevel.Pass) runnable.Add(manifest.Id);
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
    private static (QcCheck Check, double Low, double High) Coverage(Spectrum spectrum, Spectrum wavenumbers, BundleManifest manifest)
    {
        var contract = manifest.Input;
        var grid = contract.Grid.AsSpan();
        double gridLow = double.PositiveInfinity, gridHigh = double.NegativeInfinity, step = double.PositiveInfinity;
        for (var i = 0; i < grid.Length; i++)
        {
            gridLow = Math.Min(gridLow, grid[i]);
            gridHigh = Math.Max(gridHigh, grid[i]);
            if (i > 0) step = Math.Min(step, Math.Abs(grid[i] - grid[i - 1]));
        }
        var candidate = contract.XUnit == SpectrumJson.Name(XUnit.Wavenumber) ? wavenumbers : spectrum;
        var inWavenumbers = candidate.XUnit == XUnit.Wavenumber;
        var limits = inWavenumbers ? (gridLow, gridHigh) : (double.NaN, double.NaN);
        var unit = SpectrumJson.Name(candidate.XUnit, candidate.Metadata.XUnitLabel);
        if (unit != contract.XUnit)
            return (Coverage(manifest, QcLevel.Fail, null, null, $"x unit is {unit}; {manifest.Id} needs {contract.XUnit}"), double.NaN, double.NaN);
        var kind = SpectrumJson.Name(candidate.YKind);
        if (kind != contract.YKind)
            return (Coverage(manifest, QcLevel.Fail, null, null, $"spectrum holds {kind}; {manifest.Id} needs {contract.YKind}"), limits.Item1, limits.Item2);

        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var v in candidate.X)
        {
            if (!double.IsFinite(v)) continue;
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }
        // Half a grid step is no extrapolation, as in the bundle's own input guard.
        var tolerance = double.IsFinite(step) ? step / 2 : 0;
        var shortfall = Math.Max(0, Math.Max(low - gridLow, gridHigh - high));
        if (!double.IsFinite(shortfall)) shortfall = double.PositiveInfinity;
        var covers = grid.Length >= 2 && shortfall <= tolerance;
        var message = Text($"spectrum covers {low:0.#}–{high:0.#} {contract.XUnit}; {manifest.Id} needs {gridLow:0.#}–{gridHigh:0.#}");
        return (Coverage(manifest, covers ? QcLevel.Pass : QcLevel.Fail, shortfall, tolerance, message), limits.Item1, limits.Item2);
    }

    private static QcCheck Coverage(BundleManifest manifest, QcLevel level, double? value, double? threshold, string message) =>
        new(QcCheckKind.Coverage, level, value, threshold, message) { BundleId = manifest.Id };

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
