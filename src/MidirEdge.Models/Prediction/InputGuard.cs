using System.Globalization;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Json;
using MidirEdge.Spectra.Preprocessing;

namespace MidirEdge.Models.Prediction;

/// <summary>Checks a spectrum against a bundle's input contract and brings it onto the bundle's grid.</summary>
internal sealed class InputGuard
{
    private readonly string _model;
    private readonly XUnit _xUnit;
    private readonly YKind _yKind;
    private readonly Resample _toGrid;
    private readonly double _low, _high, _tolerance;

    public InputGuard(string model, InputContract contract)
    {
        _model = model;
        _xUnit = ParseXUnit(contract.XUnit) ?? throw new ModelException(model, $"input x unit '{contract.XUnit}' is not one of cm-1, um, nm, points");
        _yKind = ParseYKind(contract.YKind) ?? throw new ModelException(model, $"input y kind '{contract.YKind}' is unknown");
        if (contract.Grid.IsDefaultOrEmpty || contract.Grid.Length < 2) throw new ModelException(model, "input grid needs at least two points");
        _toGrid = new Resample(contract.Grid, contract.Interpolation);
        var grid = contract.Grid.AsSpan();
        _low = double.PositiveInfinity;
        _high = double.NegativeInfinity;
        var step = double.PositiveInfinity;
        for (var i = 0; i < grid.Length; i++)
        {
            _low = Math.Min(_low, grid[i]);
            _high = Math.Max(_high, grid[i]);
            if (i > 0) step = Math.Min(step, Math.Abs(grid[i] - grid[i - 1]));
        }
        // Instruments put their first and last points a fraction of a step apart; half a step is no extrapolation.
        _tolerance = step / 2;
    }

    /// <summary>The spectrum on the bundle's grid, or an <see cref="InputContractException"/> saying what is wrong.</summary>
    public Spectrum ToGrid(Spectrum spectrum)
    {
        if (spectrum.XUnit != _xUnit)
        {
            if (_xUnit == XUnit.Wavenumber && spectrum.XUnit is XUnit.Micrometre or XUnit.Nanometre)
                spectrum = new ToWavenumber().Apply(spectrum);
            else
                throw Refuse($"spectrum x unit is {SpectrumJson.Name(spectrum.XUnit, spectrum.Metadata.XUnitLabel)}; model needs {SpectrumJson.Name(_xUnit)}");
        }
        if (spectrum.YKind != _yKind)
            throw Refuse($"spectrum holds {SpectrumJson.Name(spectrum.YKind)}; model needs {SpectrumJson.Name(_yKind)}");
        var bad = 0;
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        for (var i = 0; i < spectrum.Length; i++)
        {
            if (!double.IsFinite(spectrum.Y[i]) || !double.IsFinite(spectrum.X[i])) { bad++; continue; }
            low = Math.Min(low, spectrum.X[i]);
            high = Math.Max(high, spectrum.X[i]);
        }
        if (bad > 0) throw Refuse($"spectrum has {bad} non-finite values (NaN or infinity)");
        if (spectrum.Length < 2 || low > _low + _tolerance || high < _high - _tolerance)
            throw Refuse(spectrum.Length < 2
                ? $"spectrum has {spectrum.Length} points; model needs {Range(_low, _high)}"
                : $"spectrum covers {Range(low, high)}; model needs {Range(_low, _high)}");
        return _toGrid.Apply(spectrum);
    }

    private InputContractException Refuse(string reason) => new(_model, reason);

    private string Range(double low, double high) =>
        string.Create(CultureInfo.InvariantCulture, $"{low:0.#}–{high:0.#} {_xUnit switch
        {
            XUnit.Wavenumber => "cm⁻¹",
            XUnit.Micrometre => "µm",
            _ => SpectrumJson.Name(_xUnit),
        }}");

    internal static XUnit? ParseXUnit(string text) => Enum.GetValues<XUnit>().Cast<XUnit?>().FirstOrDefault(u => SpectrumJson.Name(u!.Value) == text);

    internal static YKind? ParseYKind(string text) => Enum.GetValues<YKind>().Cast<YKind?>().FirstOrDefault(k => SpectrumJson.Name(k!.Value) == text);
}
