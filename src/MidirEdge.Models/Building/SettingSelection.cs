namespace MidirEdge.Models.Building;

/// <summary>Chooses a learner's setting from its cross-validated predictions.</summary>
internal static class SettingSelection
{
    /// <summary>
    /// The one-sigma rule over repeats (R pls selectNcomp "onesigma", pooled): the simplest setting whose mean RMSE minus
    /// its standard error, sd(residuals pooled over repeats)/√n, is below the lowest mean RMSE.
    /// </summary>
    /// <param name="observed">Observed values (model scale).</param>
    /// <param name="predictions">predictions[repeat][setting][row].</param>
    /// <param name="rmse">Mean RMSE of every setting over the repeats.</param>
    public static int OneSigma(double[] observed, double[][][] predictions, out double[] rmse)
    {
        var settings = predictions[0].Length;
        int n = observed.Length, repeats = predictions.Length;
        rmse = new double[settings];
        var standardError = new double[settings];
        for (var s = 0; s < settings; s++)
        {
            double sum = 0, sumSquares = 0, rmseSum = 0;
            for (var r = 0; r < repeats; r++)
            {
                var press = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var e = predictions[r][s][i] - observed[i];
                    sum += e;
                    sumSquares += e * e;
                    press += e * e;
                }
                rmseSum += Math.Sqrt(press / n);
            }
            rmse[s] = rmseSum / repeats;
            var count = (double)n * repeats;
            var variance = (sumSquares - sum * sum / count) / (count - 1);
            standardError[s] = Math.Sqrt(Math.Max(0, variance)) / Math.Sqrt(n);
        }
        var best = 0;
        for (var s = 1; s < settings; s++)
            if (rmse[s] < rmse[best]) best = s;
        for (var s = 0; s < best; s++)
            if (rmse[s] - standardError[s] < rmse[best]) return s;
        return best;
    }
}
