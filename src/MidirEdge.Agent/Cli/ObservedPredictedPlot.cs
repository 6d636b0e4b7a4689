using MidirEdge.Models.Building;
using ScottPlot;

namespace MidirEdge.Agent.Cli;

/// <summary>An observed-vs-predicted scatter plot per target, side by side, saved as PNG.</summary>
internal static class ObservedPredictedPlot
{
    public static void Save(string path, string title, IReadOnlyList<TargetEvaluation> evaluations)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(evaluations.Count);
        for (var i = 0; i < evaluations.Count; i++)
        {
            var e = evaluations[i];
            var plot = multiplot.GetPlot(i);
            var scatter = plot.Add.ScatterPoints(e.Observed, e.Predicted);
            scatter.MarkerSize = 5;
            var low = Math.Min(e.Observed.Min(), e.Predicted.Min());
            var high = Math.Max(e.Observed.Max(), e.Predicted.Max());
            var identity = plot.Add.Line(low, low, high, high);
            identity.LinePattern = LinePattern.Dashed;
            identity.LineColor = Colors.Gray;
            plot.Title($"{e.Target}: RMSE {e.Statistics.Rmse:0.###}, R² {e.Statistics.R2:0.00}, n {e.Statistics.Count}");
            plot.XLabel("observed");
            plot.YLabel("predicted");
        }
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, 480 * evaluations.Count, 480);
    }
}
