using MidirEdge.Models.Bundles;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Qc;

/// <summary>The real spectra the QC limits were set on, and the demo bundles, loaded once.</summary>
internal static class RealSpectra
{
    private static readonly Lazy<Spectrum[]> YamsysSpectra = new(() =>
    {
        var table = CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv");
        return [.. Enumerable.Range(0, table.RowCount).Select(table.SpectrumAt)];
    });

    private static readonly Lazy<(string Name, OpusFile File)[]> OpusFiles = new(() =>
        [.. Fixtures.Files("data/opus").Order(StringComparer.Ordinal).Select(p => (Path.GetFileName(p), OpusReader.Read(File.ReadAllBytes(p), Path.GetFileName(p))))]);

    private static readonly Lazy<ModelBundle[]> DemoBundles = new(() =>
        [.. Directory.GetFiles(Fixtures.RepositoryPath("demo/models"), "*.zip").Order(StringComparer.Ordinal).Select(p => ModelBundle.Load(p))]);

    /// <summary>The 224 yamsys soil absorbance spectra (Bruker Alpha DRIFT).</summary>
    public static Spectrum[] Yamsys => YamsysSpectra.Value;

    /// <summary>Every OPUS fixture file by name.</summary>
    public static (string Name, OpusFile File)[] Opus => OpusFiles.Value;

    /// <summary>The demo bundles in demo/models.</summary>
    public static ModelBundle[] Demo => DemoBundles.Value;

}
