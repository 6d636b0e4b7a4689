using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Capturing;

/// <summary>Settings of capturing: the queue between the adapters and processing, and how failed adapters are restarted (section <c>MidirEdge:Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "MidirEdge:Pipeline";

    /// <summary>Captures waiting between the adapters and processing; adapters wait when it is full.</summary>
    [Range(1, 100_000)]
    public int Capacity { get; set; } = 64;

    /// <summary>Delay before an adapter that failed is started again; it grows exponentially (with jitter) while the adapter keeps failing.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan AdapterRestartMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay before an adapter that keeps failing is started again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan AdapterRestartMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failures in a row after which an adapter counts as faulted (the agent reports itself unhealthy); it is still restarted.</summary>
    [Range(1, 1000)]
    public int AdapterFaultedAfter { get; set; } = 3;
}

/// <summary>Checks each <see cref="PipelineOptions"/> field against its range (source-generated from the annotations).</summary>
[OptionsValidator]
internal sealed partial class PipelineOptionsRanges : IValidateOptions<PipelineOptions>;

/// <summary>Names the key of each range failure: <c>MidirEdge:Pipeline:Capacity: The field … must be between 1 and 100000.</c></summary>
internal sealed class PipelineOptionsRangeValidator : IValidateOptions<PipelineOptions>
{
    private readonly PipelineOptionsRanges _ranges = new();

    public ValidateOptionsResult Validate(string? name, PipelineOptions options) => SectionFailures.Prefix(_ranges.Validate(name, options), PipelineOptions.SectionName);
}

/// <summary>Checks the rules between <see cref="PipelineOptions"/> fields.</summary>
internal sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options) =>
        options.AdapterRestartMaxDelay >= options.AdapterRestartMinDelay
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{PipelineOptions.SectionName}:AdapterRestartMaxDelay must not be shorter than AdapterRestartMinDelay (got {options.AdapterRestartMaxDelay}).");
}
