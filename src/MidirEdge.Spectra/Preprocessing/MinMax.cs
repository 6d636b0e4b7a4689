namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Scales each spectrum linearly to [0, 1]: (y − min) / (max − min).</summary>
public sealed record MinMax : PreprocessingStep
{
    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var result = new double[spectrum.Length];
        Transform(spectrum.Y.AsSpan(), result);
        return spectrum.WithY(result, YKind.Arbitrary);
    }

    /// <summary>Writes (y − min) / (max − min) to <paramref name="result"/> (may be the input itself).</summary>
    public static void Transform(ReadOnlySpan<double> y, Span<double> result)
    {
        Spans.RequireSameLength(y, result);
        if (y.IsEmpty) throw new ArgumentException("min–max scaling needs at least one point.", nameof(y));
        var min = y[0];
        var max = y[0];
        foreach (var v in y)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        var range = max - min;
        if (!(range > 0)) throw new ArgumentException("min–max scaling is undefined for a constant spectrum.", nameof(y));
        for (var i = 0; i < y.Length; i++) result[i] = (y[i] - min) / range;
    }
}
