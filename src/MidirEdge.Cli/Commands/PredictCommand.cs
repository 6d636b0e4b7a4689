using System.CommandLine;
using System.Globalization;
using MidirEdge.Cli.Failures;
using MidirEdge.Models.Bundles;
using MidirEdge.Agent.Pipeline;
using MidirEdge.Models.Prediction;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats;

namespace MidirEdge.Cli.Commands;

/// <summary><c>midir-edge predict</c>: predictions of a bundle for a spectral table or instrument files, as CSV.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Model bundle (.zip or directory)", Required = true }.Bundle();
        var inputs = new Option<FileInfo[]>("--input") { Description = "A wide CSV table, or instrument files (OPUS, JCAMP-DX, CSV)", Required = true, AllowMultipleArgumentsPerToken = true }
            .ExistingFile();
        var id = new Option<string?>("--id") { Description = "Table column to use as the id (default: the first column)" };
        var output = new Option<FileInfo?>("--output") { Description = "CSV file to write (stdout when absent)" }.FileToWrite();
        var command = new Command("predict", "Predict every target of a model bundle; CSV with header id,<target>,<target>_lower,<target>_upper,<target>_quality...,in_domain") { model, inputs, id, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var bundle = ModelBundle.Load(parse.GetRequiredValue(model).FullName);
            var files = parse.GetRequiredValue(inputs);
            var table = files.Length == 1 && IsTable(files[0].FullName);
            if (!table && parse.GetValue(id) is { } column)
                throw new UsageException($"--id {column} names a table column, but {files[0].FullName} is an instrument file, not a CSV table.");
            var rows = table
                ? FromTable(bundle, TableFile.Read(files[0].FullName), parse.GetValue(id))
                : await FromFilesAsync(bundle, files, cancellationToken);
            await using var writer = parse.GetValue(output) is { } file ? new StreamWriter(file.FullName) : new StreamWriter(Console.OpenStandardOutput());
            var targets = bundle.Manifest.Targets.Select(t => t.Name).ToArray();
            await writer.WriteLineAsync(string.Join(',', ["id", .. targets.SelectMany(t => new[] { t, $"{t}_lower", $"{t}_upper", $"{t}_quality" }).Select(Csv.Quote), "in_domain"]));
            foreach (var (rowId, predictions) in rows)
            {
                var values = targets.Select(t => predictions.First(p => p.Target == t)).SelectMany(Cells);
                var inDomain = predictions.All(p => p.InDomain) ? "true" : "false";
                await writer.WriteLineAsync(string.Join(',', [Csv.Quote(rowId), .. values, inDomain]));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    // Value, interval bounds (empty when the prediction has none) and quality of one target.
    private static string[] Cells(TargetPrediction p) =>
    [
        Number(p.Value), p.Interval is { } i ? Number(i.Lower) : "", p.Interval is { } j ? Number(j.Upper) : "",
        p.Quality == PredictionQuality.Indicative ? "indicative" : "quantitative",
    ];

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // A table has a header row of wavenumbers; anything the OPUS or JCAMP reader recognises is an instrument file, and
    // gzip is a compressed table. Other kinds (an image, a bundle) are refused when read, naming what they look like.
    private static bool IsTable(string path)
    {
        Span<byte> head = stackalloc byte[FileKind.HeadLength];
        using var file = File.OpenRead(path);
        var read = file.Read(head);
        return FileKind.IsGzip(head[..read]) || (SpectrumFile.Detect(head[..read]) == SpectrumFormat.Csv && FileKind.Of(head[..read]) is null && CountLines(path) > 2);
    }

    private static int CountLines(string path) => File.ReadLines(path).Take(3).Count();

    private static IEnumerable<(string Id, IReadOnlyList<TargetPrediction> Predictions)> FromTable(ModelBundle bundle, SpectralTable table, string? idColumn)
    {
        if (idColumn is not null) TableFile.RequireColumn(table, idColumn, "--id");
        var ids = idColumn is null ? table.RowIds.ToArray() : table.Column(idColumn).Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)).ToArray();
        var results = new IReadOnlyList<TargetPrediction>[table.RowCount];
        Parallel.For(0, table.RowCount, row => results[row] = bundle.Predict(table.SpectrumAt(row)));
        return results.Select((p, row) => (ids[row] ?? row.ToString(CultureInfo.InvariantCulture), p));
    }

    private static async Task<List<(string Id, IReadOnlyList<TargetPrediction> Predictions)>> FromFilesAsync(ModelBundle bundle, FileInfo[] files, CancellationToken cancellationToken)
    {
        var rows = new List<(string, IReadOnlyList<TargetPrediction>)>();
        foreach (var file in files)
        {
            var content = await SpectrumFiles.ReadAsync(file.FullName, cancellationToken);
            rows.Add((file.Name, bundle.Predict(SpectrumChoice.For(bundle, content))));
        }
        return rows;
    }
}
