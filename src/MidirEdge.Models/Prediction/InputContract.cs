using System.Collections.Immutable;
using System.Globalization;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Json;
using MidirEdge.Spectra.Preprocessing;

namespace MidirEdge.Models.Prediction;

/// <summary>
/// A bundle's input contract, parsed once when the bundle loads: the x unit and y kind it reads and the bounds of its grid.
/// Says whether a spectrum is covered, and why not, and brings a covered one onto the grid. Thread-safe.
/// </summary>
public sealed class InputContract
{
    private readonly string _model;
    private readonly Resample _toGrid;

    private InputContract(string model, XUnit xUnit, YKind yKind, ImmutableArray<double> grid, InterpolationMethod interpolation)
    {
        _model = model;
        XUnit = xUnit;
        YKind = yKind;
        Grid = grid;
        _toGrid = new Resample(grid, interpolation);
        double low = double.PositiveInfinity, high = double.NegativeInfinity, step = double.PositiveInfinity;
        for (var i = 0; i < grid.Length; i++)
        {
            low = Math.Min(low, grid[i]);
            high = Math.Max(high, grid[i]);
            if (i > 0) step = Math.Min(step, Math.Abs(grid[i] - grid[i - 1]));
        }
        Low = low;
        High = high;
        // Instruments put their first and last points a fraction of a step apart; half a step is no extrapolation.
        Tolerance = step / 2;
    }

    /// <summary>The x unit the bundle reads; spectra in µm or nm meet a cm⁻¹ contract through <see cref="InputSpectrum.InWavenumbers"/>.</summary>
    public XUnit XUnit { get; }

    /// <summary>The y kind the bundle reads.</summary>
    public YKind YKind { get; }

    /// <summary>The lowest x of the grid, in <see cref="XUnit"/>.</summary>
    public double Low { get; }

    /// <summary>The highest x of the grid, in <see cref="XUnit"/>.</summary>
    public double High { get; }

    /// <summary>How far inside the grid's ends a spectrum may stop and still cover it: half the grid's smallest step.</summary>
    public double Tolerance { get; }

    /// <summary>The grid spectra are resampled onto.</summary>
    internal ImmutableArray<double> Grid { get; }

