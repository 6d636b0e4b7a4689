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
    public string Url { get; set; } = "http://127.0.0.1:9464";

    /// <summary>Outbox depth above which the agent reports itself unhealthy (results are not leaving).</summary>
    public int MaxOutboxDepth { get; set; } = 10_000;

    /// <summary>How long the oldest message may wait in the outbox before the agent reports itself unhealthy (results are late).</summary>
    public TimeSpan MaxOutboxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the pipeline may work on one capture or commit before the agent counts as hung (not alive; the systemd watchdog is no longer fed).</summary>
    public TimeSpan MaxStall { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the MQTT publisher may stay disconnected before the agent reports itself unhealthy.</summary>
    public TimeSpan MaxDisconnected { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the outbox depth and connection state are sampled.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Validates <see cref="HealthOptions"/> with messages that name the offending key.</summary>
internal sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions o)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(o.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/")
            failures.Add($"MidirEdge:Health:Url must be an http URL with a host and port and no path, e.g. http://127.0.0.1:9464 (got '{o.Url}').");
        if (o.MaxOutboxDepth < 1)
            failures.Add($"MidirEdge:Health:MaxOutboxDepth must be at least 1 (got {o.MaxOutboxDepth}).");
        if (o.MaxOutboxAge <= TimeSpan.Zero)
            failures.Add($"MidirEdge:Health:MaxOutboxAge must be positive (got {o.MaxOutboxAge}).");
        if (o.MaxStall <= TimeSpan.Zero)
            failures.Add($"MidirEdge:Health:MaxStall must be positive (got {o.MaxStall}).");
        if (o.MaxDisconnected < TimeSpan.Zero)
            failures.Add($"MidirEdge:Health:MaxDisconnected must not be negative (got {o.MaxDisconnected}).");
        if (o.SampleInterval <= TimeSpan.Zero)
            failures.Add($"MidirEdge:Health:SampleInterval must be positive (got {o.SampleInterval}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
