using MathNet.Numerics.LinearAlgebra;

namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Removes a baseline: subtracts the least-squares polynomial in x of the given order.</summary>
public sealed record Detrend : PreprocessingStep
{
    /// <summary>Creates the step.</summary>
    /// <param name="order">Polynomial order (0 removes the mean, 1 a straight line, 2 a parabola, …).</param>
    public Detrend(int order = 1)
    {
        if (order is < 0 or > 10) throw new ArgumentException($"detrend order must be between 0 and 10, got {order}.", nameof(order));
        Order = order;
    }

    /// <summary>Polynomial order of the removed baseline.</summary>
    public int Order { get; }

    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var result = new double[spectrum.Length];
        Transform(spectrum.X.AsSpan(), spectrum.Y.AsSpan(), result, Order);
        return spectrum.WithY(result, YKind.Arbitrary);
    }

    /// <summary>Writes y minus its least-squares polynomial in x to <paramref name="result"/> (may be y itself).</summary>
    public static void Transform(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result, int order)
    {
        Spans.RequireSameLength(y, result);
        if (x.Length != y.Length) throw new ArgumentException($"x has {x.Length} values but y has {y.Length}.", nameof(x));
        if (y.Length <= order) throw new ArgumentException($"detrending with order {order} needs more than {order} points, got {y.Length}.", nameof(y));
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in x) { min = Math.Min(min, v); max = Math.Max(max, v); }
        // Fit in t = (x − centre) / half-range ∈ [−1, 1] to keep the Vandermonde matrix well conditioned.
        var centre = (min + max) / 2;
        var scale = max > min ? 2 / (max - min) : 1;
        var n = y.Length;
        var design = Matrix<double>.Build.Dense(n, order + 1);
        var values = Vector<double>.Build.Dense(n);
        for (var i = 0; i < n; i++)
        {
            var t = (x[i] - centre) * scale;
            var power = 1.0;
            for (var k = 0; k <= order; k++) { design[i, k] = power; power *= t; }
            values[i] = y[i];
        }
        var fit = design.QR().Solve(values);
        if (!fit.All(double.IsFinite)) throw new ArgumentException($"x has too few distinct values for an order-{order} baseline.", nameof(x));
        for (var i = 0; i < n; i++)
        {
            var t = (x[i] - centre) * scale;
            var baseline = 0.0;
            for (var k = order; k >= 0; k--) baseline = baseline * t + fit[k];
            result[i] = y[i] - baseline;
        }
    }
}
