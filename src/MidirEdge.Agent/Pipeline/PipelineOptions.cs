using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Pipeline;

/// <summary>Settings of the capture pipeline (section <c>MidirEdge:Pipeline</c>).</summary>
public sealed class PipelineOptions : IValidateOptions<PipelineOptions>
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "MidirEdge:Pipeline";

    /// <summary>Captures waiting between the adapters and processing; adapters wait when it is full.</summary>
    public int Capacity { get; set; } = 64;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PipelineOptions options) =>
        options.Capacity is >= 1 and <= 100_000
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{SectionName}:Capacity must be between 1 and 100000 (got {options.Capacity}).");
}
