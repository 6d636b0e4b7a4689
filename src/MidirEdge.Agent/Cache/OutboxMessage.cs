namespace MidirEdge.Agent.Cache;

/// <summary>A message waiting in the outbox for its broker acknowledgement.</summary>
/// <param name="Sequence">Position in the outbox; strictly increasing in enqueue order.</param>
/// <param name="Topic">MQTT topic to publish to.</param>
/// <param name="Payload">Message body.</param>
/// <param name="Retain">Whether the broker should retain the message.</param>
/// <param name="EnqueuedUtc">When the message entered the outbox.</param>
public sealed record OutboxMessage(long Sequence, string Topic, byte[] Payload, bool Retain, DateTimeOffset EnqueuedUtc);

/// <summary>A message to append to the outbox.</summary>
/// <param name="Topic">MQTT topic.</param>
/// <param name="Payload">Payload bytes.</param>
/// <param name="Retain">Whether the broker keeps it as the topic's retained message.</param>
public sealed record OutgoingMessage(string Topic, byte[] Payload, bool Retain = false);
