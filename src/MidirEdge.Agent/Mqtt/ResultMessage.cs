using System.Security.Cryptography;
using System.Text;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Prediction;

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

/// <summary>One predicted property.</summary>
/// <param name="Target">Property name, e.g. <c>C</c> or <c>pH</c>.</param>
/// <param name="Value">Predicted value in <paramref name="Unit"/>.</param>
/// <param name="Unit">Unit of the value, e.g. <c>g/kg</c>.</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="InDomain">Whether the spectrum lies inside the model's applicability domain.</param>
/// <param name="T2">Hotelling's T² of the spectrum in the model's score space, if the model has one.</param>
/// <param name="Q">Q residual (squared prediction error) of the spectrum, if the model has one.</param>
public sealed record Prediction(string Target, double Value, string? Unit, string Model, string Version, bool InDomain, double? T2, double? Q)
{
    /// <summary>Conformal prediction interval, when the model has one and the spectrum is not too far outside its domain.</summary>
    public ResultInterval? Interval { get; init; }

    /// <summary><c>indicative</c> for a weak model; written when the bundle declares a quality or its statistics show it weak.</summary>
    public PredictionQuality? Quality { get; init; }

    /// <summary>
    /// The payload entry of a bundle's prediction. A bundle that declares neither an interval nor a quality and whose
    /// statistics meet the skill thresholds (any bundle built before intervals) gives exactly the entry it gave before.
    /// </summary>
    public static Prediction From(TargetPrediction prediction, ModelBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(bundle);
        var declared = bundle.Manifest.Models.First(m => m.Targets.Contains(prediction.Target)).Quality is not null;
        return new Prediction(prediction.Target, prediction.Value, prediction.Unit, prediction.Model, prediction.Version, prediction.InDomain,
            prediction.Domain.T2, prediction.Domain.Q)
        {
            Interval = prediction.Interval is { } i ? new ResultInterval(i.Lower, i.Upper, i.Level) : null,
            Quality = declared || prediction.Quality == PredictionQuality.Indicative ? prediction.Quality : null,
        };
    }
}

/// <summary>A prediction interval in the prediction's unit.</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="Level">Nominal coverage, e.g. 0.9.</param>
public sealed record ResultInterval(double Lower, double Upper, double Level);

/// <summary>Quality-control verdict carried in a result.</summary>
/// <param name="Passed">Whether the spectrum passed every check.</param>
/// <param name="Flags">Names of the checks that failed or warned; empty when clean.</param>
public sealed record QcSummary(bool Passed, IReadOnlyList<string> Flags);

/// <summary>Computes the content hash of a spectrum.</summary>
public static class SpectrumHash
{
    /// <summary>Lower-case hex of the first 16 bytes of SHA-256 over the x and y values (little-endian doubles).</summary>
    public static string Compute(MidirEdge.Spectra.Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(spectrum.X.AsSpan()));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(spectrum.Y.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset().AsSpan(0, 16));
    }
}
