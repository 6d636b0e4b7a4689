using System.CommandLine;
using System.Globalization;
using MidirEdge.Cli.Failures;
using MidirEdge.Models.Bundles;
using MidirEdge.Agent.Pipeline;
using MidirEdge.Models.Prediction;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats;

namespace MidirEdge.Cli.Commands;

/// <summary>
/// <c>midir-edge predict</c>: predictions of one or more bundles for a spectral table or a batch of instrument files, as CSV
/// with one row per input spectrum. An input that cannot be predicted gets its row with the reason in the <c>error</c>
/// column, and the others go on.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model")
        {
            Description = "Model bundle (.zip or unpacked folder), a folder of bundles, or a quoted glob ('models/*.zip'); several may be given",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        }.Bundles();
        var inputs = new Option<string[]>("--input")
        {
            Description = "A wide CSV table, or instrument files (OPUS, JCAMP-DX, CSV): files, folders, or quoted globs ('spectra/*.0')",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        }.ExistingFilesOrGlob();
        var id = new Option<string?>("--id") { Description = "Table column to use as the id (default: the first column)" };
        var output = new Option<FileInfo?>("--output") { Description = "CSV file to write (stdout when absent)" }.FileToWrite();
        var strict = new Option<bool>("--strict") { Description = "Exit 1 when any input could not be predicted (by default only when none could)" };
        var command = new Command("predict",
            "Predict every target of the bundles; CSV with header id,<target>,<target>_lower,<target>_upper,<target>_quality...,in_domain,error")
            { models, inputs, id, output, strict };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var bundles = new List<ModelBundle>();
            try
            {
                foreach (var path in PathPatterns.Expand(parse.GetRequiredValue(models), PathPatterns.BundlesIn))
                    bundles.Add(ModelBundle.Load(path));
                var files = PathPatterns.Expand(parse.GetRequiredValue(inputs), PathPatterns.FilesIn);
                var table = files.Count == 1 && IsTable(files[0]);
                if (!table && parse.GetValue(id) is { } column)
                    throw new UsageException($"--id {column} names a table column, but {files[0]} is an instrument file, not a CSV table.");
                var rows = table
                    ? FromTable(bundles, TableFile.Read(files[0]), parse.GetValue(id))
                    : await FromFilesAsync(bundles, files, cancellationToken);
                await WriteAsync(parse.GetValue(output), bundles, rows);
                return Outcome(rows, parse.GetValue(strict));
            }
            finally
            {
                foreach (var bundle in bundles) bundle.Dispose();
            }
        });
        return command;
    }

    /// <summary>One input spectrum's predictions, one list per bundle; or why there are none.</summary>
    private sealed record Row(string Id, IReadOnlyList<TargetPrediction>[]? Predictions, string? Error);

    private static int Outcome(List<Row> rows, bool strict)
    {
        var failed = rows.Where(r => r.Error is not null).ToList();
        if (failed.Count == 0) return ExitCodes.Success;
        if (failed.Count == rows.Count)
            throw new CommandFailedException(rows.Count == 1 ? failed[0].Error! : $"none of the {rows.Count} inputs could be predicted; the first: {failed[0].Error}");
        var message = $"{failed.Count} of {rows.Count} inputs could not be predicted (see the error column); the first: {failed[0].Error}";
        if (strict) throw new CommandFailedException(message);
        Console.Error.WriteLine($"midir-edge predict: {OneLine.Of(message)}");
        return ExitCodes.Success;
    }

    private static async Task WriteAsync(FileInfo? output, List<ModelBundle> bundles, List<Row> rows)
    {
        await using var writer = output is not null ? new StreamWriter(output.FullName) : new StreamWriter(Console.OpenStandardOutput());
        var columns = Columns(bundles);
        await writer.WriteLineAsync(string.Join(',', ["id", .. columns.SelectMany(c => new[] { c.Name, $"{c.Name}_lower", $"{c.Name}_upper", $"{c.Name}_quality" }).Select(Csv.Quote), "in_domain", "error"]));
        foreach (var row in rows)
        {
            if (row.Predictions is not { } predictions)
            {
                await writer.WriteLineAsync(string.Join(',', [Csv.Quote(row.Id), .. Enumerable.Repeat("", columns.Count * 4 + 1), Csv.Quote(OneLine.Of(row.Error!))]));
                continue;
            }
            var values = columns.SelectMany(c => Cells(predictions[c.Bundle].First(p => p.Target == c.Target)));
            var inDomain = predictions.All(list => list.All(p => p.InDomain)) ? "true" : "false";
            await writer.WriteLineAsync(string.Join(',', [Csv.Quote(row.Id), .. values, inDomain, ""]));
        }
    }

    /// <summary>A target of one bundle and its column name: the target's name, qualified by the bundle id where two bundles predict it.</summary>
    private sealed record Column(int Bundle, string Target, string Name);

    private static List<Column> Columns(List<ModelBundle> bundles)
    {
        var targets = bundles.SelectMany((b, i) => b.Manifest.Targets.Select(t => (Bundle: i, Target: t.Name))).ToList();
        var repeated = targets.GroupBy(t => t.Target, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return [.. targets.Select(t => new Column(t.Bundle, t.Target, repeated.Contains(t.Target) ? $"{bundles[t.Bundle].Id}:{t.Target}" : t.Target))];
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

    private static List<Row> FromTable(List<ModelBundle> bundles, SpectralTable table, string? idColumn)
    {
        if (idColumn is not null) TableFile.RequireColumn(table, idColumn, "--id");
        var ids = idColumn is null ? table.RowIds.ToArray() : table.Column(idColumn).Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)).ToArray();
        var rows = new Row[table.RowCount];
        Parallel.For(0, table.RowCount, r =>
        {
            var rowId = ids[r] ?? r.ToString(CultureInfo.InvariantCulture);
            rows[r] = Attempt(rowId, $"row {rowId}", () => [.. bundles.Select(b => b.Predict(table.SpectrumAt(r)))]);
        });
        return [.. rows];
    }

    private static async Task<List<Row>> FromFilesAsync(List<ModelBundle> bundles, List<string> files, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        foreach (var file in files)
        {
            SpectrumFileContent content;
            try
            {
                content = await SpectrumFiles.ReadAsync(file, cancellationToken);
            }
            catch (Exception ex) when (ex is SpectrumFormatException or IOException or UnauthorizedAccessException)
            {
                rows.Add(new Row(Path.GetFileName(file), null, Reason(file, ex)));
                continue;
            }
            rows.Add(Attempt(Path.GetFileName(file), file, () => [.. bundles.Select(b => b.Predict(SpectrumChoice.For(b, content)))]));
        }
        return rows;
    }

    // The predictions, or the row's reason why not: input the bundles cannot use is the input's problem, not the batch's.
    private static Row Attempt(string id, string source, Func<IReadOnlyList<TargetPrediction>[]> predict)
    {
        try
        {
            return new Row(id, predict(), null);
        }
        catch (Exception ex) when (ex is SpectrumFormatException or InputContractException)
        {
            return new Row(id, null, Reason(source, ex));
        }
    }

    // The message names its file already when the reader threw it; otherwise the input is named in front.
    private static string Reason(string source, Exception ex)
    {
        var message = Failure.Describe(ex).Message;
        return message.StartsWith(source, StringComparison.Ordinal) ? message : $"{source}: {message}";
    }
}
