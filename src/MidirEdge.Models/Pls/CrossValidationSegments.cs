namespace MidirEdge.Models.Pls;

/// <summary>Builds cross-validation segments: each segment is the array of row indices held out together.</summary>
public static class CrossValidationSegments
{
    /// <summary>One segment per row (leave-one-out).</summary>
    public static int[][] LeaveOneOut(int observations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(observations, 2);
        var segments = new int[observations][];
        for (var i = 0; i < observations; i++) segments[i] = [i];
        return segments;
    }

    /// <summary>
    /// Grouped K-fold: rows sharing a group label (e.g. the replicate scans of one soil sample) always fall in the same
    /// segment. The distinct groups are shuffled with <see cref="Random"/>(<paramref name="seed"/>) and dealt round-robin
    /// to <paramref name="folds"/> segments, so the split is deterministic for a given seed and group order.
    /// </summary>
    public static int[][] GroupedKFold<TGroup>(IReadOnlyList<TGroup> groups, int folds, int seed) where TGroup : notnull
    {
        ArgumentNullException.ThrowIfNull(groups);
        var groupIndex = new Dictionary<TGroup, int>();
        var groupOfRow = new int[groups.Count];
        for (var i = 0; i < groups.Count; i++)
        {
            if (groups[i] is null) throw new ArgumentException($"Group label of row {i} is null.", nameof(groups));
            if (!groupIndex.TryGetValue(groups[i], out var g))
            {
                g = groupIndex.Count;
                groupIndex.Add(groups[i], g);
            }
            groupOfRow[i] = g;
        }
        if (folds < 2 || folds > groupIndex.Count)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"Folds must be between 2 and the number of distinct groups ({groupIndex.Count}).");

        var order = new int[groupIndex.Count];
        for (var g = 0; g < order.Length; g++) order[g] = g;
        new Random(seed).Shuffle(order);
        var foldOfGroup = new int[order.Length];
        for (var k = 0; k < order.Length; k++) foldOfGroup[order[k]] = k % folds;

        var segments = new List<int>[folds];
        for (var f = 0; f < folds; f++) segments[f] = [];
        for (var i = 0; i < groupOfRow.Length; i++) segments[foldOfGroup[groupOfRow[i]]].Add(i);
        return Array.ConvertAll(segments, s => s.ToArray());
    }
}
