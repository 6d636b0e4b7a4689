using MidirEdge.Models.Pls;

namespace MidirEdge.Models.Building;

/// <summary>Mean and standard deviation of cross-validated statistics over repeats.</summary>
internal static class RepeatedStatistics
{
    public static (RegressionStatistics Mean, RegressionStatistics Spread) Summarise(IReadOnlyList<RegressionStatistics> repeats)
    {
        double Mean(Func<RegressionStatistics, double> of) => repeats.Average(of);
        double Sd(Func<RegressionStatistics, double> of)
        {
            if (repeats.Count < 2) return 0;
            var mean = repeats.Average(of);
            return Math.Sqrt(repeats.Sum(r => (of(r) - mean) * (of(r) - mean)) / (repeats.Count - 1));
        }
        var count = repeats[0].Count;
        var mean = new RegressionStatistics(count, Mean(s => s.Rmse), Mean(s => s.Bias), Mean(s => s.Sep), Mean(s => s.R2), Mean(s => s.Rpd), Mean(s => s.Rpiq))
            { Ccc = Mean(s => s.Ccc) };
        var spread = new RegressionStatistics(count, Sd(s => s.Rmse), Sd(s => s.Bias), Sd(s => s.Sep), Sd(s => s.R2), Sd(s => s.Rpd), Sd(s => s.Rpiq))
            { Ccc = Sd(s => s.Ccc) };
        return (mean, spread);
    }
}
