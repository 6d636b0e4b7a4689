namespace MidirEdge.Agent.Mqtt;

/// <summary>
/// A part of the agent that receives messages on the agent's own connection (the fleet's commands and desired models):
/// <see cref="MqttPublisher"/> subscribes to its filters on every connect and hands it each matching message.
/// </summary>
public interface IMqttListener
{
    /// <summary>Topic filters to subscribe to at QoS 1 on every connect.</summary>
    IReadOnlyList<string> TopicFilters { get; }

    /// <summary>Takes one message; returns quickly (longer work is queued), as the connection waits for it.</summary>
    void OnMessage(ListenedMessage message, IMqttLink link);
}

/// <summary>A message received for an <see cref="IMqttListener"/>, copied out of the client's buffers.</summary>
/// <param name="Topic">Topic it was published on.</param>
/// <param name="Payload">Its payload.</param>
/// <param name="Retained">Whether the broker sent it as the topic's retained message.</param>
/// <param name="ResponseTopic">MQTT 5 response topic, if the sender expects an answer.</param>
/// <param name="CorrelationData">MQTT 5 correlation data to send back with the answer.</param>
public sealed record ListenedMessage(string Topic, byte[] Payload, bool Retained, string? ResponseTopic, byte[]? CorrelationData);

/// <summary>The agent's connection, as an <see cref="IMqttListener"/> answers through it.</summary>
public interface IMqttLink
{
    /// <summary>Publishes an answer (not retained, QoS 1) on <paramref name="topic"/> with the request's correlation data; throws when the broker refuses it.</summary>
    Task ReplyAsync(string topic, byte[] payload, byte[]? correlationData, CancellationToken cancellationToken);

    /// <summary>Publishes the retained status again, as soon as the connection allows.</summary>
    void RepublishStatus();
}
