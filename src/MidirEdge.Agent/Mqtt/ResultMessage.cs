using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent.Mqtt;

/// <summary>Version 1 of the result payload published on the result topic (see docs/mqtt-payload.md).</summary>
public sealed record ResultMessage
{
    /// <summary>Schema identifier of this payload version.</summary>
    public const string SchemaV1 = "midir-edge/result/1";

    /// <summary>Schema identifier; consumers switch on it.</summary>
    public string Schema { get; init; } = SchemaV1;

    /// <summary>Stable message id: the same spectrum through the same model versions always gets the same id.</summary>
    public required string Id { get; init; }

    /// <summary>Hash of the spectrum the predictions were made from.</summary>
    public required string SpectrumHash { get; init; }

    /// <summary>Sample name from the instrument file, if any.</summary>
    public string? SampleName { get; init; }

    /// <summary>Acquisition time (UTC), if the file records it.</summary>
    public DateTimeOffset? AcquiredUtc { get; init; }

    /// <summary>Site name.</summary>
    public required string Site { get; init; }

    /// <summary>Instrument name.</summary>
    public required string Instrument { get; init; }

    /// <summary>Quality-control verdict on the spectrum.</summary>
    public required QcSummary Qc { get; init; }

    /// <summary>One entry per predicted property.</summary>
    public required IReadOnlyList<Prediction> Predictions { get; init; }

    /// <summary>When processing finished (UTC).</summary>
    public required DateTimeOffset ProcessedUtc { get; init; }

    /// <summary>Time from reading the file to the finished predictions, in milliseconds.</summary>
    public required double ProcessingMs { get; init; }

    /// <summary>The v1 payload of <paramref name="result"/> from <paramref name="site"/>'s <paramref name="instrument"/>.</summary>
    public static ResultMessage From(SpectrumResult result, string site, string instrument)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ResultMessage
        {
            Id = result.Id,
            SpectrumHash = result.SpectrumHash,
            SampleName = result.SampleName,
            AcquiredUtc = result.AcquiredUtc,
            Site = site,
            Instrument = instrument,
            Qc = result.Qc,
            Predictions = result.Predictions,
            ProcessedUtc = result.ProcessedUtc,
            ProcessingMs = result.ProcessingMs,
        };
    }
}
