namespace MidirEdge.Spectra.Preprocessing;

/// <summary>A closed interval [<see cref="Low"/>, <see cref="High"/>] of x values, e.g. the CO₂ band 2269–2389 cm⁻¹.</summary>
public sealed record XRange
{
    /// <summary>Creates the interval; <paramref name="low"/> must be below <paramref name="high"/>.</summary>
    public XRange(double low, double high)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"range bounds must be finite numbers (got {low}, {high}).");
        if (low >= high)
            throw new ArgumentException($"range is inverted or empty: low {low} must be below high {high}.");
        Low = low;
        High = high;
    }

    /// <summary>Lower bound (inclusive).</summary>
    public double Low { get; }

    /// <summary>Upper bound (inclusive).</summary>
    public double High { get; }

    /// <summary>Whether <paramref name="x"/> lies in the interval.</summary>
    public bool Contains(double x) => x >= Low && x <= High;

    internal static bool AnyContains(IReadOnlyList<XRange> ranges, double x)
    {
        for (var i = 0; i < ranges.Count; i++)
            if (ranges[i].Contains(x)) return true;
        return false;
    }

    internal static void RequireSome(System.Collections.Immutable.ImmutableArray<XRange> ranges, string name)
    {
        if (ranges.IsDefaultOrEmpty) throw new ArgumentException("at least one range is needed.", name);
        foreach (var range in ranges) ArgumentNullException.ThrowIfNull(range, name);
    }
}
