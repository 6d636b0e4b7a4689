using System.Text.Json.Serialization;
using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent.Health;

/// <summary>The body of <c>/healthz</c>.</summary>
/// <param name="Status"><c>healthy</c> (HTTP 200) or <c>unhealthy</c> (HTTP 503).</param>
/// <param name="Version">Agent version.</param>
/// <param name="UptimeSeconds">Seconds since the health server started.</param>
/// <param name="LastSpectrumUtc">When the last result was finished; omitted before the first.</param>
/// <param name="OutboxDepth">Messages waiting for the broker; omitted when the agent has no outbox.</param>
/// <param name="MqttConnected">Whether the MQTT publisher is connected; omitted when the agent has no publisher.</param>
/// <param name="Problems">Why the agent is unhealthy; omitted when healthy.</param>
public sealed record HealthReport(string Status, string Version, double UptimeSeconds, DateTimeOffset? LastSpectrumUtc,
    int? OutboxDepth, bool? MqttConnected, IReadOnlyList<string>? Problems)
{
    /// <summary>Each input adapter and its state; omitted when the agent runs none.</summary>
    public IReadOnlyList<AdapterReport>? Adapters { get; init; }

    /// <summary>True when <see cref="Status"/> is <c>healthy</c>.</summary>
    [JsonIgnore]
    public bool IsHealthy => Problems is null;
}

/// <summary>The body of <c>/readyz</c> and <c>/livez</c>.</summary>
/// <param name="Status"><c>ready</c> or <c>live</c> (HTTP 200); <c>not ready</c> or <c>not live</c> (HTTP 503).</param>
/// <param name="Problems">Why not; omitted when ready or live.</param>
public sealed record ProbeReport(string Status, IReadOnlyList<string>? Problems);

/// <summary>Source-generated System.Text.Json metadata for <see cref="HealthReport"/> and <see cref="ProbeReport"/> (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ProbeReport))]
public sealed partial class HealthJson : JsonSerializerContext;
