using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent.Mqtt;

/// <summary>The resolved topics and client id of one agent.</summary>
/// <param name="Result">Topic of result messages.</param>
/// <param name="Status">Retained status topic (also the last-will topic).</param>
/// <param name="Spectrum">Topic of spectrum messages.</param>
/// <param name="Rejected">Topic of the messages about rejected captures.</param>
/// <param name="ClientId">MQTT client id.</param>
public sealed record MqttTopics(string Result, string Status, string Spectrum, string Rejected, string ClientId)
{
    /// <summary>Substitutes <c>{site}</c> and <c>{instrument}</c> into the configured templates.</summary>
    public static MqttTopics Resolve(MidirEdgeOptions agent, MqttOptions mqtt)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(mqtt);
        string Fill(string template) => template
            .Replace("{site}", agent.Site, StringComparison.Ordinal)
            .Replace("{instrument}", agent.Instrument, StringComparison.Ordinal);
        var clientId = string.IsNullOrWhiteSpace(mqtt.ClientId) ? $"midir-edge-{agent.Site}-{agent.Instrument}" : Fill(mqtt.ClientId);
        return new MqttTopics(Fill(mqtt.Topic), Fill(mqtt.StatusTopic), Fill(mqtt.SpectrumTopic), Fill(mqtt.RejectedTopic), clientId);
    }

    /// <summary>
    /// Whether <paramref name="topic"/> is the agent's to write: one of its topics, or beside them under the same parent
    /// (with the default templates everything under <c>midir/{site}/{instrument}</c>).
    /// </summary>
    public bool IsAgentTopic(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        foreach (var own in (ReadOnlySpan<string>)[Result, Status, Spectrum, Rejected])
        {
            if (topic == own) return true;
            var parent = own.LastIndexOf('/');
            if (parent > 0 && topic.AsSpan().StartsWith(own.AsSpan(0, parent), StringComparison.Ordinal) && (topic.Length == parent || topic[parent] == '/'))
                return true;
        }
        return false;
    }
}
