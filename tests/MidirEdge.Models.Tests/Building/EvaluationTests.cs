using MidirEdge.Models.Bundles;
using MidirEdge.Models.Building;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Tests;

namespace MidirEdge.Models.Tests.Building;

/// <summary>Evaluating the demo ex_K bundle on the YaMSys table, whose rows include a few outside its domain.</summary>
public sealed class EvaluationTests
{
    /// <summary>Each evaluated row says whether it was in the domain, and the flags add up to the count.</summary>
    [Fact]
    public void Each_row_records_whether_it_was_in_the_domain()
    {
        using var bundle = ModelBundle.Load(Fixtures.RepositoryPath("demo/models/demo-yamsys-ex_K.zip"));
        var table = CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv");

        var evaluation = Evaluation.Run(bundle, table).Single();

        Assert.Equal(evaluation.Observed.Length, evaluation.InDomainRows.Length);
        Assert.Equal(evaluation.InDomain, evaluation.InDomainRows.Count(inside => inside));
        Assert.Contains(false, evaluation.InDomainRows);
    }
}
