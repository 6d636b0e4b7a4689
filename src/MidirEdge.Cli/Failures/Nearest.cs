namespace MidirEdge.Cli.Failures;

/// <summary>"Did you mean …?": the known name a mistyped one is closest to.</summary>
internal static class Nearest
{
    /// <summary>The candidate nearest to <paramref name="typed"/> (ignoring case) if it is close enough to be a typo of it, else null.</summary>
    public static string? To(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(typed.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance >= bestDistance) continue;
            best = candidate;
            bestDistance = distance;
        }
        // One edit in a short name, up to three in a long one: "Prot" → "Port", "MidirEgde" → "MidirEdge", "Adaptor" → "Adapters".
        return best is not null && bestDistance <= Math.Clamp(Math.Max(typed.Length, best.Length) / 3, 1, 3) ? best : null;
    }

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) from <paramref name="a"/> to <paramref name="b"/>: optimal string alignment.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
