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
    /// Stores the spectrum and the result in the cache and enqueues them for publishing (the spectrum first,
    /// when spectrum publishing is on). Returns when the outbox entries are committed to disk.
    /// </summary>
    public void Submit(ResultMessage result, Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(spectrum);
        _cache.StoreSpectrum(result.SpectrumHash, spectrum);
        var json = JsonSerializer.SerializeToUtf8Bytes(result, DeliveryJson.Default.ResultMessage);
        _cache.StoreResult(result.Id, json);
        if (_publishSpectra)
            _cache.Outbox.Enqueue(_topics.Spectrum, SerializeSpectrum(result.SpectrumHash, spectrum));
        _cache.Outbox.Enqueue(_topics.Result, json);
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
