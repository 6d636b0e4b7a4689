using System.Collections.Immutable;

namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Multiplicative scatter correction: fits y ≈ a + b · reference by least squares and returns (y − a) / b.</summary>
public sealed record Msc : PreprocessingStep
{
    /// <summary>Creates the step with a stored reference spectrum (usually the calibration mean).</summary>
    public Msc(ImmutableArray<double> reference)
    {
        if (reference.IsDefault || reference.Length < 2) throw new ArgumentException("the MSC reference needs at least two values.", nameof(reference));
        Reference = reference;
    }

    /// <summary>The reference spectrum's y values.</summary>
    public ImmutableArray<double> Reference { get; }

    /// <summary>An MSC step whose reference is the mean of <paramref name="rows"/>.</summary>
    public static Msc Fit(IReadOnlyList<double[]> rows) => new(MeanCentre.ColumnMeans(rows));

    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        RequireLength(spectrum, Reference.Length);
        var result = new double[spectrum.Length];
        Transform(Reference.AsSpan(), spectrum.Y.AsSpan(), result);
        return spectrum.WithY(result);
    }

    /// <summary>Writes the scatter-corrected <paramref name="y"/> to <paramref name="result"/> (may be the input itself).</summary>
    public static void Transform(ReadOnlySpan<double> reference, ReadOnlySpan<double> y, Span<double> result)
    {
        Spans.RequireSameLength(y, result);
        if (reference.Length != y.Length)
            throw new ArgumentException($"reference has {reference.Length} values but the spectrum has {y.Length}.", nameof(y));
        double meanR = 0, meanY = 0;
        for (var i = 0; i < y.Length; i++) { meanR += reference[i]; meanY += y[i]; }
        meanR /= y.Length;
        meanY /= y.Length;
        double covariance = 0, variance = 0;
        for (var i = 0; i < y.Length; i++)
        {
            covariance += (reference[i] - meanR) * (y[i] - meanY);
            variance += (reference[i] - meanR) * (reference[i] - meanR);
        }
        if (!(variance > 0)) throw new ArgumentException("the MSC reference is constant.", nameof(reference));
        var slope = covariance / variance;
        if (slope == 0 || !double.IsFinite(slope)) throw new ArgumentException("the spectrum has no linear relation to the MSC reference.", nameof(y));
        var intercept = meanY - slope * meanR;
        for (var i = 0; i < y.Length; i++) result[i] = (y[i] - intercept) / slope;
    }
}
