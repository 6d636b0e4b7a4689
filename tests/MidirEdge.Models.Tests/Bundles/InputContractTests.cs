using MidirEdge.Models.Bundles;
using MidirEdge.Models.Prediction;
using MidirEdge.Spectra;

namespace MidirEdge.Models.Tests.Bundles;

/// <summary>The parsed input contract: units and kinds, the grid's bounds, and why a spectrum is or is not covered.</summary>
public sealed class InputContractTests
{
    // A descending 2 cm⁻¹ grid from 4000 to 500 cm⁻¹, as a Bruker Alpha writes it.
    private static readonly double[] Grid = [.. Enumerable.Range(0, 1751).Select(i => 4000.0 - 2 * i)];
    private static readonly InputContract Absorbance = InputContract.Parse(new InputSpec("cm-1", "absorbance", [.. Grid]), "soil-C");

    /// <summary>The manifest's text becomes enums, and the grid's bounds and half its step are worked out once.</summary>
    [Fact]
    public void Parsing_reads_the_unit_and_kind_and_the_grid_bounds()
    {
        Assert.Equal((XUnit.Wavenumber, YKind.Absorbance), (Absorbance.XUnit, Absorbance.YKind));
        Assert.Equal((500.0, 4000.0, 1.0), (Absorbance.Low, Absorbance.High, Absorbance.Tolerance));

        var micrometres = InputContract.Parse(new InputSpec("um", "reflectance", [2.5, 2.6, 2.8]), "nir");
        Assert.Equal((XUnit.Micrometre, YKind.Reflectance, 2.5, 2.8), (micrometres.XUnit, micrometres.YKind, micrometres.Low, micrometres.High));
        Assert.Equal(0.05, micrometres.Tolerance, 12);

        Assert.Contains("'furlongs' is not one of cm-1", Assert.Throws<ModelException>(() => InputContract.Parse(new InputSpec("furlongs", "absorbance", [1.0, 2.0]), "m")).Message);
        Assert.Contains("'shade' is unknown", Assert.Throws<ModelException>(() => InputContract.Parse(new InputSpec("cm-1", "shade", [1.0, 2.0]), "m")).Message);
        Assert.Contains("at least two points", Assert.Throws<ModelException>(() => InputContract.Parse(new InputSpec("cm-1", "absorbance", [1.0]), "m")).Message);
    }

    /// <summary>A spectrum on the grid is covered and brought onto it; one a fraction of a step short of an end is too.</summary>
    [Fact]
    public void A_spectrum_reaching_both_ends_is_covered()
    {
        var coverage = Absorbance.Check(new InputSpectrum(Soil(Grid)));
        Assert.Equal((InputProblem.None, true, 0.0), (coverage.Problem, coverage.ReachesGrid, coverage.Shortfall));
        Assert.Equal(Grid, Absorbance.ToGrid(new InputSpectrum(Soil(Grid))).X);

        // The instrument's last point 0.9 cm⁻¹ inside the grid's end: less than half a step, no extrapolation.
        var nearly = Soil([.. Grid.Select(x => x == 500 ? 500.9 : x)]);
        Assert.Equal(InputProblem.None, Absorbance.Check(new InputSpectrum(nearly)).Problem);
    }

