using System.Collections.Immutable;

namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Keeps only the points whose x lies in at least one of the ranges.</summary>
public sealed record Trim : PreprocessingStep
{
    /// <summary>Creates the step.</summary>
    public Trim(ImmutableArray<XRange> ranges)
    {
        XRange.RequireSome(ranges, nameof(ranges));
        Ranges = ranges;
    }

    /// <summary>The ranges to keep.</summary>
    public ImmutableArray<XRange> Ranges { get; }

    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum) => Select(spectrum, Ranges, keep: true);

    internal static Spectrum Select(Spectrum spectrum, ImmutableArray<XRange> ranges, bool keep)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var x = new List<double>(spectrum.Length);
        var y = new List<double>(spectrum.Length);
        for (var i = 0; i < spectrum.Length; i++)
        {
            if (XRange.AnyContains(ranges, spectrum.X[i]) != keep) continue;
            x.Add(spectrum.X[i]);
            y.Add(spectrum.Y[i]);
        }
        return Spectrum.Create([.. x], [.. y], spectrum.XUnit, spectrum.YKind, spectrum.Metadata);
    }
}
