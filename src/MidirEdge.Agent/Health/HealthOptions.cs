using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Health;

/// <summary>Health and metrics endpoint settings bound from <c>MidirEdge:Health</c>.</summary>
public sealed class HealthOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MidirEdge:Health";

    /// <summary>Whether the agent serves <c>/healthz</c>, <c>/readyz</c>, <c>/livez</c> and <c>/metrics</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the endpoint listens; loopback by default so nothing is exposed beyond the instrument PC. Port 0 picks a free port.</summary>
    [HttpRootUrl]
    public string Url { get; set; } = "http://127.0.0.1:9464";

    /// <summary>Outbox depth above which the agent reports itself unhealthy (results are not leaving).</summary>
    [Positive]
    public int MaxOutboxDepth { get; set; } = 10_000;

    /// <summary>How long the oldest message may wait in the outbox before the agent reports itself unhealthy (results are late).</summary>
    [Positive]
    public TimeSpan MaxOutboxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the pipeline may work on one capture or commit before the agent counts as hung (not alive; the systemd watchdog is no longer fed).</summary>
    [Positive]
    public TimeSpan MaxStall { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the MQTT publisher may stay disconnected before the agent reports itself unhealthy.</summary>
    [Positive(OrZero = true)]
    public TimeSpan MaxDisconnected { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the outbox depth and connection state are sampled.</summary>
    [Positive]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Checks each <see cref="HealthOptions"/> field against its annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class HealthOptionsFields : IValidateOptions<HealthOptions>;

/// <summary>Checks <see cref="HealthOptions"/>, naming each key under <c>MidirEdge:Health</c>.</summary>
internal sealed class HealthOptionsValidator : SettingsValidator<HealthOptions, HealthOptionsFields>
{
    protected override string Section(HealthOptions options) => HealthOptions.SectionName;
}

/// <summary>An http URL with a host and port and no path, where the endpoint listens.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class HttpRootUrlAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        Uri.TryCreate(value as string, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && url.AbsolutePath == "/";

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success
            : SettingRangeAttribute.Failure(validationContext, $"must be an http URL with a host and port and no path, e.g. http://127.0.0.1:9464 (got '{value}').");
}
