namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Reflectance to apparent absorbance: A = log10(1/R), with R as a fraction or in percent.</summary>
/// <param name="Percent">Whether R is in percent.</param>
public sealed record ReflectanceToAbsorbance(bool Percent = false) : PreprocessingStep
{
    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        RequireKind(spectrum, YKind.Reflectance);
        var result = new double[spectrum.Length];
        Transform(spectrum.Y.AsSpan(), result, Percent);
        return spectrum.WithY(result, YKind.Absorbance);
    }

    /// <summary>Writes log10(1/R) (R/100 when <paramref name="percent"/>) of each input value to <paramref name="result"/>.</summary>
    public static void Transform(ReadOnlySpan<double> reflectance, Span<double> result, bool percent)
    {
        Spans.RequireSameLength(reflectance, result);
        var scale = percent ? 0.01 : 1.0;
        for (var i = 0; i < reflectance.Length; i++) result[i] = Math.Log10(1.0 / (reflectance[i] * scale));
    }
}
