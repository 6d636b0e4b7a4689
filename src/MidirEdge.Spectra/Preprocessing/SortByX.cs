namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Reorders the points so that x increases (the usual order for resampling and plotting).</summary>
public sealed record SortByX : PreprocessingStep
{
    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var x = spectrum.X.ToArray();
        var y = spectrum.Y.ToArray();
        Array.Sort(x, y);
        return Spectrum.Create(x, y, spectrum.XUnit, spectrum.YKind, spectrum.Metadata);
    }
}
