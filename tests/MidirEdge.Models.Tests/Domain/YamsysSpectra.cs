using System.Globalization;
using System.Text;
using MidirEdge.Tests;

namespace MidirEdge.Models.Tests.Domain;

/// <summary>The yamsys_dev absorbance spectra with their sample ids (a minimal reader for tests only).</summary>
internal static class YamsysSpectra
{
    private const int FirstAbsorbanceColumn = 34;
    private static readonly Lazy<(string[] SampleIds, double[] Wavenumbers, double[][] Absorbances)> Data = new(Read);

    public static string[] SampleIds => Data.Value.SampleIds;

    public static double[] Wavenumbers => Data.Value.Wavenumbers;

    public static double[][] Absorbances => Data.Value.Absorbances;

    private static (string[], double[], double[][]) Read()
    {
        var lines = Encoding.UTF8.GetString(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        var wavenumbers = header[FirstAbsorbanceColumn..].Select(h => double.Parse(h.Trim('"'), CultureInfo.InvariantCulture)).ToArray();
        var ids = new string[lines.Length - 1];
        var spectra = new double[lines.Length - 1][];
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            ids[i - 1] = cells[1].Trim('"');
            spectra[i - 1] = cells[FirstAbsorbanceColumn..].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        }
        return (ids, wavenumbers, spectra);
    }
}
