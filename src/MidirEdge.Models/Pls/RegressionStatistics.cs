namespace MidirEdge.Models.Pls;

/// <summary>Agreement between observed and predicted values of one response.</summary>
/// <remarks>
/// With e = predicted − observed over n pairs: RMSE = √(Σe²/n); Bias = mean(e) (positive = over-prediction);
/// SEP = standard deviation of e (n − 1), i.e. the bias-corrected error; R² = 1 − Σe² / Σ(observed − mean)²;
/// RPD = sd(observed) / SEP (sd with n − 1); RPIQ = IQR(observed) / RMSE, with quartiles as R's quantile type 7;
/// Lin's concordance correlation CCC = 2·s_op / (s_o² + s_p² + (mean_o − mean_p)²) with moments over n.
/// </remarks>
/// <param name="Count">Number of observed/predicted pairs.</param>
/// <param name="Rmse">Root mean squared error √(Σe²/n).</param>
/// <param name="Bias">Mean of predicted − observed.</param>
/// <param name="Sep">Standard error of prediction: sd of the errors (n − 1), i.e. bias-corrected.</param>
/// <param name="R2">Coefficient of determination 1 − Σe² / Σ(observed − mean)².</param>
/// <param name="Rpd">Ratio of performance to deviation: sd(observed) / SEP.</param>
/// <param name="Rpiq">Ratio of performance to interquartile distance: IQR(observed, type 7) / RMSE.</param>
public sealed record RegressionStatistics(int Count, double Rmse, double Bias, double Sep, double R2, double Rpd, double Rpiq)
{
    /// <summary>Lin's concordance correlation coefficient between observed and predicted values.</summary>
    public double Ccc { get; init; }

    /// <summary>Computes the statistics from paired observed and predicted values (at least two pairs).</summary>
    public static RegressionStatistics Compute(ReadOnlySpan<double> observed, ReadOnlySpan<double> predicted)
    {
        if (observed.Length != predicted.Length)
            throw new ArgumentException($"{observed.Length} observed but {predicted.Length} predicted values.", nameof(predicted));
        var n = observed.Length;
        if (n < 2) throw new ArgumentException("At least two observations are needed.", nameof(observed));

        double sumE = 0, sumE2 = 0, sumObs = 0;
        for (var i = 0; i < n; i++)
        {
            var e = predicted[i] - observed[i];
            sumE += e;
            sumE2 += e * e;
            sumObs += observed[i];
        }
        var bias = sumE / n;
        var meanObs = sumObs / n;
        double ssObs = 0, ssE = 0;
        for (var i = 0; i < n; i++)
        {
            var d = observed[i] - meanObs;
            ssObs += d * d;
            var e = predicted[i] - observed[i] - bias;
            ssE += e * e;
        }
        var rmse = Math.Sqrt(sumE2 / n);
        var sep = Math.Sqrt(ssE / (n - 1));
        var sdObs = Math.Sqrt(ssObs / (n - 1));
        var sorted = observed.ToArray();
        Array.Sort(sorted);
        var iqr = Quantile(sorted, 0.75) - Quantile(sorted, 0.25);
        return new RegressionStatistics(n, rmse, bias, sep, 1 - sumE2 / ssObs, sdObs / sep, iqr / rmse) { Ccc = Concordance(observed, predicted, meanObs) };
    }

    private static double Concordance(ReadOnlySpan<double> observed, ReadOnlySpan<double> predicted, double meanObs)
    {
        var n = observed.Length;
        var meanPred = 0.0;
        foreach (var v in predicted) meanPred += v;
        meanPred /= n;
        double so = 0, sp = 0, sop = 0;
        for (var i = 0; i < n; i++)
        {
            var o = observed[i] - meanObs;
            var p = predicted[i] - meanPred;
            so += o * o;
            sp += p * p;
            sop += o * p;
        }
        var difference = meanObs - meanPred;
        return 2 * sop / n / (so / n + sp / n + difference * difference);
    }

    /// <summary>Quantile of sorted data, R type 7: linear interpolation at h = (n − 1)·prob.</summary>
    private static double Quantile(double[] sorted, double probability)
    {
        var h = (sorted.Length - 1) * probability;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
