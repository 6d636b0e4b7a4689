using MidirEdge.Models.Bundles;
using MidirEdge.Models.Learners;
using MidirEdge.Models.Pls;
using MidirEdge.Spectra;

namespace MidirEdge.Models.Building;

/// <summary>How often a builder's prediction intervals covered the lab value of soils it had not seen.</summary>
/// <param name="Target">Target name.</param>
/// <param name="Level">Nominal coverage of the intervals.</param>
/// <param name="Predicted">Predictions made (rows with a lab value).</param>
/// <param name="WithInterval">Predictions that carried an interval (inside the applicability domain).</param>
/// <param name="Covered">Intervals that held the lab value.</param>
/// <param name="OutOfDomain">Predictions outside the applicability domain (their intervals widened, or none).</param>
/// <param name="OutOfDomainWithInterval">Predictions outside the domain that still carried a (widened) interval.</param>
/// <param name="OutOfDomainCovered">Widened intervals that held the lab value.</param>
public sealed record IntervalCoverageResult(string Target, double Level, int Predicted, int WithInterval, int Covered, int OutOfDomain,
    int OutOfDomainWithInterval, int OutOfDomainCovered)
{
    /// <summary>Fraction of the intervals that held the lab value.</summary>
    public double Coverage => WithInterval == 0 ? double.NaN : (double)Covered / WithInterval;

    /// <summary>Fraction of the widened intervals outside the domain that held the lab value.</summary>
    public double OutOfDomainCoverage => OutOfDomainWithInterval == 0 ? double.NaN : (double)OutOfDomainCovered / OutOfDomainWithInterval;
}

/// <summary>
/// Measures interval coverage by grouped cross-validation around the whole build: each outer fold's soils are predicted by a
/// bundle built (with its own inner cross-validation and interval calibration) from the other soils only.
/// </summary>
public static class IntervalCoverage
{
    /// <summary>Builds one bundle per outer fold and counts how many held-out lab values fall inside their intervals.</summary>
    public static IntervalCoverageResult Run(SpectralTable table, string groupColumn, string target, IReadOnlyList<CandidatePipeline> pipelines,
        IReadOnlyList<ILearner> learners, BuildOptions options, int folds = 5, int seed = 1)
    {
        var values = table.Column(target).Values;
        var groupValues = table.Column(groupColumn).Values;
        var rows = Enumerable.Range(0, table.RowCount).Where(r => values[r] is double v && double.IsFinite(v)).ToArray();
        var groups = rows.Select(r => Convert.ToString(groupValues[r], System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray();
        int predicted = 0, withInterval = 0, covered = 0, outOfDomain = 0, outOfDomainWithInterval = 0, outOfDomainCovered = 0;
        foreach (var test in CrossValidationSegments.GroupedKFold(groups, folds, seed))
        {
            var held = test.Select(i => rows[i]).ToHashSet();
            var training = Subset(table, [.. Enumerable.Range(0, table.RowCount).Where(r => !held.Contains(r))]);
            var built = new ModelBuilder(training, groupColumn, options).Build(target, pipelines, learners);
            var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity("coverage", "coverage", "1.0.0"), training, groupColumn, [built], DateTimeOffset.UnixEpoch);
            using var bundle = ModelBundle.Load(BundleWriter.Files(manifest, artefacts, null, out _), "coverage");
            foreach (var row in held)
            {
                var prediction = bundle.Predict(table.SpectrumAt(row)).Single(p => p.Target == target);
                predicted++;
                if (!prediction.InDomain) outOfDomain++;
                if (prediction.Interval is not { } interval) continue;
                withInterval++;
                if (!prediction.InDomain) outOfDomainWithInterval++;
                if ((double)values[row]! < interval.Lower || (double)values[row]! > interval.Upper) continue;
                covered++;
                if (!prediction.InDomain) outOfDomainCovered++;
            }
        }
        return new IntervalCoverageResult(target, options.IntervalLevel, predicted, withInterval, covered, outOfDomain, outOfDomainWithInterval, outOfDomainCovered);
    }

    private static SpectralTable Subset(SpectralTable table, int[] rows) => new(
        table.X, rows.Select(r => table.Values[r]).ToArray(), [.. rows.Select(r => table.RowIds[r])],
        [.. table.Columns.Select(c => new MetadataColumn(c.Name, [.. rows.Select(r => c.Values[r])]))], table.XUnit, table.YKind, table.SourceFile);
}
