namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Reflectance to Kubelka–Munk units: f(R) = (1 − R)² / (2R), with R as a fraction or in percent.</summary>
/// <param name="Percent">Whether R is in percent.</param>
public sealed record KubelkaMunk(bool Percent = false) : PreprocessingStep
{
    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        RequireKind(spectrum, YKind.Reflectance);
        var result = new double[spectrum.Length];
        Transform(spectrum.Y.AsSpan(), result, Percent);
        return spectrum.WithY(result, YKind.KubelkaMunk);
    }

    /// <summary>Writes (1 − R)² / (2R) (R/100 when <paramref name="percent"/>) of each input value to <paramref name="result"/>.</summary>
    public static void Transform(ReadOnlySpan<double> reflectance, Span<double> result, bool percent)
    {
        Spans.RequireSameLength(reflectance, result);
        var scale = percent ? 0.01 : 1.0;
        for (var i = 0; i < reflectance.Length; i++)
        {
            var r = reflectance[i] * scale;
            result[i] = (1 - r) * (1 - r) / (2 * r);
        }
    }
}
