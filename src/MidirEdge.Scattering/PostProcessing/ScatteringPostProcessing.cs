namespace MidirEdge.Scattering.PostProcessing;

/// <summary>
/// The usual steps applied to scattering features before a model, each on one signal's
/// [path × time] row-major block (the layout <see cref="Scattering1D"/> writes).
/// </summary>
public static class ScatteringPostProcessing
{
    /// <summary>In place: x ← ln(x + epsilon), epsilon &gt; 0 (Kymatio examples use 1e-6).</summary>
    public static void Log(Span<double> values, double epsilon)
    {
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a positive finite number.");
        for (var i = 0; i < values.Length; i++) values[i] = Math.Log(values[i] + epsilon);
    }

    /// <summary>In place: x ← ln(1 + scale·x), scale &gt; 0.</summary>
    public static void Log1p(Span<double> values, double scale)
    {
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be a positive finite number.");
        for (var i = 0; i < values.Length; i++)
        {
            // ln(1 + y) without losing digits when y is small.
            var y = scale * values[i];
            var u = 1.0 + y;
            values[i] = u == 1.0 ? y : Math.Log(u) * y / (u - 1.0);
        }
    }

    /// <summary>
    /// In place: each order-2 path divided, sample by sample, by its order-1 parent plus
    /// <paramref name="epsilon"/> (S2[n1,n2](t) / (S1[n1](t) + ε)); orders 0 and 1 unchanged.
    /// </summary>
    public static void NormalizeSecondOrder(Span<double> features, IReadOnlyList<ScatteringPath> paths, int timeLength, double epsilon = 0)
    {
        CheckBlock(features.Length, paths, timeLength);
        if (!(epsilon >= 0) || !double.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be zero or a positive finite number.");
        for (var row = 0; row < paths.Count; row++)
        {
            var path = paths[row];
            if (path.Order != 2) continue;
            var child = features.Slice(row * timeLength, timeLength);
            var parent = features.Slice(path.Parent * timeLength, timeLength);
            for (var t = 0; t < timeLength; t++) child[t] /= parent[t] + epsilon;
        }
    }

    /// <summary>Length of the flattened vector with or without the order-0 path.</summary>
    public static int FlattenedLength(IReadOnlyList<ScatteringPath> paths, int timeLength, bool includeOrder0)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var rows = 0;
        foreach (var path in paths) if (includeOrder0 || path.Order > 0) rows++;
        return rows * timeLength;
    }

    /// <summary>
    /// Copies the [path × time] block into a feature vector (path-major), leaving out the order-0
    /// path unless <paramref name="includeOrder0"/>.
    /// </summary>
    public static void Flatten(ReadOnlySpan<double> features, IReadOnlyList<ScatteringPath> paths, int timeLength, bool includeOrder0, Span<double> destination)
    {
        CheckBlock(features.Length, paths, timeLength);
        var needed = FlattenedLength(paths, timeLength, includeOrder0);
        if (destination.Length != needed)
            throw new ArgumentException($"destination holds {destination.Length} values; the flattened features need {needed}.", nameof(destination));
        var offset = 0;
        for (var row = 0; row < paths.Count; row++)
        {
            if (!includeOrder0 && paths[row].Order == 0) continue;
            features.Slice(row * timeLength, timeLength).CopyTo(destination.Slice(offset, timeLength));
            offset += timeLength;
        }
    }

    /// <summary>The flattened feature vector as a new array.</summary>
    public static double[] Flatten(ReadOnlySpan<double> features, IReadOnlyList<ScatteringPath> paths, int timeLength, bool includeOrder0)
    {
        var result = new double[FlattenedLength(paths, timeLength, includeOrder0)];
        Flatten(features, paths, timeLength, includeOrder0, result);
        return result;
    }

    private static void CheckBlock(int length, IReadOnlyList<ScatteringPath> paths, int timeLength)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (timeLength < 1) throw new ArgumentOutOfRangeException(nameof(timeLength), timeLength, "time length must be at least 1.");
        if (length != paths.Count * timeLength)
            throw new ArgumentException($"features hold {length} values; {paths.Count} paths × {timeLength} need {paths.Count * timeLength}.");
    }
}
