using System.Collections.Immutable;
using MidirEdge.Spectra.Preprocessing;

namespace MidirEdge.Spectra.Tests.Preprocessing;

public class StepTests
{
    private const double Exact = 1e-12;

    private static Spectrum Make(double[] x, double[] y, YKind kind = YKind.Absorbance, XUnit unit = XUnit.Wavenumber) =>
        Spectrum.Create(x, y, unit, kind, new SpectrumMetadata { SampleName = "s" });

    private static void Near(double[] expected, Spectrum actual, double tolerance = Exact)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual.Y[i], tolerance);
    }

    [Fact]
    public void Transmittance_to_absorbance_as_fraction_and_percent()
    {
        var fraction = new TransmittanceToAbsorbance().Apply(Make([1, 2, 3], [1, 0.1, 0.01], YKind.Transmittance));
        var percent = new TransmittanceToAbsorbance(Percent: true).Apply(Make([1, 2, 3], [100, 10, 1], YKind.Transmittance));

        Near([0, 1, 2], fraction);
        Near([0, 1, 2], percent);
        Assert.Equal(YKind.Absorbance, fraction.YKind);
        Assert.Equal("s", fraction.Metadata.SampleName);
        var error = Assert.Throws<ArgumentException>(() => new TransmittanceToAbsorbance().Apply(Make([1], [1])));
        Assert.Contains("expects Transmittance", error.Message);
    }

    [Fact]
    public void Reflectance_to_log_inverse_reflectance()
    {
        Near([1, 2], new ReflectanceToAbsorbance().Apply(Make([1, 2], [0.1, 0.01], YKind.Reflectance)));
        Near([1, 2], new ReflectanceToAbsorbance(Percent: true).Apply(Make([1, 2], [10, 1], YKind.Reflectance)));
    }

    [Fact]
    public void Kubelka_Munk_of_reflectance()
    {
        var result = new KubelkaMunk().Apply(Make([1, 2], [0.5, 0.25], YKind.Reflectance));

        Near([0.25, 1.125], result);
        Assert.Equal(YKind.KubelkaMunk, result.YKind);
        Near([0.25], new KubelkaMunk(Percent: true).Apply(Make([1], [50], YKind.Reflectance)));
    }

    [Fact]
    public void Wavelength_to_wavenumber()
    {
        var fromMicrometres = new ToWavenumber().Apply(Make([2.5, 10], [1, 2], unit: XUnit.Micrometre));
        var fromNanometres = new ToWavenumber().Apply(Make([2500], [1], unit: XUnit.Nanometre));

        Assert.Equal([4000.0, 1000.0], fromMicrometres.X.ToArray());
        Assert.Equal([1.0, 2.0], fromMicrometres.Y.ToArray());
        Assert.Equal(XUnit.Wavenumber, fromMicrometres.XUnit);
        Assert.Equal(4000.0, fromNanometres.X[0], Exact);
        Assert.Throws<ArgumentException>(() => new ToWavenumber().Apply(Make([1], [1], unit: XUnit.Points)));
    }

    [Fact]
    public void Sort_by_x_moves_y_along()
    {
        var sorted = new SortByX().Apply(Make([3, 1, 2], [30, 10, 20]));

        Assert.Equal([1.0, 2, 3], sorted.X.ToArray());
        Assert.Equal([10.0, 20, 30], sorted.Y.ToArray());
    }

    [Fact]
    public void Trim_keeps_and_exclude_removes_closed_ranges()
    {
        var spectrum = Make([2200, 2269, 2300, 2389, 2400, 3000], [1, 2, 3, 4, 5, 6]);

        var trimmed = new Trim([new XRange(2250, 2300), new XRange(2900, 3100)]).Apply(spectrum);
        var withoutCo2 = new Exclude([new XRange(2269, 2389)]).Apply(spectrum);

        Assert.Equal([2269.0, 2300, 3000], trimmed.X.ToArray());
        Assert.Equal([2.0, 3, 6], trimmed.Y.ToArray());
        Assert.Equal([2200.0, 2400, 3000], withoutCo2.X.ToArray());
        Assert.Equal([1.0, 5, 6], withoutCo2.Y.ToArray());
    }

    [Fact]
    public void Linear_resampling_holds_end_values_outside_the_data()
    {
        var result = new Resample([0.5, 1.5, 3, -1]).Apply(Make([0, 1, 2], [0, 10, 40]));

        Assert.Equal([0.5, 1.5, 3, -1], result.X.ToArray());
        Near([5, 25, 40, 0], result);
    }

    [Fact]
    public void Cubic_not_a_knot_resampling_reproduces_a_cubic_from_decreasing_x()
    {
        static double Cubic(double x) => x * x * x - 2 * x;
        double[] x = [5, 4, 3, 2, 1, 0];
        var spectrum = Make(x, x.Select(Cubic).ToArray());

        var result = new Resample(-1, 6, 0.5, InterpolationMethod.Cubic).Apply(spectrum);

        Assert.Equal(15, result.Length);
        for (var i = 0; i < result.Length; i++) Assert.Equal(Cubic(result.X[i]), result.Y[i], 1e-9);
    }

    [Fact]
    public void Cubic_through_three_points_is_the_parabola_and_through_two_the_line()
    {
        var parabola = new Resample([1.5, 3], InterpolationMethod.Cubic).Apply(Make([0, 1, 2], [0, 1, 4]));
        var line = new Resample([3], InterpolationMethod.Cubic).Apply(Make([0, 1], [1, 3]));

        Near([2.25, 9], parabola);
        Near([7], line);
    }

    [Fact]
    public void Savitzky_Golay_has_the_textbook_coefficients_and_differentiates_a_parabola_exactly()
    {
        Assert.Equal([-3 / 35.0, 12 / 35.0, 17 / 35.0, 12 / 35.0, -3 / 35.0], SavitzkyGolay.Coefficients(5, 2), new ToleranceComparer(1e-14));

        var x = Enumerable.Range(0, 30).Select(i => i * 0.5).ToArray();
        var derivative = new SavitzkyGolay(7, 2, derivative: 1, delta: 0.5).Apply(Make(x, x.Select(v => v * v).ToArray()));

        Near(x.Select(v => 2 * v).ToArray(), derivative, 1e-10);
        Assert.Equal(YKind.Arbitrary, derivative.YKind);
    }

    [Fact]
    public void Savitzky_Golay_modes_pad_as_SciPy_documents()
    {
        // With a 3-point moving average (poly 0) the first output is the mean of the padded sample and the first two.
        double[] y = [1, 2, 3, 4];
        double First(SavitzkyGolayMode mode) => new SavitzkyGolay(3, 0, mode: mode, constantValue: 10).Apply(Make([1, 2, 3, 4], y)).Y[0];

        Assert.Equal((2 + 1 + 2) / 3.0, First(SavitzkyGolayMode.Mirror), Exact);
        Assert.Equal((1 + 1 + 2) / 3.0, First(SavitzkyGolayMode.Nearest), Exact);
        Assert.Equal((10 + 1 + 2) / 3.0, First(SavitzkyGolayMode.Constant), Exact);
        Assert.Equal((4 + 1 + 2) / 3.0, First(SavitzkyGolayMode.Wrap), Exact);
        Assert.Equal((1 + 2 + 3) / 3.0, First(SavitzkyGolayMode.Interp), Exact);
    }

    [Theory]
    [InlineData(SavitzkyGolayMode.Mirror, 11 / 7.0)]
    [InlineData(SavitzkyGolayMode.Nearest, 10 / 7.0)]
    [InlineData(SavitzkyGolayMode.Wrap, 11 / 7.0)]
    [InlineData(SavitzkyGolayMode.Constant, 3 / 7.0)]
    public void Padding_modes_work_on_spectra_shorter_than_the_window(SavitzkyGolayMode mode, double expectedFirst)
    {
        // A 7-point moving average at the first of [1, 2] sees samples −3…3: mirror and wrap repeat 2 1 2 | 1 2 | 1 2,
        // nearest gives 1 1 1 | 1 2 | 2 2, constant 0 0 0 | 1 2 | 0 0.
        var result = new SavitzkyGolay(7, 0, mode: mode).Apply(Make([1, 2], [1, 2]));

        Assert.Equal(expectedFirst, result.Y[0], Exact);
    }

    [Fact]
    public void Snv_with_sample_and_population_deviation()
    {
        Near([-1, 0, 1], new Snv().Apply(Make([1, 2, 3], [1, 2, 3])));
        var population = Math.Sqrt(1.5);
        Near([-population, 0, population], new Snv(ddof: 0).Apply(Make([1, 2, 3], [1, 2, 3])));
        Assert.Throws<ArgumentException>(() => new Snv().Apply(Make([1, 2], [5, 5])));
    }

    [Fact]
    public void Msc_removes_offset_and_scale_relative_to_the_reference()
    {
        var msc = new Msc([1, 2, 3, 4]);

        Near([1, 2, 3, 4], msc.Apply(Make([1, 2, 3, 4], [5, 8, 11, 14])));
        Assert.Equal([2.0, 3.0], Msc.Fit([[1, 2], [3, 4]]).Reference.ToArray());
        Assert.Throws<ArgumentException>(() => msc.Apply(Make([1, 2], [1, 2])));
    }

    [Fact]
    public void Detrend_removes_a_polynomial_baseline()
    {
        double[] x = [4000, 3000, 2000, 1000, 500];
        Near([0, 0, 0, 0, 0], new Detrend(1).Apply(Make(x, x.Select(v => 5 - 0.5 * v).ToArray())), 1e-9);
        Near([0, 0, 0, 0, 0], new Detrend(2).Apply(Make(x, x.Select(v => 1e-6 * v * v + 1).ToArray())), 1e-9);
        Near([-1, 0, 1], new Detrend(0).Apply(Make([1, 2, 3], [1, 2, 3])));
    }

    [Fact]
    public void Min_max_scales_to_unit_interval()
    {
        Near([0, 0.5, 1], new MinMax().Apply(Make([1, 2, 3], [2, 4, 6])));
        Assert.Throws<ArgumentException>(() => new MinMax().Apply(Make([1, 2], [3, 3])));
    }

    [Fact]
    public void Mean_centring_subtracts_the_stored_mean()
    {
        Near([0.5, 1.5], new MeanCentre([0.5, 0.5]).Apply(Make([1, 2], [1, 2])));
        Assert.Equal([2.0, 3.0], MeanCentre.Fit([[1, 2], [3, 4]]).Mean.ToArray());
    }

    [Fact]
    public void Savitzky_Golay_steps_with_equal_parameters_are_equal_whether_or_not_their_kernel_is_cached()
    {
        var used = new SavitzkyGolay(7, 2, 1);
        used.Apply(Make([1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7]));

        Assert.Equal(new SavitzkyGolay(7, 2, 1), used);
        Assert.Equal(new SavitzkyGolay(7, 2, 1).GetHashCode(), used.GetHashCode());
        Assert.NotEqual(new SavitzkyGolay(7, 2, 0), used);
        Assert.Same(used.GetKernel(), used.GetKernel());
    }

    [Theory]
    [InlineData(4, 2, 0, "odd")]
    [InlineData(0, 0, 0, "odd")]
    [InlineData(5, 5, 0, "less than the window length")]
    [InlineData(3, 7, 0, "less than the window length")]
    [InlineData(7, 2, 3, "derivative 3")]
    [InlineData(7, -1, 0, "must not be negative")]
    public void Savitzky_Golay_rejects_bad_parameters(int window, int poly, int deriv, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new SavitzkyGolay(window, poly, deriv));
        Assert.Contains(message, error.Message);
        Assert.Throws<ArgumentException>(() => new SavitzkyGolay(7, 2, 1, delta: 0));
    }

    [Fact]
    public void Interp_mode_needs_a_spectrum_at_least_as_long_as_the_window()
    {
        var error = Assert.Throws<ArgumentException>(() => new SavitzkyGolay(7, 2).Apply(Make([1, 2, 3], [1, 2, 3])));
        Assert.Contains("at least the window length", error.Message);
    }

    [Fact]
    public void Ranges_and_grids_reject_inversion()
    {
        Assert.Contains("inverted", Assert.Throws<ArgumentException>(() => new XRange(2389, 2269)).Message);
        Assert.Throws<ArgumentException>(() => new XRange(double.NaN, 1));
        Assert.Contains("inverted", Assert.Throws<ArgumentException>(() => new Resample(4000, 600, 2)).Message);
        Assert.Throws<ArgumentException>(() => new Resample(600, 4000, 0));
        Assert.Throws<ArgumentException>(() => new Resample(ImmutableArray<double>.Empty));
        Assert.Throws<ArgumentException>(() => new Trim([]));
        Assert.Throws<ArgumentException>(() => new Resample([1.0]).Apply(Make([1, 3, 2], [1, 2, 3])));
    }

    [Theory]
    [InlineData("ascending")]
    [InlineData("descending")]
    [InlineData("shuffled")]
    public void Interpolation_gives_the_same_values_whatever_the_order_of_the_points(string order)
    {
        // Irregular data and a grid running past both ends, sometimes finer and sometimes coarser than the data.
        var x = Enumerable.Range(0, 120).Select(i => i + 0.3 * Math.Sin(i)).ToArray();
        var y = x.Select(v => Math.Sin(v / 7) + v / 50).ToArray();
        var at = Enumerable.Range(0, 400).Select(i => -3 + i * 0.31 + (i % 50 == 0 ? 9 : 0)).ToArray();
        at = order switch
        {
            "descending" => [.. at.Reverse()],
            "shuffled" => [.. at.OrderBy(v => (v * 7919) % 1)],
            _ => at,
        };
        var linear = new double[at.Length];
        var cubic = new double[at.Length];
        Interpolation.Linear(x, y, at, linear);
        Interpolation.CubicNotAKnot(x, y, at, cubic);

        var one = new double[1];
        for (var k = 0; k < at.Length; k++)
        {
            Interpolation.Linear(x, y, [at[k]], one);
            Assert.Equal(one[0], linear[k]);
            Interpolation.CubicNotAKnot(x, y, [at[k]], one);
            Assert.Equal(one[0], cubic[k]);
        }
    }

    [Fact]
    public void Interpolation_at_NaN_gives_NaN()
    {
        var result = new double[2];
        Interpolation.Linear([0, 1, 2], [0, 1, 2], [double.NaN, 1.5], result);
        Assert.True(double.IsNaN(result[0]));
        Interpolation.CubicNotAKnot([0, 1, 2, 3], [0, 1, 8, 27], [double.NaN, 1.5], result);
        Assert.True(double.IsNaN(result[0]));
        Assert.Equal(3.375, result[1], Exact);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