    /// <summary>Parses the manifest's <paramref name="spec"/>; <paramref name="model"/> names the bundle in errors and refusals.</summary>
    /// <exception cref="ModelException">The unit or kind is unknown, or the grid has fewer than two points.</exception>
    public static InputContract Parse(InputSpec spec, string model)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var xUnit = ParseXUnit(spec.XUnit) ?? throw new ModelException(model, $"input x unit '{spec.XUnit}' is not one of cm-1, um, nm, points");
        var yKind = ParseYKind(spec.YKind) ?? throw new ModelException(model, $"input y kind '{spec.YKind}' is unknown");
        if (spec.Grid.IsDefaultOrEmpty || spec.Grid.Length < 2) throw new ModelException(model, "input grid needs at least two points");
        return new InputContract(model, xUnit, yKind, spec.Grid, spec.Interpolation);
    }

    /// <summary>
    /// Whether <paramref name="input"/> meets the contract: its unit (cm⁻¹ contracts read the spectrum in wavenumbers), its
    /// kind, finite values, and an x range that reaches both ends of the grid within <see cref="Tolerance"/>.
    /// </summary>
    public InputCoverage Check(InputSpectrum input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var spectrum = XUnit == XUnit.Wavenumber ? input.InWavenumbers : input.AsRead;
        if (spectrum.XUnit != XUnit) return new InputCoverage(InputProblem.XUnit, spectrum, double.NaN, double.NaN, double.PositiveInfinity, false, 0);
        var nonFinite = 0;
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        for (var i = 0; i < spectrum.Length; i++)
        {
            var x = spectrum.X[i];
            if (!double.IsFinite(x) || !double.IsFinite(spectrum.Y[i])) nonFinite++;
            if (!double.IsFinite(x)) continue;
            low = Math.Min(low, x);
            high = Math.Max(high, x);
        }
        var shortfall = Math.Max(0, Math.Max(low - Low, High - high));
        if (!double.IsFinite(shortfall)) shortfall = double.PositiveInfinity;
        var reaches = spectrum.Length >= 2 && shortfall <= Tolerance;
        var problem = spectrum.YKind != YKind ? InputProblem.YKind
            : nonFinite > 0 ? InputProblem.NonFinite
            : reaches ? InputProblem.None
            : InputProblem.Range;
        return new InputCoverage(problem, spectrum, low, high, shortfall, reaches, nonFinite);
    }

    /// <summary>The spectrum on the bundle's grid, or an <see cref="InputContractException"/> saying what keeps it from the contract.</summary>
    public Spectrum ToGrid(InputSpectrum input)
    {
        var coverage = Check(input);
        return coverage.Problem == InputProblem.None ? _toGrid.Apply(coverage.Spectrum) : throw new InputContractException(_model, Reason(coverage));
    }

    /// <summary>Why a spectrum is not covered, in one sentence: <c>spectrum covers 601.6–3997.4 cm⁻¹; model needs 499.7–3997.4 cm⁻¹</c>.</summary>
    public string Reason(InputCoverage coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        var spectrum = coverage.Spectrum;
        return coverage.Problem switch
        {
            InputProblem.None => "spectrum meets the input contract",
            InputProblem.XUnit => $"spectrum x unit is {SpectrumJson.Name(spectrum.XUnit, spectrum.Metadata.XUnitLabel)}; model needs {SpectrumJson.Name(XUnit)}",
            InputProblem.YKind => $"spectrum holds {SpectrumJson.Name(spectrum.YKind)}; model needs {SpectrumJson.Name(YKind)}",
            InputProblem.NonFinite => $"spectrum has {coverage.NonFinite} non-finite values (NaN or infinity)",
            _ when spectrum.Length < 2 => $"spectrum has {spectrum.Length} points; model needs {Range(Low, High)}",
            _ => $"spectrum covers {Range(coverage.Low, coverage.High)}; model needs {Range(Low, High)}",
        };
    }

    private string Range(double low, double high) =>
        string.Create(CultureInfo.InvariantCulture, $"{low:0.#}–{high:0.#} {XUnit switch
        {
            XUnit.Wavenumber => "cm⁻¹",
            XUnit.Micrometre => "µm",
            _ => SpectrumJson.Name(XUnit),
        }}");

    internal static XUnit? ParseXUnit(string text) => Enum.GetValues<XUnit>().Cast<XUnit?>().FirstOrDefault(u => SpectrumJson.Name(u!.Value) == text);

    internal static YKind? ParseYKind(string text) => Enum.GetValues<YKind>().Cast<YKind?>().FirstOrDefault(k => SpectrumJson.Name(k!.Value) == text);
}

/// <summary>What keeps a spectrum from a bundle's input contract; the first of them that applies.</summary>
public enum InputProblem
{
    /// <summary>Nothing: the spectrum is covered.</summary>
    None,
    /// <summary>Its x unit is not the contract's (nor convertible to it).</summary>
    XUnit,
    /// <summary>Its y kind is not the contract's.</summary>
    YKind,
    /// <summary>It holds NaN or infinite values.</summary>
    NonFinite,
    /// <summary>Its x range stops short of the grid's ends by more than the tolerance, or it has fewer than two points.</summary>
    Range,
}

/// <summary>How a spectrum meets an input contract.</summary>
/// <param name="Problem">What keeps it from the contract; <see cref="InputProblem.None"/> when it is covered.</param>
/// <param name="Spectrum">The spectrum the contract read: in wavenumbers for a cm⁻¹ contract, else as read.</param>
/// <param name="Low">Its lowest finite x (NaN when its unit is not the contract's).</param>
/// <param name="High">Its highest finite x (NaN when its unit is not the contract's).</param>
/// <param name="Shortfall">How far its range stops short of the grid's ends (0 when it reaches both; infinite when unknown).</param>
/// <param name="ReachesGrid">Whether its x range reaches the grid's ends within the tolerance, whatever else is wrong with it.</param>
/// <param name="NonFinite">Points with a NaN or infinite x or y.</param>
public sealed record InputCoverage(InputProblem Problem, Spectrum Spectrum, double Low, double High, double Shortfall, bool ReachesGrid, int NonFinite);
