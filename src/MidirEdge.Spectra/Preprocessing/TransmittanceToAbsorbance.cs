namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Transmittance to absorbance: A = −log10(T), with T as a fraction or in percent.</summary>
/// <param name="Percent">Whether T is in percent (100 = fully transmitted).</param>
public sealed record TransmittanceToAbsorbance(bool Percent = false) : PreprocessingStep
{
    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        RequireKind(spectrum, YKind.Transmittance);
        var result = new double[spectrum.Length];
        Transform(spectrum.Y.AsSpan(), result, Percent);
        return spectrum.WithY(result, YKind.Absorbance);
    }

    /// <summary>Writes −log10(T) (T/100 when <paramref name="percent"/>) of each input value to <paramref name="result"/>.</summary>
    public static void Transform(ReadOnlySpan<double> transmittance, Span<double> result, bool percent)
    {
        Spans.RequireSameLength(transmittance, result);
        var scale = percent ? 0.01 : 1.0;
        for (var i = 0; i < transmittance.Length; i++) result[i] = -Math.Log10(transmittance[i] * scale);
    }
}
