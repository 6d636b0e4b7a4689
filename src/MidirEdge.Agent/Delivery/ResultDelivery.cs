using System.Text.Json;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Delivery;

/// <summary>Entry point of the delivery end: caches a result (and its spectrum) and puts it in the outbox; puts each rejected capture's message in the outbox too.</summary>
public sealed class ResultDelivery
{
    private readonly AgentCache _cache;
    private readonly MqttTopics _topics;
    private readonly bool _publishSpectra;
    private readonly string _site;
    private readonly string _instrument;

    /// <summary>Creates the delivery for a cache and the configured topics.</summary>
    public ResultDelivery(AgentCache cache, IOptions<MidirEdgeOptions> agent, IOptions<MqttOptions> mqtt)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
        _topics = MqttTopics.Resolve(agent.Value, mqtt.Value);
        _publishSpectra = mqtt.Value.PublishSpectra;
        _site = agent.Value.Site;
        _instrument = agent.Value.Instrument;
    }

    /// <summary>
    /// Enqueues each result for publishing as a v1 payload (after its spectrum, when spectrum publishing is on), in order,
    /// then stores the results and spectra in the cache: one commit to the outbox and one to the cache for all of them.
    /// Returns the result payloads, in order, once everything is committed to disk.
    /// </summary>
    public IReadOnlyList<byte[]> Submit(IReadOnlyList<(SpectrumResult Result, Spectrum Spectrum)> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) return [];
        var messages = new List<OutgoingMessage>(results.Count * (_publishSpectra ? 2 : 1));
        var cached = new CachedResult[results.Count];
        var payloads = new byte[results.Count][];
        for (var i = 0; i < results.Count; i++)
        {
            var (result, spectrum) = results[i];
            var json = JsonSerializer.SerializeToUtf8Bytes(ResultMessage.From(result, _site, _instrument), DeliveryJson.Default.ResultMessage);
            if (_publishSpectra) messages.Add(new OutgoingMessage(_topics.Spectrum, SerializeSpectrum(result.SpectrumHash, spectrum)));
            messages.Add(new OutgoingMessage(_topics.Result, json));
            cached[i] = new CachedResult(result.Id, json, result.SpectrumHash, spectrum, result.CaptureHash);
            payloads[i] = json;
        }
        // Outbox first, spectra last: the pipeline treats a cached spectrum as done, so a crash between these
        // steps may send a result twice (same id) but never loses one.
        _cache.Outbox.Enqueue(messages);
        _cache.Store(cached);
        return payloads;
    }

    /// <summary>
    /// Enqueues the v1 rejected payload of <paramref name="rejection"/> for publishing, committed to disk when this returns,
    /// so it goes out with the results' guarantees (kept until the broker acknowledges it). Returns the payload.
    /// </summary>
    public byte[] Reject(RejectedCapture rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        var json = JsonSerializer.SerializeToUtf8Bytes(RejectedMessage.From(rejection, _site, _instrument), DeliveryJson.Default.RejectedMessage);
        _cache.Outbox.Enqueue(_topics.Rejected, json);
        return json;
    }

    /// <summary>Serializes a spectrum as a v1 spectrum payload.</summary>
    public static byte[] SerializeSpectrum(string hash, Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var message = new SpectrumMessage
        {
            Id = hash,
            SampleName = spectrum.Metadata.SampleName is { } sample ? OneLine.Of(sample, 200) : null,
            AcquiredUtc = spectrum.Metadata.AcquiredUtc,
            XUnit = spectrum.XUnit.ToString(),
            YKind = spectrum.YKind.ToString(),
            X = spectrum.X,
            Y = spectrum.Y,
        };
        return JsonSerializer.SerializeToUtf8Bytes(message, DeliveryJson.Default.SpectrumMessage);
    }
}
