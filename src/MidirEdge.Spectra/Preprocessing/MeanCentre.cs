using System.Collections.Immutable;

namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Subtracts a stored mean spectrum (usually the calibration set's) point by point.</summary>
public sealed record MeanCentre : PreprocessingStep
{
    /// <summary>Creates the step with the stored mean.</summary>
    public MeanCentre(ImmutableArray<double> mean)
    {
        if (mean.IsDefaultOrEmpty) throw new ArgumentException("the mean needs at least one value.", nameof(mean));
        Mean = mean;
    }

    /// <summary>The mean spectrum's y values.</summary>
    public ImmutableArray<double> Mean { get; }

    /// <summary>A step whose mean is the column mean of <paramref name="rows"/>.</summary>
    public static MeanCentre Fit(IReadOnlyList<double[]> rows) => new(ColumnMeans(rows));

    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        RequireLength(spectrum, Mean.Length);
        var result = new double[spectrum.Length];
        Transform(Mean.AsSpan(), spectrum.Y.AsSpan(), result);
        return spectrum.WithY(result, YKind.Arbitrary);
    }

    /// <summary>Writes y − mean to <paramref name="result"/> (may be the input itself).</summary>
    public static void Transform(ReadOnlySpan<double> mean, ReadOnlySpan<double> y, Span<double> result)
    {
        Spans.RequireSameLength(y, result);
        if (mean.Length != y.Length) throw new ArgumentException($"mean has {mean.Length} values but the spectrum has {y.Length}.", nameof(y));
        for (var i = 0; i < y.Length; i++) result[i] = y[i] - mean[i];
    }

    internal static ImmutableArray<double> ColumnMeans(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("no rows to average.", nameof(rows));
        var mean = new double[rows[0].Length];
        foreach (var row in rows)
        {
            if (row.Length != mean.Length) throw new ArgumentException($"rows differ in length ({row.Length} vs {mean.Length}).", nameof(rows));
            for (var j = 0; j < mean.Length; j++) mean[j] += row[j];
        }
        for (var j = 0; j < mean.Length; j++) mean[j] /= rows.Count;
        return ImmutableArray.Create(mean);
    }
}
