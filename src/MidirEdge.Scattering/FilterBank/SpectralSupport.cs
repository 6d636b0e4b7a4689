namespace MidirEdge.Scattering.FilterBank;

/// <summary>
/// The index runs where a filter spectrum is not negligible. Products with a spectrum skip everything
/// else; a dropped bin is below 1e-20 of the filter's peak, far under the 1e-6 the features must keep.
/// </summary>
internal static class SpectralSupport
{
    private const double RelativeThreshold = 1e-20;

    /// <summary>Runs as consecutive (start, end-exclusive) pairs.</summary>
    public static int[] Of(double[] spectrum)
    {
        var peak = 0.0;
        foreach (var v in spectrum) peak = Math.Max(peak, Math.Abs(v));
        var threshold = peak * RelativeThreshold;
        var runs = new List<int>();
        var start = -1;
        for (var k = 0; k < spectrum.Length; k++)
        {
            var significant = Math.Abs(spectrum[k]) > threshold;
            if (significant && start < 0) start = k;
            if (!significant && start >= 0) { runs.Add(start); runs.Add(k); start = -1; }
        }
        if (start >= 0) { runs.Add(start); runs.Add(spectrum.Length); }
        return runs.ToArray();
    }
}
