using System.IO.Compression;
using MidirEdge.Cli.Failures;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Csv;

namespace MidirEdge.Cli.Commands;

/// <summary>Reads a wide spectral table (one spectrum per row) from a CSV file, gunzipped when it is gzip.</summary>
internal static class TableFile
{
    /// <summary>The table in <paramref name="path"/>; a file of another kind is refused naming what it looks like.</summary>
    public static SpectralTable Read(string path)
    {
        var data = File.ReadAllBytes(path);
        if (FileKind.IsGzip(data))
        {
            using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            data = buffer.ToArray();
        }
        if (FileKind.Of(FileKind.Head(data)) is { } kind)
            throw new SpectrumFormatException(path, $"not a CSV table: looks like {kind}");
        return CsvSpectrumReader.ReadTable(data, path);
    }

    /// <summary>Refuses a column name given with <paramref name="option"/> that <paramref name="table"/> does not have, listing those it has.</summary>
    public static void RequireColumn(SpectralTable table, string name, string option)
    {
        if (table.Columns.Any(c => c.Name == name)) return;
        var columns = table.Columns.Select(c => c.Name).ToArray();
        var nearest = Nearest.To(name, columns);
        throw new UsageException($"{option} {name}: {table.SourceFile} has no such column" + (nearest is not null ? $"; did you mean {nearest}?" : ".")
            + $" Its columns: {string.Join(", ", columns.Take(30))}{(columns.Length > 30 ? ", …" : "")}.");
    }
}
