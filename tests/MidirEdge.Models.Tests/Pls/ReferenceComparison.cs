using System.Text.Json;

namespace MidirEdge.Models.Tests.Pls;

/// <summary>
/// Compares arrays against reference values with the relative criterion |actual − expected| ≤ tolerance·scale, where the
/// scale of an array is max |expected| over that array (values such as coefficients cross zero, so a per-element
/// relative error would be meaningless near zero). Tracks the worst ratio |actual − expected| / scale seen.
/// </summary>
internal sealed class ReferenceComparison(double tolerance)
{
    private readonly Dictionary<string, double> _worst = [];

    /// <summary>Worst relative error per quantity name.</summary>
    public IReadOnlyDictionary<string, double> Worst => _worst;

    public void Check(string quantity, string where, JsonElement expected, ReadOnlySpan<double> actual)
    {
        var values = expected.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Check(quantity, where, values, actual);
    }

    public void Check(string quantity, string where, double[] expected, ReadOnlySpan<double> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(actual[i] - expected[i]) / scale;
            _worst[quantity] = Math.Max(_worst.GetValueOrDefault(quantity), error);
            Assert.True(error <= tolerance,
                $"{quantity} {where}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (relative error {error:E2} > {tolerance:E0}).");
        }
    }

    public string Report() => string.Join(", ", _worst.Select(kv => $"{kv.Key} {kv.Value:E2}"));
}
