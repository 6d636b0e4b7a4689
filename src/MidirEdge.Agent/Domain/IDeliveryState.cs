namespace MidirEdge.Agent.Domain;

/// <summary>Where results are delivered and whether that link is up, as health and the dashboard report it.</summary>
public interface IDeliveryState
{
    /// <summary>Broker host, or <c>embedded</c> for the agent's own broker.</summary>
    string BrokerHost { get; }

    /// <summary>Broker port.</summary>
    int BrokerPort { get; }

    /// <summary>Whether the publisher is connected to the broker.</summary>
    bool IsConnected { get; }
}
