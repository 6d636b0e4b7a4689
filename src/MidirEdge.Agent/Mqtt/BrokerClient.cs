using MQTTnet;

namespace MidirEdge.Agent.Mqtt;

/// <summary>Client options for tools that talk to the agents' broker (<c>midir-edge fleet</c>), with the same TLS and credential settings as the agent.</summary>
public static class BrokerClient
{
    /// <summary>MQTT 5, clean start, no last will; <see cref="MqttOptions.Host"/>, <see cref="MqttOptions.Port"/>, credentials and TLS as configured.</summary>
    public static MqttClientOptions Options(MqttOptions options, string clientId)
    {
        ArgumentNullException.ThrowIfNull(options);
        return MqttConnection.Probe(options, clientId, TimeSpan.FromSeconds(10));
    }
}
