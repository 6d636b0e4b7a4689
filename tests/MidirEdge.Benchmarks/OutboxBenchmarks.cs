using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Benchmarks;

/// <summary>
/// Durable enqueue rate of the outbox, and replay of a day's backlog (1,440 results, one a minute)
/// to a real local Mosquitto broker (<c>/usr/sbin/mosquitto</c>) with QoS 1.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class OutboxBenchmarks
{
    private const int Backlog = 1440;
    private readonly byte[] _payload = SamplePayload();
    private string _dir = "";
    private AgentCache _cache = null!;
    private MosquittoBroker _broker = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("midir-bench-").FullName;
        _cache = AgentCache.Open(Path.Combine(_dir, "cache.db"));
        _broker = new MosquittoBroker();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _broker.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>One result payload committed to the outbox (insert plus checkpoint).</summary>
    [Benchmark]
    public long Enqueue() => _cache.Outbox.Enqueue("midir/lab/alpha1/result", _payload);

    [IterationSetup(Target = nameof(ReplayBacklog))]
    public void FillBacklog()
    {
        foreach (var m in _cache.Outbox.PeekOldest(int.MaxValue)) _cache.Outbox.Remove(m.Sequence);
        for (var i = 0; i < Backlog; i++) _cache.Outbox.Enqueue("midir/lab/alpha1/result", _payload);
    }

    /// <summary>Connect, publish 1,440 queued results at QoS 1 in order, removing each on PUBACK, until the outbox is empty.</summary>
    [Benchmark]
    public async Task ReplayBacklog()
    {
        var mqtt = new MqttOptions { Host = "127.0.0.1", Port = _broker.Port, ClientId = "bench-" + Guid.NewGuid().ToString("N") };
        using var publisher = new MqttPublisher(_cache.Outbox, new AgentStatus(), Options.Create(new MidirEdgeOptions { Site = "lab", Instrument = "alpha1" }),
            Options.Create(mqtt), new AgentCredential(), TimeProvider.System, new AgentMetrics(), NullLogger<MqttPublisher>.Instance, []);
        await publisher.StartAsync(CancellationToken.None);
        while (_cache.Outbox.Depth > 0) await Task.Delay(5);
        await publisher.StopAsync(CancellationToken.None);
    }

    private static byte[] SamplePayload() => JsonSerializer.SerializeToUtf8Bytes(new ResultMessage
    {
        Id = "49cc21a33e73684e213fef5666b3d6db",
        SpectrumHash = "5466e23248ae9a179f8640ff25b45a78",
        SampleName = "BF_lo_01_soil_cal",
        AcquiredUtc = new DateTimeOffset(2026, 11, 24, 12, 7, 0, TimeSpan.Zero),
        Site = "lab",
        Instrument = "alpha1",
        Qc = new QcSummary(true, []),
        Predictions =
        [
            new Prediction("C", 12.5, "g/kg", "pls-C", "3", true, 1.2, 0.004),
            new Prediction("N", 1.1, "g/kg", "pls-N", "3", true, 0.9, 0.003),
            new Prediction("pH", 6.1, null, "pls-pH", "1", false, 14.9, 0.02),
        ],
        ProcessedUtc = new DateTimeOffset(2026, 11, 24, 12, 7, 1, TimeSpan.Zero),
        ProcessingMs = 41.7,
    }, DeliveryJson.Default.ResultMessage);
}
