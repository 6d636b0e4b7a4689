using System.Text.Json.Serialization;

namespace MidirEdge.Agent.Fleet;

/// <summary>The retained desired models of one instrument (<c>midir-edge/desired-models/1</c>, see docs/fleet.md).</summary>
public sealed record DesiredModels
{
    /// <summary>Schema identifier of this payload version.</summary>
    public const string SchemaV1 = "midir-edge/desired-models/1";

    /// <summary>Schema identifier.</summary>
    public string Schema { get; init; } = SchemaV1;

    /// <summary>Bundles that should be active; bundles of other ids are left alone.</summary>
    public IReadOnlyList<DesiredBundle> Bundles { get; init; } = [];
}

/// <summary>A bundle that should be active.</summary>
/// <param name="Id">Bundle id.</param>
/// <param name="Version">Bundle version.</param>
/// <param name="Sha256">SHA-256 of its manifest (as in the status's <c>models[].sha256</c>).</param>
public sealed record DesiredBundle(string Id, string Version, string Sha256);

/// <summary>An agent's answer to a command (<c>midir-edge/reply/1</c>), sent on the request's response topic with its correlation data.</summary>
public sealed record FleetReply
{
    /// <summary>Schema identifier of this payload version.</summary>
    public const string SchemaV1 = "midir-edge/reply/1";

    /// <summary>Schema identifier.</summary>
    public string Schema { get; init; } = SchemaV1;

    /// <summary>The command answered: <c>models/install</c>, <c>models/rollback</c> or <c>status</c>.</summary>
    public required string Command { get; init; }

    /// <summary><c>accepted</c> (taken; for an install, also: installed but a higher version stays active), <c>refused</c> or <c>active</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>Why it was refused, or why an installed bundle is not the active one.</summary>
    public string? Reason { get; init; }

    /// <summary>Site of the answering instrument.</summary>
    public required string Site { get; init; }

    /// <summary>The answering instrument.</summary>
    public required string Instrument { get; init; }

    /// <summary>Bundle id the command concerned.</summary>
    public string? Id { get; init; }

    /// <summary>The bundle version now active (or installed, when a higher one stays active).</summary>
    public string? Version { get; init; }

    /// <summary>SHA-256 of that bundle's manifest.</summary>
    public string? Sha256 { get; init; }
}

/// <summary>The payload of <c>…/cmd/models/rollback</c>.</summary>
/// <param name="Id">Bundle id to return to its previous version.</param>
public sealed record RollbackCommand(string Id);

/// <summary>Source-generated JSON metadata of the fleet payloads (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(DesiredModels))]
[JsonSerializable(typeof(FleetReply))]
[JsonSerializable(typeof(RollbackCommand))]
public sealed partial class FleetJson : JsonSerializerContext;
