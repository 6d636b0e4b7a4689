using System.Text.Json;
using MidirEdge.Models.Pls;
using MidirEdge.Tests;
using Xunit.Abstractions;

namespace MidirEdge.Models.Tests.Pls;

/// <summary>
/// Reproduces R pls 2.8 (reference/pls/*.json) within 1e-8 relative, where an array's relative error is
/// |ours − R| / max |R over that array| (see <see cref="ReferenceComparison"/>).
/// </summary>
public sealed class PlsReferenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-8;

    /// <summary>Each algorithm on gasoline (50 calibration rows, 10 components) against its R counterpart.</summary>
    [Theory]
    [InlineData("kernelpls", PlsAlgorithm.Kernel)]
    [InlineData("simpls", PlsAlgorithm.Simpls)]
    [InlineData("oscorespls", PlsAlgorithm.Nipals)]
    public void Gasoline_matches_R_coefficients_intercepts_predictions_and_loo_rmsep(string method, PlsAlgorithm algorithm)
    {
        using var json = Fixtures.ReadJson("reference/pls/gasoline.json.gz");
        var root = json.RootElement;
        var reference = root.GetProperty("methods").GetProperty(method);
        var x = Matrix(root.GetProperty("X"));
        var y = root.GetProperty("y").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var calibration = Rows(root.GetProperty("calibration_rows"));
        var test = Rows(root.GetProperty("test_rows"));
        var xCal = Select(x, calibration);
        var yCal = calibration.Select(i => y[i]).ToArray();
        var components = reference.GetProperty("intercepts").GetArrayLength();

        var model = PlsRegression.Fit(xCal, yCal, components, algorithm);
        var compare = new ReferenceComparison(Tolerance);
        compare.Check("x_means", "", reference.GetProperty("x_means"), model.XMeans);
        compare.Check("y_mean", "", [reference.GetProperty("y_mean").GetDouble()], model.YMeans);
        for (var a = 1; a <= components; a++)
        {
            compare.Check("coefficients", $"{a} comps", reference.GetProperty("coefficients")[a - 1], model.Coefficients(a, 0));
            var predictions = test.Select(i => model.Predict(Row(x, i), a)[0]).ToArray();
            compare.Check("test_predictions", $"{a} comps", reference.GetProperty("test_predictions")[a - 1], predictions);
        }
        compare.Check("intercepts", "", reference.GetProperty("intercepts"),
            Enumerable.Range(1, components).Select(a => model.Intercepts(a)[0]).ToArray());

        var cv = PlsCrossValidation.Run(xCal, yCal, components, CrossValidationSegments.LeaveOneOut(calibration.Length), algorithm);
        compare.Check("rmsep_loo", "", reference.GetProperty("rmsep_loo"), cv.Rmsep());

        output.WriteLine($"gasoline {method}: worst relative errors {compare.Report()}");
    }

    /// <summary>Kernel PLS of one soil property on 224 MIR spectra, 15 components, 5-fold CV with R's segments.</summary>
    [Theory]
    [InlineData("C")]
    [InlineData("ex_K")]
    public void Yamsys_matches_R_kernel_pls_and_segmented_cv(string response)
    {
        using var json = Fixtures.ReadJson("reference/pls/yamsys_dev.json.gz");
        var root = json.RootElement;
        var reference = root.GetProperty("responses").GetProperty(response);
        var data = YamsysData.Instance;
        var y = data.Values(response);
        var components = reference.GetProperty("intercepts").GetArrayLength();
        var axis = root.GetProperty("x_axis").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(axis.Length, data.Absorbance.GetLength(1));

        var model = PlsRegression.Fit(data.Absorbance, y, components);
        var compare = new ReferenceComparison(Tolerance);
        for (var a = 1; a <= components; a++)
        {
            compare.Check("coefficients", $"{a} comps", reference.GetProperty("coefficients")[a - 1], model.Coefficients(a, 0));
            var fitted = Enumerable.Range(0, 10).Select(i => model.Predict(Row(data.Absorbance, i), a)[0]).ToArray();
            compare.Check("fitted_first10", $"{a} comps", reference.GetProperty("fitted_first10")[a - 1], fitted);
        }
        compare.Check("intercepts", "", reference.GetProperty("intercepts"),
            Enumerable.Range(1, components).Select(a => model.Intercepts(a)[0]).ToArray());

        var segments = root.GetProperty("cv_segments").EnumerateArray().Select(Rows).ToArray();
        var cv = PlsCrossValidation.Run(data.Absorbance, y, components, segments);
        compare.Check("rmsep_cv", "", reference.GetProperty("rmsep_cv"), cv.Rmsep());

        output.WriteLine($"yamsys {response}: worst relative errors {compare.Report()}");
    }

    internal static double[,] Select(double[,] x, int[] rows)
    {
        var result = new double[rows.Length, x.GetLength(1)];
        for (var i = 0; i < rows.Length; i++)
            for (var j = 0; j < x.GetLength(1); j++)
                result[i, j] = x[rows[i], j];
        return result;
    }

    internal static double[] Row(double[,] x, int row) => Enumerable.Range(0, x.GetLength(1)).Select(j => x[row, j]).ToArray();

    /// <summary>1-based R row numbers to 0-based indices.</summary>
    private static int[] Rows(JsonElement oneBased) => oneBased.EnumerateArray().Select(e => e.GetInt32() - 1).ToArray();

    private static double[,] Matrix(JsonElement rows)
    {
        var n = rows.GetArrayLength();
        var p = rows[0].GetArrayLength();
        var result = new double[n, p];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < p; j++)
                result[i, j] = rows[i][j].GetDouble();
        return result;
    }
}
