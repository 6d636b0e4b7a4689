using MidirEdge.Models.Pls;

namespace MidirEdge.Models.Tests.Pls;

/// <summary>Segments, component selection and statistics of cross-validation.</summary>
public sealed class PlsCrossValidationTests
{
    /// <summary>Grouped K-fold keeps every replicate of a soil together, covers each row once and is reproducible.</summary>
    [Fact]
    public void Grouped_kfold_keeps_replicates_together_and_is_deterministic()
    {
        var samples = YamsysData.Instance.Text("sample_id");
        var segments = CrossValidationSegments.GroupedKFold(samples, 5, seed: 42);

        Assert.Equal(5, segments.Length);
        Assert.Equal(Enumerable.Range(0, samples.Length), segments.SelectMany(s => s).Order());
        foreach (var group in samples.Distinct())
            Assert.Single(segments, s => s.Any(i => samples[i] == group));
        var groupsPerFold = segments.Select(s => s.Select(i => samples[i]).Distinct().Count()).ToArray();
        Assert.True(groupsPerFold.Max() - groupsPerFold.Min() <= 1);

        Assert.Equal(segments, CrossValidationSegments.GroupedKFold(samples, 5, seed: 42));
        Assert.NotEqual(segments, CrossValidationSegments.GroupedKFold(samples, 5, seed: 43));
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidationSegments.GroupedKFold(samples, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidationSegments.GroupedKFold(["a", "a", "b"], 3, 0));
    }

    /// <summary>Segments must partition the rows, and the components must fit in the smallest training set.</summary>
    [Fact]
    public void Segments_that_do_not_partition_the_rows_are_rejected()
    {
        var x = new double[,] { { 1, 2 }, { 2, 1 }, { 3, 5 }, { 4, 4 }, { 5, 1 } };
        double[] y = [1, 2, 3, 5, 4];
        Assert.Throws<ArgumentException>(() => PlsCrossValidation.Run(x, y, 1, [[0, 1], [2, 3]]));
        Assert.Throws<ArgumentException>(() => PlsCrossValidation.Run(x, y, 1, [[0, 1], [1, 2, 3, 4]]));
        Assert.Throws<ArgumentException>(() => PlsCrossValidation.Run(x, y, 1, [[0, 1, 2, 3, 4], []]));
        Assert.Throws<ArgumentException>(() => PlsCrossValidation.Run(x, y, 1, [[0, 1, 5], [2, 3, 4]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlsCrossValidation.Run(x, y, 2, [[0, 1], [2, 3, 4]]));
        var cv = PlsCrossValidation.Run(x, y, 2, CrossValidationSegments.LeaveOneOut(5));
        Assert.Equal(3, cv.Rmsep().Length);
    }

    /// <summary>Each held-out prediction comes from a model fitted (and, with scaling, scaled) on the other segments only.</summary>
    [Theory]
    [InlineData(PlsAlgorithm.Kernel, false)]
    [InlineData(PlsAlgorithm.Nipals, true)]
    public void Held_out_predictions_come_from_the_training_segments_only(PlsAlgorithm algorithm, bool scale)
    {
        var data = YamsysData.Instance;
        var y = data.Values("ex_K");
        var segments = CrossValidationSegments.GroupedKFold(data.Text("sample_id"), 4, seed: 7);
        var cv = PlsCrossValidation.Run(data.Absorbance, y, 6, segments, algorithm, scale);

        var held = segments[2];
        var train = Enumerable.Range(0, y.Length).Except(held).ToArray();
        var model = PlsRegression.Fit(PlsReferenceTests.Select(data.Absorbance, train), train.Select(i => y[i]).ToArray(), 6, algorithm, scale);
        for (var a = 1; a <= 6; a++)
        {
            var predictions = cv.Predictions(a, 0);
            foreach (var i in held)
                Assert.Equal(model.Predict(PlsReferenceTests.Row(data.Absorbance, i), a)[0], predictions[i], 1e-9 * Math.Abs(predictions[i]));
        }
    }

    /// <summary>The one-sigma rule returns the first component count within one standard error of the CV minimum (R selectNcomp).</summary>
    [Fact]
    public void One_sigma_rule_picks_the_smallest_model_within_one_standard_error()
    {
        var data = YamsysData.Instance;
        var y = data.Values("C");
        var segments = CrossValidationSegments.GroupedKFold(data.Text("sample_id"), 5, seed: 1);
        var cv = PlsCrossValidation.Run(data.Absorbance, y, 15, segments);
        var rmsep = cv.Rmsep();
        var best = Array.IndexOf(rmsep, rmsep.Min());
        var selected = cv.SelectComponents();

        Assert.InRange(selected, 1, best);
        double StandardError(int a)
        {
            var residuals = a == 0
                ? y.Select(v => v - (y.Sum() - v) / (y.Length - 1)).ToArray()
                : cv.Predictions(a, 0).Select((p, i) => p - y[i]).ToArray();
            var mean = residuals.Average();
            return Math.Sqrt(residuals.Sum(e => (e - mean) * (e - mean)) / (residuals.Length - 1) / residuals.Length);
        }
        Assert.True(rmsep[selected] - StandardError(selected) < rmsep[best]);
        for (var a = 0; a < selected; a++) Assert.False(rmsep[a] - StandardError(a) < rmsep[best]);

        var stats = cv.Statistics(selected);
        Assert.Equal(rmsep[selected], stats.Rmse, 1e-12);
        Assert.Equal(y.Length, stats.Count);
    }

    /// <summary>Regression statistics match hand-computed values (R quantile type 7: IQR of 1…10 is 4.5).</summary>
    [Fact]
    public void Regression_statistics_follow_their_definitions()
    {
        var observed = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();
        var predicted = observed.Select((o, i) => o + (i % 2 == 0 ? 1.5 : -0.5)).ToArray();

        var s = RegressionStatistics.Compute(observed, predicted);

        Assert.Equal(10, s.Count);
        Assert.Equal(0.5, s.Bias, 1e-14);
        Assert.Equal(Math.Sqrt(1.25), s.Rmse, 1e-14);
        Assert.Equal(Math.Sqrt(10.0 / 9), s.Sep, 1e-14);
        Assert.Equal(1 - 12.5 / 82.5, s.R2, 1e-14);
        Assert.Equal(Math.Sqrt(55.0 / 6) / Math.Sqrt(10.0 / 9), s.Rpd, 1e-14);
        Assert.Equal(4.5 / Math.Sqrt(1.25), s.Rpiq, 1e-14);
        Assert.Throws<ArgumentException>(() => RegressionStatistics.Compute(observed, predicted.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => RegressionStatistics.Compute([1.0], [1.0]));
    }
}
