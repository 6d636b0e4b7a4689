using System.Collections.Immutable;
using System.Text.Json;

namespace MidirEdge.Spectra.Preprocessing;

/// <summary>An ordered list of preprocessing steps, applied first to last; stored as JSON in model bundles.</summary>
public sealed record PreprocessingPipeline
{
    /// <summary>JSON settings for pipelines and steps: camelCase names, enums as text, unknown members rejected.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        AllowOutOfOrderMetadataProperties = true,
        TypeInfoResolver = PreprocessingJsonContext.Default,
    };

    /// <summary>Creates the pipeline.</summary>
    public PreprocessingPipeline(ImmutableArray<PreprocessingStep> steps)
    {
        if (steps.IsDefault) throw new ArgumentNullException(nameof(steps));
        foreach (var step in steps) ArgumentNullException.ThrowIfNull(step, nameof(steps));
        Steps = steps;
    }

    /// <summary>The steps, in order.</summary>
    public ImmutableArray<PreprocessingStep> Steps { get; }

    /// <summary>Runs every step on the spectrum in turn.</summary>
    public Spectrum Apply(Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        foreach (var step in Steps) spectrum = step.Apply(spectrum);
        return spectrum;
    }

    /// <summary>The pipeline as JSON: <c>{"steps":[{"step":"savgol",...},...]}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a pipeline written by <see cref="ToJson"/>; throws <see cref="JsonException"/> or <see cref="ArgumentException"/> for bad content.</summary>
    public static PreprocessingPipeline FromJson(string json) =>
        JsonSerializer.Deserialize<PreprocessingPipeline>(json, JsonOptions) ?? throw new JsonException("the pipeline JSON is null.");
}
