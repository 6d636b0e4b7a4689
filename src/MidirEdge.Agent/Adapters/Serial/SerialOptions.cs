using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
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
    [Required(ErrorMessage = "must name the serial port (e.g. /dev/ttyUSB0 or COM3).")]
    public string Port { get; set; } = "";

    /// <summary>The loaded serial section of <see cref="CaptureAdapterOptions.Profile"/>: line settings and framing.</summary>
    // A field: the .NET 10 binding generator also walks internal properties' types and emits binding that
    // cannot compile for the profile's records with required members, although it never binds them.
    internal SerialProfile? Device;

    /// <summary>First reconnect delay after the port fails or vanishes; doubles up to <see cref="ReconnectMaxDelay"/>.</summary>
    [Positive]
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    internal override void ApplyProfile(DeviceProfile profile) => Device = SerialProfile.From(profile);
}

/// <summary>Checks each <see cref="SerialOptions"/> field against its annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class SerialOptionsFields : IValidateOptions<SerialOptions>;

/// <summary>Checks <see cref="SerialOptions"/>: its fields, a profile (which other kinds may leave out), and the reconnect delays.</summary>
internal sealed class SerialOptionsValidator : SettingsValidator<SerialOptions, SerialOptionsFields>
{
    protected override string Section(SerialOptions options) => options.Section;

    protected override void CheckRules(SerialOptions o, string section, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(o.Profile)) failures.Add($"{section}:Profile must name a serial device profile.");
        if (o.ReconnectMaxDelay < o.ReconnectMinDelay) failures.Add($"{section}:ReconnectMaxDelay must not be shorter than ReconnectMinDelay (got {o.ReconnectMaxDelay}).");
    }
}

/// <summary>Registers the serial adapter kind.</summary>
internal static class SerialAdapterRegistration
{
    /// <summary>Adds kind <c>serial</c>, its validator, and the compatibility section <c>MidirEdge:Adapters:Serial</c> (on once <c>Port</c> is set).</summary>
    public static IServiceCollection AddSerialAdapter(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SerialOptions>, SerialOptionsValidator>());
        return services.AddCaptureAdapter<SerialAdapter, SerialOptions>(SerialOptions.AdapterKind, "Serial", nameof(SerialOptions.Port),
            (section, options) => section.Bind(options));
    }
}
