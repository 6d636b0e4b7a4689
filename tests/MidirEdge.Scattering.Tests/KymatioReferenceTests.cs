using Xunit.Abstractions;

namespace MidirEdge.Scattering.Tests;

/// <summary>Every Kymatio reference case (0.3.0 and 0.4-dev): shape, path metadata and values.</summary>
public sealed class KymatioReferenceTests(ITestOutputHelper output)
{
    /// <summary>Fixture paths of every reference case.</summary>
    public static IEnumerable<object[]> Cases() => KymatioReference.All();

    /// <summary>Path count, order, n, j, xi and sigma equal Kymatio's meta().</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Metadata_matches_kymatio(string fixture)
    {
        var reference = KymatioReference.Load(fixture);
        var scattering = new Scattering1D(reference.Parameters);

        Assert.Equal(reference.Order.Length, scattering.PathCount);
        var maxOrder = reference.Parameters.MaxOrder;
        for (var row = 0; row < scattering.PathCount; row++)
        {
            var path = scattering.Paths[row];
            Assert.Equal(reference.Order[row], path.Order);
            for (var o = 0; o < maxOrder; o++)
            {
                if (o < path.Order)
                {
                    Assert.Equal(reference.N[row][o], path.N[o]);
                    Assert.Equal(reference.J[row][o], path.J[o]);
                    AssertClose(reference.Xi[row][o]!.Value, path.Xi[o], 1e-13);
                    AssertClose(reference.Sigma[row][o]!.Value, path.Sigma[o], 1e-13);
                }
                else
                {
                    Assert.Null(reference.N[row][o]);
                    Assert.Null(reference.Xi[row][o]);
                }
            }
        }
    }

    /// <summary>Every coefficient within 1e-6 of its path's largest reference value.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Coefficients_match_kymatio_within_1e6_of_each_path_maximum(string fixture)
    {
        var reference = KymatioReference.Load(fixture);
        var scattering = new Scattering1D(reference.Parameters);
        Assert.Equal(reference.Outputs[0][0].Length, scattering.TimeLength);

        var worst = 0.0;
        var worstAt = "";
        for (var s = 0; s < reference.Inputs.Length; s++)
        {
            var actual = scattering.Transform(reference.Inputs[s]);
            var expected = reference.Outputs[s];
            Assert.Equal(expected.Length, scattering.PathCount);
            for (var row = 0; row < expected.Length; row++)
            {
                var max = expected[row].Max(Math.Abs);
                for (var t = 0; t < scattering.TimeLength; t++)
                {
                    var error = Math.Abs(actual[row * scattering.TimeLength + t] - expected[row][t]) / max;
                    if (error > worst) { worst = error; worstAt = $"signal {s} path {row} t {t}"; }
                }
            }
        }
        output.WriteLine($"{fixture}: worst error relative to path max = {worst:E2} at {worstAt}");
        Assert.True(worst <= 1e-6, $"{fixture}: error {worst:E2} at {worstAt}");
    }

    /// <summary>
    /// The float32 path (single-precision cascade on a double-precision signal spectrum): every coefficient within
    /// 2e-5 · (its path's largest reference value + 1e-3 · the strongest path's): single precision keeps ~1e-9 of the
    /// strongest path in absolute terms, which on the chirp's weakest second-order paths (1e-6 of the strongest) is
    /// ~6e-4 of their own maximum; so also within 1e-3 of each path's maximum.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32_coefficients_match_kymatio(string fixture)
    {
        var reference = KymatioReference.Load(fixture);
        var scattering = new Scattering1D(reference.Parameters);
        var actual = new float[scattering.OutputLength];
        double worst = 0.0, worstScaled = 0.0;
        var worstAt = "";
        for (var s = 0; s < reference.Inputs.Length; s++)
        {
            scattering.Transform(reference.Inputs[s].Select(v => (float)v).ToArray(), actual);
            var expected = reference.Outputs[s];
            var strongest = expected.Max(row => row.Max(Math.Abs));
            for (var row = 0; row < expected.Length; row++)
            {
                var max = expected[row].Max(Math.Abs);
                for (var t = 0; t < scattering.TimeLength; t++)
                {
                    var error = Math.Abs(actual[row * scattering.TimeLength + t] - expected[row][t]) / max;
                    worstScaled = Math.Max(worstScaled, error * max / (max + 1e-3 * strongest));
                    if (error > worst) { worst = error; worstAt = $"signal {s} path {row} t {t} (path max {max / strongest:E1} of the strongest)"; }
                }
            }
        }
        output.WriteLine($"{fixture}: float32 worst error relative to path max = {worst:E2} at {worstAt}; relative to path max + 1e-3 strongest = {worstScaled:E2}");
        Assert.True(worstScaled <= 2e-5 && worst <= 1e-3, $"{fixture}: error {worst:E2} at {worstAt}; relative to path max + 1e-3 strongest {worstScaled:E2}");
    }

    private static void AssertClose(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
}
