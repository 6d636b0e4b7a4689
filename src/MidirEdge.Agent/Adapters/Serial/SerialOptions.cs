using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Adapters.Serial;

/// <summary>Serial-port capture settings bound from <c>MidirEdge:Adapters:Serial</c>; the device profile says how to talk.</summary>
public sealed class SerialOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MidirEdge:Adapters:Serial";

    /// <summary>Adapter instance name, copied into each capture.</summary>
    public string Name { get; set; } = "serial";

    /// <summary>Port name: <c>COM3</c>, <c>/dev/ttyUSB0</c>, <c>/dev/serial/by-id/…</c>.</summary>
    public string Port { get; set; } = "";

    /// <summary>Device profile: a file path, or a profile name in the <c>device-profiles</c> folder.</summary>
    public string Profile { get; set; } = "";

    /// <summary>First reconnect delay after the port fails or vanishes; doubles up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Validates <see cref="SerialOptions"/> with messages that name the offending key.</summary>
internal sealed class SerialOptionsValidator : IValidateOptions<SerialOptions>
{
    private const string Key = SerialOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SerialOptions o)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Name)) failures.Add($"{Key}:Name must not be empty.");
        if (string.IsNullOrWhiteSpace(o.Port)) failures.Add($"{Key}:Port must name the serial port (e.g. /dev/ttyUSB0 or COM3).");
        if (string.IsNullOrWhiteSpace(o.Profile)) failures.Add($"{Key}:Profile must name a serial device profile.");
        if (o.ReconnectMinDelay <= TimeSpan.Zero) failures.Add($"{Key}:ReconnectMinDelay must be positive (got {o.ReconnectMinDelay}).");
        if (o.ReconnectMaxDelay < o.ReconnectMinDelay) failures.Add($"{Key}:ReconnectMaxDelay must not be shorter than ReconnectMinDelay (got {o.ReconnectMaxDelay}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
