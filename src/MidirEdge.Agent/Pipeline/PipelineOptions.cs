using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Pipeline;

/// <summary>Settings of the capture pipeline (section <c>MidirEdge:Pipeline</c>).</summary>
public sealed class PipelineOptions : IValidateOptions<PipelineOptions>
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "MidirEdge:Pipeline";

    /// <summary>Captures waiting between the adapters and processing; adapters wait when it is full.</summary>
    public int Capacity { get; set; } = 64;

    /// <summary>Delay before an adapter that failed is started again; it grows exponentially (with jitter) while the adapter keeps failing.</summary>
    public TimeSpan AdapterRestartMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay before an adapter that keeps failing is started again.</summary>
    public TimeSpan AdapterRestartMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failures in a row after which an adapter counts as faulted (the agent reports itself unhealthy); it is still restarted.</summary>
    public int AdapterFaultedAfter { get; set; } = 3;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PipelineOptions options) =>
        options.Capacity is >= 1 and <= 100_000
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{SectionName}:Capacity must be between 1 and 100000 (got {options.Capacity}).");
}
