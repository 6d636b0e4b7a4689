using MidirEdge.Models.Building;
using MidirEdge.Models.Pls;
using MidirEdge.Spectra.Preprocessing;

namespace MidirEdge.Models.Tests.Building;

public sealed class RepeatedCrossValidationTests
{
    [Fact]
    public void One_repeat_reproduces_plain_grouped_pls_cross_validation()
    {
        var options = new BuildOptions(Repeats: 1, TryLog1p: false);
        var built = new ModelBuilder(YamsysTable.Table, "sample_id", options).Build("C", [CandidatePipeline.StandardNormalVariate]);
        var (rows, y, groups) = YamsysTable.Measured("C");
        var snv = new double[rows.Length, YamsysTable.Table.X.Length];
        var row = new double[YamsysTable.Table.X.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            Snv.Transform(YamsysTable.Table.Values[rows[i]], row);
            for (var j = 0; j < row.Length; j++) snv[i, j] = row[j];
        }
        var segments = CrossValidationSegments.GroupedKFold(groups, options.Folds, options.Seed);
        var maxComponents = Math.Min(options.MaxComponents, rows.Length - segments.Max(s => s.Length) - 2);
        var cv = PlsCrossValidation.Run(snv, y, maxComponents, segments);

        Assert.Equal(cv.Rmsep()[1..], built.Best.SettingRmse, (a, b) => Math.Abs(a - b) < 1e-9);
        var expected = cv.Predictions(built.Best.Components, 0);
        Assert.Equal(expected, Assert.Single(built.Best.Predictions), (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(cv.Statistics(built.Best.Components).Rmse, built.Best.Statistics.Rmse, 1e-12);
        Assert.Equal(0, built.Best.Spread.Rmse);
    }

    [Fact]
    public void Repeats_use_their_own_grouped_folds_and_report_mean_and_sd()
    {
        var built = new ModelBuilder(YamsysTable.Table, "sample_id", new BuildOptions(Repeats: 3, TryLog1p: false)).Build("N", [CandidatePipeline.StandardNormalVariate]);
        var (_, y, groups) = YamsysTable.Measured("N");
        Assert.Equal(3, built.Best.Predictions.Length);
        var perRepeat = built.Best.Predictions.Select(p => RegressionStatistics.Compute(y, p)).ToArray();
        Assert.Equal(perRepeat.Average(s => s.Rmse), built.Best.Statistics.Rmse, 12);
        Assert.Equal(perRepeat.Average(s => s.Ccc), built.Best.Statistics.Ccc, 12);
        Assert.True(built.Best.Spread.Rmse > 0, "three fold assignments give three different errors");
        Assert.NotEqual(built.Best.Predictions[0], built.Best.Predictions[1]);
        // Replicates of one soil share a fold in every repeat.
        for (var r = 0; r < 3; r++)
        {
            var segments = CrossValidationSegments.GroupedKFold(groups, 5, new BuildOptions().Seed + r);
            Assert.All(groups.Distinct(), g => Assert.Single(segments, s => s.Any(i => groups[i] == g)));
        }

        var (manifest, _) = BundleComposer.Compose(new BundleIdentity("t", "t", "1.0.0"), YamsysTable.Table, "sample_id", [built], DateTimeOffset.UnixEpoch);
        var training = manifest.Models[0].Training!;
        Assert.StartsWith("3 × grouped 5-fold cross-validation by sample_id", training.Validation);
        Assert.Equal("pls", training.Learner);
        var stats = training.Statistics["N"];
        Assert.Equal(built.Best.Statistics.Ccc, stats.Ccc);
        Assert.Equal(built.Best.Spread.Rmse, stats.Sd!.Rmse);
    }
}
