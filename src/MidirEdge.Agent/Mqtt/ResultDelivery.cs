using System.Text.Json;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Cache;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Mqtt;

/// <summary>Entry point of the delivery end: caches a result (and its spectrum) and puts it in the outbox.</summary>
public sealed class ResultDelivery
{
    private readonly AgentCache _cache;
    private readonly MqttTopics _topics;
    private readonly bool _publishSpectra;

    /// <summary>Creates the delivery for a cache and the configured topics.</summary>
    public ResultDelivery(AgentCache cache, IOptions<MidirEdgeOptions> agent, IOptions<MqttOptions> mqtt)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
        _topics = MqttTopics.Resolve(agent.Value, mqtt.Value);
        _publishSpectra = mqtt.Value.PublishSpectra;
    }

    /// <summary>
    /// Enqueues the result for publishing (after the spectrum, when spectrum publishing is on), then stores the result and
    /// the spectrum in the cache. Returns when everything is committed to disk.
    /// </summary>
    public void Submit(ResultMessage result, Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(spectrum);
        // Outbox first, spectrum last: the pipeline treats a cached spectrum as done, so a crash between these
        // steps may send a result twice (same id) but never loses one.
        var json = JsonSerializer.SerializeToUtf8Bytes(result, DeliveryJson.Default.ResultMessage);
        if (_publishSpectra)
            _cache.Outbox.Enqueue(_topics.Spectrum, SerializeSpectrum(result.SpectrumHash, spectrum));
        _cache.Outbox.Enqueue(_topics.Result, json);
        _cache.StoreResult(result.Id, json);
        _cache.StoreSpectrum(result.SpectrumHash, spectrum);
    }

    /// <summary>Serializes a spectrum as a v1 spectrum payload.</summary>
    public static byte[] SerializeSpectrum(string hash, Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var message = new SpectrumMessage
        {
            Id = hash,
            SampleName = spectrum.Metadata.SampleName,
            AcquiredUtc = spectrum.Metadata.AcquiredUtc,
            XUnit = spectrum.XUnit.ToString(),
            YKind = spectrum.YKind.ToString(),
            X = spectrum.X,
            Y = spectrum.Y,
        };
        return JsonSerializer.SerializeToUtf8Bytes(message, DeliveryJson.Default.SpectrumMessage);
    }
}
