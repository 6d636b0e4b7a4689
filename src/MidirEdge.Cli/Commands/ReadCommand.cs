using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MidirEdge.Cli.Failures;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats;
using MidirEdge.Spectra.Json;

namespace MidirEdge.Cli.Commands;

/// <summary>What <c>read</c> prints.</summary>
internal enum ReadOutput
{
    Summary,
    Json,
    Csv,
}

/// <summary><c>midir-edge read FILE [--json | --csv]</c>: prints every spectrum in an instrument file.</summary>
internal static class ReadCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "An OPUS, JCAMP-DX or CSV file" }.ExistingFile();
        var json = new Option<bool>("--json") { Description = "Print JSON: {file, format, spectra: [{name, xUnit, yKind, x, y, metadata}]}" };
        var csv = new Option<bool>("--csv") { Description = "Print CSV: one row per point, columns spectrum,x,y" };
        var command = new Command("read", "Print every spectrum in an instrument file") { file, json, csv };
        command.Validators.Add(result =>
        {
            if (result.GetResult(json) is not null && result.GetResult(csv) is not null) result.AddError("--json and --csv cannot be used together.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.GetValue(json) ? ReadOutput.Json : parse.GetValue(csv) ? ReadOutput.Csv : ReadOutput.Summary;
            await using var stdout = Console.OpenStandardOutput();
            return await RunAsync(parse.GetRequiredValue(file).FullName, output, stdout, cancellationToken);
        });
        return command;
    }

    /// <summary>Reads <paramref name="path"/> and writes its spectra to <paramref name="output"/>; returns the exit code.</summary>
    /// <exception cref="SpectrumFormatException">The file cannot be read as spectra.</exception>
    public static async Task<int> RunAsync(string path, ReadOutput format, Stream output, CancellationToken cancellationToken)
    {
        var content = await SpectrumFiles.ReadAsync(path, cancellationToken);
        switch (format)
        {
            case ReadOutput.Json: WriteJson(output, content); break;
            case ReadOutput.Csv: WriteCsv(output, content); break;
            default: WriteSummary(output, content); break;
        }
        return ExitCodes.Success;
    }

    private static void WriteJson(Stream output, SpectrumFileContent content)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("file", content.File);
        writer.WriteString("format", content.Format.ToString().ToLowerInvariant());
        writer.WriteStartArray("spectra");
        for (var i = 0; i < content.Spectra.Count; i++)
            SpectrumJson.Write(writer, content.Spectra[i], NameOf(content.Spectra[i], i));
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteCsv(Stream output, SpectrumFileContent content)
    {
        using var writer = new StreamWriter(output, leaveOpen: true);
        writer.WriteLine("spectrum,x,y");
        for (var i = 0; i < content.Spectra.Count; i++)
        {
            var spectrum = content.Spectra[i];
            var name = Csv.Quote(NameOf(spectrum, i));
            for (var p = 0; p < spectrum.Length; p++)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name},{spectrum.X[p]:R},{spectrum.Y[p]:R}"));
        }
    }

    private static void WriteSummary(Stream output, SpectrumFileContent content)
    {
        using var writer = new StreamWriter(output, leaveOpen: true);
        writer.WriteLine($"{content.File}: {content.Format.ToString().ToUpperInvariant()}, {content.Spectra.Count} spectra");
        for (var i = 0; i < content.Spectra.Count; i++)
        {
            var s = content.Spectra[i];
            var range = s.Length == 0 ? "empty" : string.Create(CultureInfo.InvariantCulture,
                $"{s.X[0]:0.###}–{s.X[^1]:0.###} {SpectrumJson.Name(s.XUnit, s.Metadata.XUnitLabel)}");
            // The summary is for a terminal: the file's sample name without its control characters.
            var sample = s.Metadata.SampleName is { } n ? $"  sample {OneLine.Of(n, 200)}" : "";
            var when = s.Metadata.AcquiredUtc is { } t ? $"  {t.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : "";
            writer.WriteLine($"  {NameOf(s, i),-16} {s.Length,6} points  {range}  {SpectrumJson.Name(s.YKind)}{sample}{when}");
        }
    }

    private static string NameOf(Spectrum spectrum, int index) => spectrum.Metadata.Block ?? index.ToString(CultureInfo.InvariantCulture);
}
