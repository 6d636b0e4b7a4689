using System.Text.Json.Serialization;

namespace MidirEdge.Spectra.Preprocessing;

/// <summary>One preprocessing operation whose parameters are plain data, so a model bundle can record it as JSON.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "step")]
[JsonDerivedType(typeof(TransmittanceToAbsorbance), "transmittanceToAbsorbance")]
[JsonDerivedType(typeof(ReflectanceToAbsorbance), "reflectanceToAbsorbance")]
[JsonDerivedType(typeof(KubelkaMunk), "kubelkaMunk")]
[JsonDerivedType(typeof(ToWavenumber), "toWavenumber")]
[JsonDerivedType(typeof(SortByX), "sortByX")]
[JsonDerivedType(typeof(Trim), "trim")]
[JsonDerivedType(typeof(Exclude), "exclude")]
[JsonDerivedType(typeof(Resample), "resample")]
[JsonDerivedType(typeof(SavitzkyGolay), "savgol")]
[JsonDerivedType(typeof(Snv), "snv")]
[JsonDerivedType(typeof(Msc), "msc")]
[JsonDerivedType(typeof(Detrend), "detrend")]
[JsonDerivedType(typeof(MinMax), "minMax")]
[JsonDerivedType(typeof(MeanCentre), "meanCentre")]
public abstract record PreprocessingStep
{
    /// <summary>Applies the step, returning a new spectrum.</summary>
    public abstract Spectrum Apply(Spectrum spectrum);

    /// <summary>Throws unless the spectrum's y values are of the kind this step expects.</summary>
    protected void RequireKind(Spectrum spectrum, YKind expected)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        if (spectrum.YKind != expected)
            throw new ArgumentException($"{GetType().Name} expects {expected} but the spectrum holds {spectrum.YKind}.", nameof(spectrum));
    }

    /// <summary>Throws unless <paramref name="length"/> matches the length of a stored vector.</summary>
    protected void RequireLength(Spectrum spectrum, int length)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        if (spectrum.Length != length)
            throw new ArgumentException($"{GetType().Name} holds {length} values but the spectrum has {spectrum.Length} points.", nameof(spectrum));
    }
}
