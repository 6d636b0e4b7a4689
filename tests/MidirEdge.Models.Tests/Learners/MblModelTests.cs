using MidirEdge.Models.Learners;
using MidirEdge.Models.Pls;
using MidirEdge.Models.Tests.Domain;

namespace MidirEdge.Models.Tests.Learners;

public sealed class MblModelTests
{
    [Fact]
    public void With_every_calibration_row_as_neighbour_and_one_component_count_mbl_is_global_pls()
    {
        var x = YamsysSpectra.Absorbances[..80];
        var y = x.Select(r => r[100] * 10 + r[900] * 3).ToArray();
        var mbl = MblModel.Fit(x, y, neighbours: 80, minComponents: 5, maxComponents: 5);
        var pls = PlsRegression.Fit(Matrix(x), y, 5);
        foreach (var unknown in YamsysSpectra.Absorbances[150..155])
            Assert.Equal(pls.Predict(unknown, 5)[0], mbl.Predict(unknown), 1e-9);
    }

    [Fact]
    public void Neighbours_that_share_one_value_predict_that_value()
    {
        // Three neighbours of one soil with one lab value: a local PLS has nothing to regress on.
        var x = YamsysSpectra.Absorbances[..9];
        var mbl = MblModel.Fit(x, [1, 1, 1, 1, 1, 1, 1, 1, 1], neighbours: 3, minComponents: 1, maxComponents: 2);
        Assert.Equal(1, mbl.Predict(YamsysSpectra.Absorbances[100]));
    }

    [Fact]
    public void An_inconsistent_artefact_is_refused()
    {
        var x = YamsysSpectra.Absorbances[..20];
        var model = MblModel.Fit(x, [.. Enumerable.Range(0, 20).Select(i => (double)i)], 10, 2, 4);
        Assert.Throws<ArgumentException>(() => new MblModel(model.Artefact with { Targets = model.Artefact.Targets[..19] }));
        Assert.Throws<ArgumentException>(() => new MblModel(model.Artefact with { Neighbours = 21 }));
        Assert.Throws<ArgumentException>(() => new MblModel(model.Artefact with { MaxComponents = 10 }));
    }

    private static double[,] Matrix(double[][] rows)
    {
        var m = new double[rows.Length, rows[0].Length];
        for (var i = 0; i < rows.Length; i++)
            for (var j = 0; j < rows[0].Length; j++) m[i, j] = rows[i][j];
        return m;
    }
}
