namespace MidirEdge.Models.Building;

/// <summary>Calibrates a conformal prediction interval from grouped out-of-fold residuals.</summary>
internal static class ConformalInterval
{
    /// <summary>
    /// The half-width q such that ŷ ± q covers <paramref name="level"/> of new samples: the ⌈(m + 1)·level⌉-th smallest of
    /// the m absolute out-of-fold residuals pooled over repeats (the whole range when m is too small for the level).
    /// </summary>
    /// <param name="observed">Observed values on the model's scale.</param>
    /// <param name="predictions">Out-of-fold predictions on the model's scale, one array per repeat.</param>
    /// <param name="level">Nominal coverage.</param>
    public static double HalfWidth(double[] observed, double[][] predictions, double level)
    {
        var residuals = predictions.SelectMany(p => p.Select((v, i) => Math.Abs(v - observed[i]))).Order().ToArray();
        var rank = (int)Math.Ceiling((residuals.Length + 1) * level);
        return residuals[Math.Min(rank, residuals.Length) - 1];
    }
}
