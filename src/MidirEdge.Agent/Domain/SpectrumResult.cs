using System.Security.Cryptography;
using System.Text;

namespace MidirEdge.Agent.Domain;

/// <summary>What the agent concluded about one spectrum: its quality and the predictions of every model that could run.</summary>
public sealed record SpectrumResult
{
    /// <summary>Stable id: the same spectrum through the same model versions always gets the same id.</summary>
    public required string Id { get; init; }

    /// <summary>Hash of the spectrum the predictions were made from.</summary>
    public required string SpectrumHash { get; init; }

    /// <summary>
    /// SHA-256 of the bytes the spectrum was read from (the file, or the serial frame); empty when unknown. Cached with the
    /// spectrum, so a later capture of the same bytes is known as a duplicate before it is read.
    /// </summary>
    public string CaptureHash { get; init; } = "";

    /// <summary>Sample name from the instrument file, if any.</summary>
    public string? SampleName { get; init; }

    /// <summary>Acquisition time (UTC), if the file records it.</summary>
    public DateTimeOffset? AcquiredUtc { get; init; }

    /// <summary>Quality-control verdict on the spectrum.</summary>
    public required QcSummary Qc { get; init; }

    /// <summary>One entry per predicted property.</summary>
    public required IReadOnlyList<Prediction> Predictions { get; init; }

    /// <summary>When processing finished (UTC).</summary>
    public required DateTimeOffset ProcessedUtc { get; init; }

    /// <summary>Time from reading the file to the finished predictions, in milliseconds.</summary>
    public required double ProcessingMs { get; init; }

    /// <summary>Builds the stable id from the spectrum hash and the model names and versions (order-independent).</summary>
    public static string CreateId(string spectrumHash, IEnumerable<Prediction> predictions)
    {
        ArgumentException.ThrowIfNullOrEmpty(spectrumHash);
        ArgumentNullException.ThrowIfNull(predictions);
        var models = predictions.Select(p => $"{p.Model}@{p.Version}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var text = spectrumHash + "\n" + string.Join("\n", models);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }
}
