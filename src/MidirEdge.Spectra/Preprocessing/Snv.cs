namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Standard normal variate: each spectrum minus its mean, divided by its standard deviation.</summary>
public sealed record Snv : PreprocessingStep
{
    /// <summary>Creates the step.</summary>
    /// <param name="ddof">Delta degrees of freedom: the variance divides by n − ddof (1 as R's <c>sd</c>, 0 as NumPy's <c>std</c>).</param>
    public Snv(int ddof = 1)
    {
        if (ddof is not (0 or 1)) throw new ArgumentException($"ddof must be 0 or 1, got {ddof}.", nameof(ddof));
        Ddof = ddof;
    }

    /// <summary>Delta degrees of freedom of the standard deviation.</summary>
    public int Ddof { get; }

    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var result = new double[spectrum.Length];
        Transform(spectrum.Y.AsSpan(), result, Ddof);
        return spectrum.WithY(result, YKind.Arbitrary);
    }

    /// <summary>Writes (y − mean) / sd to <paramref name="result"/> (may be the input itself).</summary>
    public static void Transform(ReadOnlySpan<double> y, Span<double> result, int ddof = 1)
    {
        Spans.RequireSameLength(y, result);
        if (y.Length - ddof < 1) throw new ArgumentException($"SNV needs more than {ddof} points, got {y.Length}.", nameof(y));
        var mean = 0.0;
        foreach (var v in y) mean += v;
        mean /= y.Length;
        var squares = 0.0;
        foreach (var v in y) squares += (v - mean) * (v - mean);
        var sd = Math.Sqrt(squares / (y.Length - ddof));
        if (!(sd > 0)) throw new ArgumentException("SNV is undefined for a constant spectrum.", nameof(y));
        for (var i = 0; i < y.Length; i++) result[i] = (y[i] - mean) / sd;
    }
}
