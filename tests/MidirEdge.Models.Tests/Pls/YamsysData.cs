using System.Globalization;
using System.Text;
using MidirEdge.Tests;

namespace MidirEdge.Models.Tests.Pls;

/// <summary>
/// Minimal test-only reader of tests/fixtures/data/yamsys/yamsys_dev.csv.gz: fields are separated by commas and text
/// fields are quoted without embedded commas or quotes, so a plain split suffices. Absorbance columns are those whose
/// header parses as a number (the wavenumber).
/// </summary>
internal sealed class YamsysData
{
    private static readonly Lazy<YamsysData> Shared = new(Read);

    private YamsysData(string[] header, string[][] rows)
    {
        Header = header;
        Rows = rows;
        var spectral = Enumerable.Range(0, header.Length).Where(j => double.TryParse(header[j], NumberStyles.Float, CultureInfo.InvariantCulture, out _)).ToArray();
        Absorbance = new double[rows.Length, spectral.Length];
        for (var i = 0; i < rows.Length; i++)
            for (var k = 0; k < spectral.Length; k++)
                Absorbance[i, k] = double.Parse(rows[i][spectral[k]], CultureInfo.InvariantCulture);
    }

    public static YamsysData Instance => Shared.Value;

    public string[] Header { get; }

    public string[][] Rows { get; }

    /// <summary>Spectra, rows × wavenumbers.</summary>
    public double[,] Absorbance { get; }

    public string[] Text(string column)
    {
        var j = Array.IndexOf(Header, column);
        return Rows.Select(r => r[j]).ToArray();
    }

    public double[] Values(string column) => Text(column).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static YamsysData Read()
    {
        var text = Encoding.UTF8.GetString(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        static string[] Fields(string line) => line.Split(',').Select(f => f.Trim('"')).ToArray();
        var header = Fields(lines[0]);
        var rows = lines.Skip(1).Select(Fields).ToArray();
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        return new YamsysData(header, rows);
    }
}
