using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Capturing;

/// <summary>Settings of capturing: the queue between the adapters and processing, and how failed adapters are restarted (section <c>MidirEdge:Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "MidirEdge:Pipeline";

    /// <summary>Captures waiting between the adapters and processing; adapters wait when it is full.</summary>
    [SettingRange(1, 100_000)]
    public int Capacity { get; set; } = 64;

    /// <summary>Delay before an adapter that failed is started again; it grows exponentially (with jitter) while the adapter keeps failing.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan AdapterRestartMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay before an adapter that keeps failing is started again.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan AdapterRestartMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failures in a row after which an adapter counts as faulted (the agent reports itself unhealthy); it is still restarted.</summary>
    [SettingRange(1, 1000)]
    public int AdapterFaultedAfter { get; set; } = 3;
}

/// <summary>Checks each <see cref="PipelineOptions"/> field against its annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class PipelineOptionsFields : IValidateOptions<PipelineOptions>;

/// <summary>Checks <see cref="PipelineOptions"/>: its fields, and that the longest restart delay is not below the first.</summary>
internal sealed class PipelineOptionsValidator : SettingsValidator<PipelineOptions, PipelineOptionsFields>
{
    protected override string Section(PipelineOptions options) => PipelineOptions.SectionName;

    protected override void CheckRules(PipelineOptions options, string section, List<string> failures)
    {
        if (options.AdapterRestartMaxDelay < options.AdapterRestartMinDelay)
            failures.Add($"{section}:AdapterRestartMaxDelay must not be shorter than AdapterRestartMinDelay (got {options.AdapterRestartMaxDelay}).");
    }
}