    /// <summary>
    /// A spectrum in µm or nm is converted to cm⁻¹ once, when it is wrapped: every contract that reads wavenumbers sees that
    /// same converted spectrum, which predicts as the spectrum read in cm⁻¹ would; a µm contract reads it as it came.
    /// </summary>
    [Theory]
    [InlineData(XUnit.Micrometre, 1e4)]
    [InlineData(XUnit.Nanometre, 1e7)]
    public void A_wavelength_spectrum_is_converted_once_for_every_contract(XUnit unit, double factor)
    {
        var inWavenumbers = Soil(Grid);
        var input = new InputSpectrum(Spectrum.Create([.. Grid.Select(x => factor / x)], [.. inWavenumbers.Y], unit, YKind.Absorbance));
        var another = InputContract.Parse(new InputSpec("cm-1", "absorbance", [.. Grid.Where(x => x <= 2000)]), "soil-N");

        var first = Absorbance.Check(input);
        var second = another.Check(input);

        Assert.Equal((InputProblem.None, InputProblem.None), (first.Problem, second.Problem));
        Assert.Same(input.InWavenumbers, first.Spectrum);
        Assert.Same(input.InWavenumbers, second.Spectrum);
        Assert.Equal(XUnit.Wavenumber, input.InWavenumbers.XUnit);
        var onGrid = Absorbance.ToGrid(input);
        var expected = Absorbance.ToGrid(new InputSpectrum(inWavenumbers));
        Assert.Equal(expected.Y, onGrid.Y, (a, b) => Math.Abs(a - b) < 1e-9);

        var wavelengths = InputContract.Parse(new InputSpec(unit == XUnit.Micrometre ? "um" : "nm", "absorbance", [.. input.AsRead.X]), "by-wavelength");
        Assert.Same(input.AsRead, wavelengths.Check(input).Spectrum);
        Assert.Equal(InputProblem.None, wavelengths.Check(input).Problem);
    }

    /// <summary>A unit that cannot be converted, another y kind and non-finite values are each named.</summary>
    [Fact]
    public void Unit_kind_and_non_finite_values_are_named()
    {
        var points = new InputSpectrum(Spectrum.Create([.. Enumerable.Range(0, Grid.Length).Select(i => (double)i)], [.. Soil(Grid).Y], XUnit.Points, YKind.Absorbance));
        var unit = Absorbance.Check(points);
        Assert.Equal(InputProblem.XUnit, unit.Problem);
        Assert.Equal("spectrum x unit is points; model needs cm-1", Absorbance.Reason(unit));
        Assert.Equal("soil-C: spectrum x unit is points; model needs cm-1", Assert.Throws<InputContractException>(() => Absorbance.ToGrid(points)).Message);

        var transmittance = Absorbance.Check(new InputSpectrum(Soil(Grid).WithY([.. Soil(Grid).Y], YKind.Transmittance)));
        Assert.Equal(InputProblem.YKind, transmittance.Problem);
        Assert.Equal("spectrum holds transmittance; model needs absorbance", Absorbance.Reason(transmittance));

        var y = Soil(Grid).Y.ToArray();
        y[7] = double.NaN;
        y[9] = double.PositiveInfinity;
        var nonFinite = Absorbance.Check(new InputSpectrum(Soil(Grid).WithY(y)));
        Assert.Equal((InputProblem.NonFinite, 2, true), (nonFinite.Problem, nonFinite.NonFinite, nonFinite.ReachesGrid));
        Assert.Equal("spectrum has 2 non-finite values (NaN or infinity)", Absorbance.Reason(nonFinite));
    }

    /// <summary>A spectrum stopping short of the grid by more than half a step, or of a single point, is not covered.</summary>
    [Fact]
    public void A_spectrum_short_of_the_grid_is_not_covered()
    {
        var trimmed = Absorbance.Check(new InputSpectrum(Soil([.. Grid.Where(x => x >= 600)])));
        Assert.Equal((InputProblem.Range, false, 100.0), (trimmed.Problem, trimmed.ReachesGrid, trimmed.Shortfall));
        Assert.Equal("spectrum covers 600–4000 cm⁻¹; model needs 500–4000 cm⁻¹", Absorbance.Reason(trimmed));

        var single = Absorbance.Check(new InputSpectrum(Soil([1000.0])));
        Assert.Equal(InputProblem.Range, single.Problem);
        Assert.Equal("spectrum has 1 points; model needs 500–4000 cm⁻¹", Absorbance.Reason(single));
    }

    // A smooth, soil-like absorbance on x: a broad band near 1000 cm⁻¹ over a sloping baseline.
    private static Spectrum Soil(double[] x) =>
        Spectrum.Create(x, [.. x.Select(v => 0.3 + 1e-4 * v + 0.8 * Math.Exp(-Math.Pow((v - 1000) / 150, 2)))], XUnit.Wavenumber, YKind.Absorbance);
}
