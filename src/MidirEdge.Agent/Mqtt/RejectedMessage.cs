using System.Text.Json.Serialization;
using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent.Mqtt;

/// <summary>Version 1 of the payload published on the rejected topic for each capture that gave no result (see docs/mqtt-payload.md).</summary>
public sealed record RejectedMessage
{
    /// <summary>Schema identifier of this payload version.</summary>
    public const string SchemaV1 = "midir-edge/rejected/1";

    /// <summary>Schema identifier; consumers switch on it.</summary>
    public string Schema { get; init; } = SchemaV1;

    /// <summary>Unique per rejection and the same on a redelivery; consumers de-duplicate on it.</summary>
    public required string Id { get; init; }

    /// <summary>Site name.</summary>
    public required string Site { get; init; }

    /// <summary>Instrument name.</summary>
    public required string Instrument { get; init; }

    /// <summary>Adapter instance that captured it.</summary>
    public required string Adapter { get; init; }

    /// <summary>File path or port name.</summary>
    public required string Source { get; init; }

    /// <summary><c>unreadable</c>, <c>qc</c> or <c>prediction</c>.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<RejectionKind>))]
    public required RejectionKind Kind { get; init; }

    /// <summary>Why, as written to the quarantine note.</summary>
    public required string Reason { get; init; }

    /// <summary>Names of the quality checks that failed or warned; empty when quality control did not run or found nothing.</summary>
    public required IReadOnlyList<QcFlag> QcFlags { get; init; }

    /// <summary>Hash of the spectrum, when it was read.</summary>
    public string? SpectrumHash { get; init; }

    /// <summary>Sample name, when the spectrum was read.</summary>
    public string? SampleName { get; init; }

    /// <summary>When the capture was rejected (UTC).</summary>
    public required DateTimeOffset RejectedUtc { get; init; }

    /// <summary>The v1 payload of <paramref name="rejection"/> at <paramref name="site"/>'s <paramref name="instrument"/>.</summary>
    public static RejectedMessage From(RejectedCapture rejection, string site, string instrument)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return new RejectedMessage
        {
            Id = rejection.Id,
            Site = site,
            Instrument = instrument,
            Adapter = rejection.Adapter,
            Source = rejection.Source,
            Kind = rejection.Kind,
            Reason = rejection.Reason,
            QcFlags = rejection.QcFlags,
            SpectrumHash = rejection.SpectrumHash,
            SampleName = rejection.SampleName,
            RejectedUtc = rejection.RejectedUtc,
        };
    }
}
