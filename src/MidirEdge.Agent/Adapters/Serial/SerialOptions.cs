using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Profiles;

namespace MidirEdge.Agent.Adapters.Serial;

/// <summary>Serial-port capture settings of one adapter instance, bound from <c>MidirEdge:Adapters:NAME</c> with <c>Kind</c> <c>serial</c>; the device profile says how to talk.</summary>
public sealed class SerialOptions : CaptureAdapterOptions
{
    /// <summary>The adapter kind.</summary>
    public const string AdapterKind = "serial";

    /// <summary>The compatibility section of a single serial adapter (no <c>Kind</c>; named by its <c>Name</c>, <c>serial</c> by default).</summary>
    public const string SectionName = "MidirEdge:Adapters:Serial";

    /// <summary>Creates the options with the compatibility section's defaults.</summary>
    public SerialOptions() : base(SectionName) => Name = "serial";

    /// <summary>Port name: <c>COM3</c>, <c>/dev/ttyUSB0</c>, <c>/dev/serial/by-id/…</c>.</summary>
    public string Port { get; set; } = "";

    /// <summary>The loaded serial section of <see cref="CaptureAdapterOptions.Profile"/>: line settings and framing.</summary>
    internal SerialProfile? Device { get; set; }

    /// <summary>First reconnect delay after the port fails or vanishes; doubles up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    internal override void ApplyProfile(DeviceProfile profile) =>
        Device = profile.Serial ?? throw new DeviceProfileException(profile.File, "adapter", "is not a serial profile");
}

/// <summary>Validates <see cref="SerialOptions"/> with messages that name the offending key.</summary>
internal sealed class SerialOptionsValidator : IValidateOptions<SerialOptions>
{
    public ValidateOptionsResult Validate(string? name, SerialOptions o)
    {
        var key = o.Section;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Name)) failures.Add($"{key}:Name must not be empty.");
        if (string.IsNullOrWhiteSpace(o.Port)) failures.Add($"{key}:Port must name the serial port (e.g. /dev/ttyUSB0 or COM3).");
        if (string.IsNullOrWhiteSpace(o.Profile)) failures.Add($"{key}:Profile must name a serial device profile.");
        if (o.ReconnectMinDelay <= TimeSpan.Zero) failures.Add($"{key}:ReconnectMinDelay must be positive (got {o.ReconnectMinDelay}).");
        if (o.ReconnectMaxDelay < o.ReconnectMinDelay) failures.Add($"{key}:ReconnectMaxDelay must not be shorter than ReconnectMinDelay (got {o.ReconnectMaxDelay}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Registers the serial adapter kind.</summary>
internal static class SerialAdapterRegistration
{
    /// <summary>Adds kind <c>serial</c>, its validator, and the compatibility section <c>MidirEdge:Adapters:Serial</c> (on once <c>Port</c> is set).</summary>
    public static IServiceCollection AddSerialAdapter(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SerialOptions>, SerialOptionsValidator>());
        return services.AddCaptureAdapter<SerialAdapter, SerialOptions>(SerialOptions.AdapterKind, "Serial", nameof(SerialOptions.Port));
    }
}
