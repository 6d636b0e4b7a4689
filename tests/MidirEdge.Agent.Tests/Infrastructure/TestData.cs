using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Delivery;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>Spectra, results and publishers for delivery tests.</summary>
public static class TestData
{
    /// <summary>Agent options used by the tests.</summary>
    public static MidirEdgeOptions Agent { get; } = new() { Site = "lab", Instrument = "alpha1" };

    /// <summary>A 1716-point absorbance spectrum whose values depend on <paramref name="seed"/>.</summary>
    public static Spectrum Spectrum(int seed)
    {
        const int n = 1716;
        var x = new double[n];
        var y = new double[n];
        var random = new Random(seed);
        for (var i = 0; i < n; i++)
        {
            x[i] = 3997.4 - i * (3997.4 - 499.7) / (n - 1);
            y[i] = 0.2 + 0.1 * Math.Sin(x[i] / 300.0) + 1e-3 * random.NextDouble();
        }
        return MidirEdge.Spectra.Spectrum.Create(x, y, XUnit.Wavenumber, YKind.Absorbance,
            new SpectrumMetadata { SampleName = $"S{seed:D4}", AcquiredUtc = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero).AddMinutes(seed) });
    }

    /// <summary>The agent's result for <paramref name="spectrum"/>, with two predictions.</summary>
    public static SpectrumResult Conclusion(Spectrum spectrum)
    {
        var hash = SpectrumHash.Compute(spectrum);
        Prediction[] predictions =
        [
            new("C", 12.5, "g/kg", "pls-C", "3", true, 1.2, 0.004),
            new("pH", 6.1, null, "pls-pH", "1", false, 14.9, 0.02),
        ];
        return new SpectrumResult
        {
            Id = SpectrumResult.CreateId(hash, predictions),
            SpectrumHash = hash,
            SampleName = spectrum.Metadata.SampleName,
            AcquiredUtc = spectrum.Metadata.AcquiredUtc,
            Qc = new QcSummary(true, []),
            Predictions = predictions,
            ProcessedUtc = new DateTimeOffset(2026, 11, 24, 23, 59, 0, TimeSpan.Zero),
            ProcessingMs = 41.7,
        };
    }

    /// <summary>The v1 payload of <see cref="Conclusion"/> for <paramref name="spectrum"/>.</summary>
    public static ResultMessage Result(Spectrum spectrum) => ResultMessage.From(Conclusion(spectrum), Agent.Site, Agent.Instrument);

    /// <summary>MQTT options for a broker at <paramref name="host"/>:<paramref name="port"/> with test-sized back-off.</summary>
    public static MqttOptions Mqtt(string host, int port) => new()
    {
        Host = host,
        Port = port,
        ClientId = "agent-" + Guid.NewGuid().ToString("N"),
        ReconnectMinDelay = TimeSpan.FromSeconds(1),
        ReconnectMaxDelay = TimeSpan.FromSeconds(8),
    };

    /// <summary>A publisher over <paramref name="cache"/>'s outbox, counting its retries in <paramref name="metrics"/>.</summary>
    public static MqttPublisher Publisher(AgentCache cache, MqttOptions mqtt, TimeProvider time, AgentStatus? status = null, AgentMetrics? metrics = null) =>
        new(cache.Outbox, status ?? new AgentStatus(), Options.Create(Agent), Options.Create(mqtt), new AgentCredential(), time,
            metrics ?? new AgentMetrics(), NullLogger<MqttPublisher>.Instance, []);

    /// <summary>The exported text of <paramref name="metrics"/>.</summary>
    public static string Exported(AgentMetrics metrics)
    {
        using var exported = new MemoryStream();
        metrics.Registry.CollectAndExportAsTextAsync(exported).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(exported.ToArray());
    }

    /// <summary>How often <paramref name="operation"/> was retried (<c>midir_retries_total</c>): each retry waits out a back-off delay.</summary>
    public static int Retries(AgentMetrics metrics, string operation)
    {
        var match = System.Text.RegularExpressions.Regex.Match(Exported(metrics), $"midir_retries_total\\{{operation=\"{operation}\"\\}} ([0-9]+)");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>A delivery entry point over <paramref name="cache"/>.</summary>
    public static ResultDelivery Delivery(AgentCache cache, MqttOptions mqtt) =>
        new(cache, Options.Create(Agent), Options.Create(mqtt));

    /// <summary>
    /// Writes the first <paramref name="count"/> yamsys soils as CSV files into <paramref name="staging"/> and moves each
    /// into <paramref name="inbox"/> (complete the moment it appears, as instrument software does); returns their names.
    /// </summary>
    public static async Task<string[]> DropSoilFilesAsync(string staging, string inbox, int count)
    {
        var table = CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv");
        var names = new string[count];
        for (var row = 0; row < count; row++)
        {
            names[row] = table.RowIds[row]!;
            var staged = System.IO.Path.Combine(staging, names[row] + ".csv");
            await File.WriteAllLinesAsync(staged, ["wavenumber,absorbance", .. table.X.Select((x, i) => string.Create(CultureInfo.InvariantCulture, $"{x},{table.Values[row][i]:R}"))]);
            File.Move(staged, System.IO.Path.Combine(inbox, names[row] + ".csv"));
        }
        return names;
    }
}
