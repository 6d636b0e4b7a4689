using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Tests;

namespace MidirEdge.Models.Tests.Building;

/// <summary>The real yamsys_dev table (224 spectra of 74 soils), read once.</summary>
internal static class YamsysTable
{
    private static readonly Lazy<SpectralTable> Shared = new(() =>
        CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv"));

    public static SpectralTable Table => Shared.Value;

    /// <summary>Rows with a finite value of <paramref name="target"/>, their values and sample ids.</summary>
    public static (int[] Rows, double[] Y, string[] Groups) Measured(string target)
    {
        var values = Table.Column(target).Values;
        var groups = Table.Column("sample_id").Values;
        var rows = Enumerable.Range(0, Table.RowCount).Where(r => values[r] is double v && double.IsFinite(v)).ToArray();
        return (rows, rows.Select(r => (double)values[r]!).ToArray(), rows.Select(r => (string)groups[r]!).ToArray());
    }
}
