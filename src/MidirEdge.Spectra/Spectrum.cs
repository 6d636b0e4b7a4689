using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace MidirEdge.Spectra;

/// <summary>An immutable spectrum: x values with a unit, y values with a kind, and metadata.</summary>
public sealed class Spectrum
{
    /// <summary>Creates a spectrum; <paramref name="x"/> and <paramref name="y"/> must have the same length.</summary>
    public Spectrum(ImmutableArray<double> x, ImmutableArray<double> y, XUnit xUnit, YKind yKind, SpectrumMetadata? metadata = null)
    {
        if (x.IsDefault) throw new ArgumentNullException(nameof(x));
        if (y.IsDefault) throw new ArgumentNullException(nameof(y));
        if (x.Length != y.Length)
            throw new ArgumentException($"x has {x.Length} values but y has {y.Length}.", nameof(y));
        X = x;
        Y = y;
        XUnit = xUnit;
        YKind = yKind;
        Metadata = metadata ?? SpectrumMetadata.Empty;
    }

    /// <summary>Creates a spectrum that takes ownership of the given arrays (they must not be changed afterwards).</summary>
    public static Spectrum Create(double[] x, double[] y, XUnit xUnit, YKind yKind, SpectrumMetadata? metadata = null) =>
        new(ImmutableCollectionsMarshal.AsImmutableArray(x), ImmutableCollectionsMarshal.AsImmutableArray(y), xUnit, yKind, metadata);

    /// <summary>The x axis values.</summary>
    public ImmutableArray<double> X { get; }

    /// <summary>The y values.</summary>
    public ImmutableArray<double> Y { get; }

    /// <summary>The unit of <see cref="X"/>.</summary>
    public XUnit XUnit { get; }

    /// <summary>What <see cref="Y"/> measures.</summary>
    public YKind YKind { get; }

    /// <summary>Descriptive data.</summary>
    public SpectrumMetadata Metadata { get; }

    /// <summary>Number of points.</summary>
    public int Length => X.Length;

    /// <summary>A copy with other y values (same x axis).</summary>
    public Spectrum WithY(double[] y, YKind? yKind = null) =>
        new(X, ImmutableCollectionsMarshal.AsImmutableArray(y), XUnit, yKind ?? YKind, Metadata);

    /// <summary>A copy with other metadata.</summary>
    public Spectrum WithMetadata(SpectrumMetadata metadata) => new(X, Y, XUnit, YKind, metadata);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Metadata.Block ?? Metadata.SampleName ?? "spectrum"}: {Length} points, {YKind}";
}
