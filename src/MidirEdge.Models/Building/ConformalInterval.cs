using MidirEdge.Models.Bundles;

namespace MidirEdge.Models.Building;

/// <summary>Calibrates a conformal prediction interval from grouped out-of-fold residuals.</summary>
internal static class ConformalInterval
{
    /// <summary>
    /// Normalised split-conformal interval (Papadopoulos et al. 2011) with the applicability-domain distance d as difficulty:
    /// the residual scale σ(d) = 1 + slope·d is fitted by least squares of |residual| on d (slope ≥ 0), and the half-width
    /// is the conformal quantile of |residual| / σ(d), so a prediction's interval is ŷ ± halfWidth·σ(d).
    /// </summary>
    /// <param name="observed">Observed values on the model's scale.</param>
    /// <param name="predictions">Out-of-fold predictions on the model's scale, one array per repeat.</param>
    /// <param name="distances">Each prediction's distance from the domain of the rows it was predicted from, one array per repeat.</param>
    /// <param name="level">Nominal coverage.</param>
    public static IntervalSpec Calibrate(double[] observed, double[][] predictions, double[][] distances, double level)
    {
        var residuals = predictions.SelectMany(p => p.Select((v, i) => Math.Abs(v - observed[i]))).ToArray();
        var d = distances.SelectMany(v => v).ToArray();
        var slope = Slope(d, residuals);
        var scaled = residuals.Select((r, i) => r / (1 + slope * d[i])).ToArray();
        return new IntervalSpec(level, [Quantile(scaled, level)]) { DomainSlope = slope };
    }

    // The ⌈(m + 1)·level⌉-th smallest of m values (the largest when m is too small for the level).
    private static double Quantile(double[] values, double level)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling((sorted.Length + 1) * level);
        return sorted[Math.Min(rank, sorted.Length) - 1];
    }

    // b / a of the least-squares line |r| = a + b·d, zero when the residuals do not grow with the distance; a is kept at
    // a tenth of the mean residual at least, so that residuals proportional to d do not make the scale vanish near the centre.
    private static double Slope(double[] d, double[] residuals)
    {
        double meanD = d.Average(), meanR = residuals.Average(), sxy = 0, sxx = 0;
        for (var i = 0; i < d.Length; i++)
        {
            sxy += (d[i] - meanD) * (residuals[i] - meanR);
            sxx += (d[i] - meanD) * (d[i] - meanD);
        }
        var b = sxx > 0 ? sxy / sxx : 0;
        var a = Math.Max(meanR - b * meanD, meanR / 10);
        return b > 0 ? b / a : 0;
    }
}
