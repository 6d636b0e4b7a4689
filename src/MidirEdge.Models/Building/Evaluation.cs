using MidirEdge.Models.Bundles;
using MidirEdge.Models.Pls;
using MidirEdge.Spectra;

namespace MidirEdge.Models.Building;

/// <summary>How one target of a bundle did on a table with lab values.</summary>
/// <param name="Target">Target name.</param>
/// <param name="Observed">Lab values of the rows that had one.</param>
/// <param name="Predicted">Predictions of those rows.</param>
/// <param name="InDomain">How many of those rows were inside the applicability domain.</param>
/// <param name="Statistics">RMSE, R², bias, RPD and RPIQ.</param>
public sealed record TargetEvaluation(string Target, double[] Observed, double[] Predicted, int InDomain, RegressionStatistics Statistics)
{
    /// <summary>Whether each of those rows was inside the applicability domain (same order as <see cref="Observed"/>); empty when not recorded.</summary>
    public bool[] InDomainRows { get; init; } = [];
}

/// <summary>Evaluates a bundle on an independent table: every target that has a column of lab values.</summary>
public static class Evaluation
{
    /// <summary>Predicts every row and compares with the table's lab values.</summary>
    public static IReadOnlyList<TargetEvaluation> Run(ModelBundle bundle, SpectralTable table)
    {
        var targets = bundle.Manifest.Targets.Select(t => t.Name).Where(name => table.Columns.Any(c => c.Name == name)).ToArray();
        if (targets.Length == 0)
            throw new ArgumentException($"the table has no column for any of the bundle's targets ({string.Join(", ", bundle.Manifest.Targets.Select(t => t.Name))}).");
        var predictions = new IReadOnlyList<Prediction.TargetPrediction>[table.RowCount];
        Parallel.For(0, table.RowCount, row => predictions[row] = bundle.Predict(table.SpectrumAt(row)));
        return targets.Select(target =>
        {
            var column = table.Column(target).Values;
            var observed = new List<double>();
            var predicted = new List<double>();
            var inDomain = 0;
            var rows = new List<bool>();
            for (var row = 0; row < table.RowCount; row++)
            {
                if (column[row] is not double value || !double.IsFinite(value)) continue;
                var prediction = predictions[row].First(p => p.Target == target);
                observed.Add(value);
                predicted.Add(prediction.Value);
                if (prediction.InDomain) inDomain++;
                rows.Add(prediction.InDomain);
            }
            return new TargetEvaluation(target, [.. observed], [.. predicted], inDomain, RegressionStatistics.Compute([.. observed], [.. predicted]))
            {
                InDomainRows = [.. rows],
            };
        }).ToArray();
    }
}
