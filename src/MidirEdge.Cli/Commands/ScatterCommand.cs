using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MidirEdge.Cli.Failures;
using MidirEdge.Scattering;
using MidirEdge.Spectra;

namespace MidirEdge.Cli.Commands;

/// <summary><c>midir-edge scatter</c>: Kymatio-exact 1-D scattering of the signals in a CSV file, as JSON.</summary>
internal static class ScatterCommand
{
    private const string Name = "scatter";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var options = new ScatteringOptions();
        var input = new Option<FileInfo>("--input") { Description = "CSV file: one signal per row, no header, all rows the same length", Required = true }.ExistingFile();
        var output = new Option<FileInfo?>("--output") { Description = "JSON file to write (stdout when absent)" }.FileToWrite();
        var command = new Command(Name, "Kymatio-exact wavelet scattering (Scattering1D) of signals in a CSV file, written as JSON");
        options.AddTo(command);
        command.Options.Add(input);
        command.Options.Add(output);

        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var version = options.ReadVersion(result);
            var signals = ReadSignals(result.GetValue(input)!);
            var scattering = options.Build(result, signals[0].Length, version);
            var features = scattering.TransformBatch(signals);
            await using var stream = result.GetValue(output) is { } target ? target.Create() : Console.OpenStandardOutput();
            await WriteJsonAsync(stream, scattering, version, features, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reads a header-less CSV of equal-length, finite numeric rows.</summary>
    private static double[][] ReadSignals(FileInfo file)
    {
        using (var head = file.OpenRead())
        {
            var bytes = new byte[FileKind.HeadLength];
            if (FileKind.Of(bytes.AsSpan(0, head.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false))) is { } kind)
                throw new SpectrumFormatException(file.FullName, $"not a CSV of signals: looks like {kind}");
        }
        var rows = new List<double[]>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(file.FullName))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cells = line.Split(',');
            var row = new double[cells.Length];
            for (var i = 0; i < cells.Length; i++)
            {
                var cell = cells[i].Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    throw new SpectrumFormatException(file.FullName, $"column {i + 1}: {OneLine.Quote(cell)} is not a number", line: lineNumber);
                if (!double.IsFinite(value))
                    throw new SpectrumFormatException(file.FullName, $"column {i + 1}: {cell} is not a finite value", line: lineNumber);
                row[i] = value;
            }
            if (rows.Count > 0 && row.Length != rows[0].Length)
                throw new SpectrumFormatException(file.FullName, $"{row.Length} values; the first signal has {rows[0].Length} (all signals must have the same length)", line: lineNumber);
            rows.Add(row);
        }
        if (rows.Count == 0) throw new SpectrumFormatException(file.FullName, "no signals");
        return rows.ToArray();
    }

    private static async Task WriteJsonAsync(Stream stream, Scattering1D scattering, KymatioVersion version, double[][] features, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("kymatio", ScatteringOptions.VersionName(version));
        json.WriteStartArray("shape");
        json.WriteNumberValue(features.Length);
        json.WriteNumberValue(scattering.PathCount);
        json.WriteNumberValue(scattering.TimeLength);
        json.WriteEndArray();
        json.WriteStartArray("output");
        foreach (var signal in features)
        {
            json.WriteStartArray();
            for (var path = 0; path < scattering.PathCount; path++)
            {
                json.WriteStartArray();
                for (var t = 0; t < scattering.TimeLength; t++) json.WriteNumberValue(signal[path * scattering.TimeLength + t]);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            if (json.BytesPending > 1 << 16) await json.FlushAsync(cancellationToken);
        }
        json.WriteEndArray();

        var maxOrder = scattering.Parameters.MaxOrder;
        json.WriteStartObject("meta");
        json.WriteStartArray("order");
        foreach (var path in scattering.Paths) json.WriteNumberValue(path.Order);
        json.WriteEndArray();
        WriteMeta(json, "n", scattering, maxOrder, (p, o) => p.N[o]);
        WriteMeta(json, "j", scattering, maxOrder, (p, o) => p.J[o]);
        WriteMeta(json, "xi", scattering, maxOrder, (p, o) => p.Xi[o]);
        WriteMeta(json, "sigma", scattering, maxOrder, (p, o) => p.Sigma[o]);
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static void WriteMeta(Utf8JsonWriter json, string name, Scattering1D scattering, int maxOrder, Func<ScatteringPath, int, double> value)
    {
        json.WriteStartArray(name);
        foreach (var path in scattering.Paths)
        {
            json.WriteStartArray();
            for (var o = 0; o < maxOrder; o++)
            {
                if (o < path.Order) json.WriteNumberValue(value(path, o));
                else json.WriteNullValue();
            }
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }
}
