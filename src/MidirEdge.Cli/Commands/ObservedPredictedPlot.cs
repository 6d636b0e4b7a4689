using MidirEdge.Models.Building;
using ScottPlot;

namespace MidirEdge.Cli.Commands;

/// <summary>
/// An observed-vs-predicted scatter plot per target, side by side, saved as PNG: axes in the target's unit, and the rows
/// outside the model's applicability domain drawn as red crosses.
/// </summary>
internal static class ObservedPredictedPlot
{
    public static void Save(string path, string title, IReadOnlyList<TargetEvaluation> evaluations, IReadOnlyDictionary<string, string?> units)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(evaluations.Count);
        for (var i = 0; i < evaluations.Count; i++)
        {
            var e = evaluations[i];
            var plot = multiplot.GetPlot(i);
            var inside = Enumerable.Range(0, e.Observed.Length).Where(r => e.InDomainRows.Length == 0 || e.InDomainRows[r]).ToArray();
            var outside = Enumerable.Range(0, e.InDomainRows.Length).Where(r => !e.InDomainRows[r]).ToArray();
            var scatter = plot.Add.ScatterPoints(inside.Select(r => e.Observed[r]).ToArray(), inside.Select(r => e.Predicted[r]).ToArray());
            scatter.MarkerSize = 5;
            scatter.LegendText = "in domain";
            if (outside.Length > 0)
            {
                var marked = plot.Add.ScatterPoints(outside.Select(r => e.Observed[r]).ToArray(), outside.Select(r => e.Predicted[r]).ToArray(), Colors.Red);
                marked.MarkerShape = MarkerShape.Cross;
                marked.MarkerSize = 9;
                marked.LegendText = $"outside the domain ({outside.Length})";
                plot.ShowLegend(Alignment.UpperLeft);
            }
            var low = Math.Min(e.Observed.Min(), e.Predicted.Min());
            var high = Math.Max(e.Observed.Max(), e.Predicted.Max());
            var identity = plot.Add.Line(low, low, high, high);
            identity.LinePattern = LinePattern.Dashed;
            identity.LineColor = Colors.Gray;
            plot.Title($"{e.Target}: RMSE {e.Statistics.Rmse:0.###}, R² {e.Statistics.R2:0.00}, n {e.Statistics.Count}");
            var unit = units.GetValueOrDefault(e.Target) is { Length: > 0 } u ? $" ({u})" : "";
            plot.XLabel($"observed {e.Target}{unit}");
            plot.YLabel($"predicted {e.Target}{unit}");
        }
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, 480 * evaluations.Count, 480);
    }
}
