using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace MidirEdge.Agent.Domain;

/// <summary>Why the agent published no result for a capture.</summary>
public enum RejectionKind
{
    /// <summary>The file or serial frame could not be read as a spectrum (unknown format, corrupt, empty, a bad frame).</summary>
    [JsonStringEnumMemberName("unreadable")]
    Unreadable,
    /// <summary>The spectrum failed quality control.</summary>
    [JsonStringEnumMemberName("qc")]
    Qc,
    /// <summary>Preprocessing or a model failed on the spectrum's data.</summary>
    [JsonStringEnumMemberName("prediction")]
    Prediction,
}

/// <summary>A capture the pipeline rejected (a file it quarantined, a serial frame it dropped) and why.</summary>
public sealed record RejectedCapture
{
    /// <summary>Adapter instance that captured it.</summary>
    public required string Adapter { get; init; }

    /// <summary>File path or port name, as one line.</summary>
    public required string Source { get; init; }

    /// <summary>Which step rejected it.</summary>
    public required RejectionKind Kind { get; init; }

    /// <summary>Why, as written to the quarantine note, as one line.</summary>
    public required string Reason { get; init; }

    /// <summary>The quality checks that failed or warned; empty when quality control did not run or found nothing.</summary>
    public IReadOnlyList<QcFlag> QcFlags { get; init; } = [];

    /// <summary>Hash of the spectrum, once it was read.</summary>
    public string? SpectrumHash { get; init; }

    /// <summary>Sample name, once the spectrum was read.</summary>
    public string? SampleName { get; init; }

    /// <summary>When it was rejected.</summary>
    public required DateTimeOffset RejectedUtc { get; init; }

    /// <summary>Unique per rejection, the same on every redelivery: the first 16 bytes of SHA-256 over adapter, source, reason and time.</summary>
    public string Id
    {
        get
        {
            var text = string.Join('\n', Adapter, Source, Reason, RejectedUtc.UtcTicks.ToString(CultureInfo.InvariantCulture));
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
        }
    }
}
