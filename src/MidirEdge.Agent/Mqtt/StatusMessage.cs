using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent.Mqtt;

/// <summary>Version 1 of the retained status payload (see docs/mqtt-payload.md).</summary>
public sealed record StatusMessage
{
    /// <summary>Schema identifier of this payload version.</summary>
    public const string SchemaV1 = "midir-edge/status/1";

    /// <summary>Schema identifier.</summary>
    public string Schema { get; init; } = SchemaV1;

    /// <summary><c>online</c>, <c>offline</c> (a clean stop) or <c>lost</c> (the last will: the connection died).</summary>
    public required string State { get; init; }

    /// <summary>Agent version.</summary>
    public required string Version { get; init; }

    /// <summary>Site name.</summary>
    public required string Site { get; init; }

    /// <summary>Instrument name.</summary>
    public required string Instrument { get; init; }

    /// <summary>When this status was produced (UTC).</summary>
    public required DateTimeOffset TimestampUtc { get; init; }

    /// <summary>Loaded models.</summary>
    public IReadOnlyList<ModelInfo> Models { get; init; } = [];

    /// <summary>Names of the input adapters that are running.</summary>
    public IReadOnlyList<string> Adapters { get; init; } = [];

    /// <summary>Every configured input adapter with its kind and state (added within version 1); empty when offline.</summary>
    public IReadOnlyList<AdapterReport> AdapterStates { get; init; } = [];

    /// <summary>The agent's connection count since it started (added within version 1): a newer status has a higher one within a run.</summary>
    public long Sequence { get; init; }

    /// <summary>Messages waiting in the outbox when the status was produced (added within version 1).</summary>
    public int OutboxDepth { get; init; }

    /// <summary>When the broker last acknowledged a result of this agent, if it has since the start (added within version 1).</summary>
    public DateTimeOffset? LastResultUtc { get; init; }

    /// <summary>Desired bundles (<c>id@version</c>) the agent cannot activate because it does not hold them (added within version 1).</summary>
    public IReadOnlyList<string> MissingBundles { get; init; } = [];
}

/// <summary>Version 1 of the optional spectrum payload (see docs/mqtt-payload.md).</summary>
public sealed record SpectrumMessage
{
    /// <summary>Schema identifier of this payload version.</summary>
    public const string SchemaV1 = "midir-edge/spectrum/1";

    /// <summary>Schema identifier.</summary>
    public string Schema { get; init; } = SchemaV1;

    /// <summary>Spectrum hash; equals <see cref="ResultMessage.SpectrumHash"/> of its results.</summary>
    public required string Id { get; init; }

    /// <summary>Sample name, if any.</summary>
    public string? SampleName { get; init; }

    /// <summary>Acquisition time (UTC), if known.</summary>
    public DateTimeOffset? AcquiredUtc { get; init; }

    /// <summary>Unit of <see cref="X"/>.</summary>
    public required string XUnit { get; init; }

    /// <summary>What <see cref="Y"/> holds (absorbance, reflectance, ...).</summary>
    public required string YKind { get; init; }

    /// <summary>Abscissa values.</summary>
    public required IReadOnlyList<double> X { get; init; }

    /// <summary>Ordinate values.</summary>
    public required IReadOnlyList<double> Y { get; init; }
}
