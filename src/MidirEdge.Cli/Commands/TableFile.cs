using System.IO.Compression;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Csv;

namespace MidirEdge.Cli.Commands;

/// <summary>Reads a wide spectral table (one spectrum per row) from a CSV file, gunzipping <c>.gz</c> files.</summary>
internal static class TableFile
{
    public static SpectralTable Read(string path)
    {
        using var file = File.OpenRead(path);
        using var buffer = new MemoryStream();
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            gzip.CopyTo(buffer);
        }
        else
        {
            file.CopyTo(buffer);
        }
        return CsvSpectrumReader.ReadTable(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), path);
    }
}
