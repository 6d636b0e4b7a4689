using System.Text.Json;
using Xunit.Abstractions;
using MidirEdge.Spectra.Preprocessing;
using MidirEdge.Tests;

namespace MidirEdge.Spectra.Tests.Preprocessing;

/// <summary>
/// Savitzky–Golay and resampling against SciPy 1.10 / NumPy outputs on a real yamsys spectrum.
/// Criterion: max |ours − reference| / max |reference| ≤ 1e-9 per case (relative to the case's largest
/// magnitude, because derivatives cross zero and pointwise relative error is meaningless there).
/// </summary>
public class ReferenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-9;

    public static TheoryData<int> SavgolCases()
    {
        using var json = Fixtures.ReadJson("reference/preprocess/savgol.json.gz");
        var data = new TheoryData<int>();
        for (var i = 0; i < json.RootElement.GetProperty("cases").GetArrayLength(); i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(SavgolCases))]
    public void Savitzky_Golay_matches_SciPy_savgol_filter(int index)
    {
        using var json = Fixtures.ReadJson("reference/preprocess/savgol.json.gz");
        var input = Doubles(json.RootElement.GetProperty("input"));
        var c = json.RootElement.GetProperty("cases")[index];
        var mode = c.GetProperty("mode").GetString() switch
        {
            "interp" => SavitzkyGolayMode.Interp,
            "mirror" => SavitzkyGolayMode.Mirror,
            "nearest" => SavitzkyGolayMode.Nearest,
            "constant" => SavitzkyGolayMode.Constant,
            "wrap" => SavitzkyGolayMode.Wrap,
            var other => throw new InvalidDataException(other),
        };
        var step = new SavitzkyGolay(c.GetProperty("window_length").GetInt32(), c.GetProperty("polyorder").GetInt32(),
            c.GetProperty("deriv").GetInt32(), c.GetProperty("delta").GetDouble(), mode);
        var expected = Doubles(c.GetProperty("output"));

        var actual = new double[input.Length];
        step.GetKernel().Filter(input, actual);

        AssertClose(expected, actual, $"case {index}: {step}");
    }

    [Fact]
    public void All_31_SciPy_cases_are_run() => Assert.Equal(31, SavgolCases().Count);

    [Theory]
    [InlineData("linear", InterpolationMethod.Linear)]
    [InlineData("cubic_not_a_knot", InterpolationMethod.Cubic)]
    public void Resampling_matches_NumPy_interp_and_SciPy_CubicSpline(string key, InterpolationMethod method)
    {
        using var json = Fixtures.ReadJson("reference/preprocess/resample.json.gz");
        var root = json.RootElement;
        var spectrum = Spectrum.Create(Doubles(root.GetProperty("x")), Doubles(root.GetProperty("y")), XUnit.Wavenumber, YKind.Absorbance);
        var grid = Doubles(root.GetProperty("grid"));

        var resampled = new Resample(600, 4000, 2, method).Apply(spectrum);

        Assert.Equal(grid, resampled.X.ToArray());
        AssertClose(Doubles(root.GetProperty(key)), resampled.Y.ToArray(), key);
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0, error = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            error = Math.Max(error, Math.Abs(expected[i] - actual[i]));
        }
        output.WriteLine($"{what}: max relative error {error / scale:E2}");
        Assert.True(error <= Tolerance * scale, $"{what}: max error {error:E3} is {error / scale:E3} of max |value| {scale:E3}");
    }
}
