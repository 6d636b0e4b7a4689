using Microsoft.Extensions.Options;
using MidirEdge.Agent.Adapters.FileWatch;
using MidirEdge.Agent.Adapters.Serial;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.ModelUpdates;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Qc;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests;

/// <summary>
/// Every options class's annotations and rules, through the validator the agent registers: each failure is one sentence
/// naming the full key and, for a value out of range, the value.
/// </summary>
public sealed class SettingsValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new("settings");

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    /// <summary>Ranges, positive durations and numbers, topic levels and names, and the embedded broker's rules.</summary>
    [Fact]
    public void Each_failure_names_its_key_and_the_value()
    {
        Assert.Equal(["MidirEdge:Mqtt:Port must be between 1 and 65535 (got 0).",
            "MidirEdge:Mqtt:Topic must not contain the wildcards '+' or '#' (got 'midir/#').",
            "MidirEdge:Mqtt:Qos must be between 1 and 2 because results leave the outbox only when acknowledged (got 0).",
            "MidirEdge:Mqtt:ReconnectMinDelay must be positive (got -00:00:01).",
            "MidirEdge:Mqtt:ReconnectMaxDelay must not be shorter than ReconnectMinDelay (got -00:00:02)."],
            Failures(new MqttOptionsValidator(), new MqttOptions { Port = 0, Topic = "midir/#", Qos = 0, ReconnectMinDelay = TimeSpan.FromSeconds(-1), ReconnectMaxDelay = TimeSpan.FromSeconds(-2) }));

        Assert.Equal(["MidirEdge:Site must not contain '/', '+', '#' or NUL because it becomes an MQTT topic level (got 'lab/a').",
            "MidirEdge:Instrument must not be empty.", "MidirEdge:DataDir must name a directory for the cache."],
            Failures(new MidirEdgeOptionsValidator(), new MidirEdgeOptions { Site = "lab/a", Instrument = " ", DataDir = "" }));

        Assert.Equal(["MidirEdge:Cache:FileName must be a plain file name (got 'a/b.db').", "MidirEdge:Cache:MinFreeMegabytes must be between 1 and 1048576 (got 0)."],
            Failures(new CacheOptionsValidator(), new CacheOptions { FileName = "a/b.db", MinFreeMegabytes = 0 }));

        Assert.Equal(["MidirEdge:Qc:MinRelativeSpread must be at least 0 and below 1 (got 1).", "MidirEdge:Qc:MaxNoise must be positive (got NaN)."],
            Failures(new QcOptionsValidator(), new QcOptions { MinRelativeSpread = 1, MaxNoise = double.NaN }));

        Assert.Equal(["MidirEdge:Health:Url must be an http URL with a host and port and no path, e.g. http://127.0.0.1:9464 (got 'http://127.0.0.1:9464/x').",
            "MidirEdge:Health:MaxDisconnected must not be negative (got -00:00:01)."],
            Failures(new HealthOptionsValidator(), new HealthOptions { Url = "http://127.0.0.1:9464/x", MaxDisconnected = TimeSpan.FromSeconds(-1) }));

        Assert.Equal(["MidirEdge:Pipeline:AdapterRestartMinDelay must be between 00:00:00.001 and 1.00:00:00 (got 00:00:00)."],
            Failures(new PipelineOptionsValidator(), new PipelineOptions { AdapterRestartMinDelay = TimeSpan.Zero }));
    }

    /// <summary>Lists of files, and the rule that a required signature needs a key.</summary>
    [Fact]
    public void Missing_files_are_named_and_rules_between_keys_hold()
    {
        var present = Path.Combine(_dir.Path, "key.pem");
        File.WriteAllText(present, "");
        var a = Path.Combine(_dir.Path, "a.pem");
        var b = Path.Combine(_dir.Path, "b.pem");

        Assert.Equal([$"MidirEdge:Models:TrustedKeys names files that do not exist: '{a}', '{b}'."],
            Failures(new ModelsOptionsValidator(), new ModelsOptions { TrustedKeys = [a, present, b] }));
        Assert.Equal(["MidirEdge:Models:RequireSignature is true but MidirEdge:Models:TrustedKeys lists no key."],
            Failures(new ModelsOptionsValidator(), new ModelsOptions { RequireSignature = true }));
        Assert.Equal([$"MidirEdge:Mqtt:CaFile names a file that does not exist: '{a}'."],
            Failures(new MqttOptionsValidator(), new MqttOptions { Host = "broker", UseTls = true, CaFile = a }));
    }

    /// <summary>The adapters' keys are under the section of their instance, inherited fields (Name) included.</summary>
    [Fact]
    public void Adapter_failures_name_the_instance_section()
    {
        Assert.Equal(["MidirEdge:Adapters:lab-a:Include must hold at least one glob (e.g. \"*.0\"), or a device profile must supply them.",
            "MidirEdge:Adapters:lab-a:StableFor must be positive (got 00:00:00).", "MidirEdge:Adapters:lab-a:Name must not be empty."],
            Failures(new FileWatchOptionsValidator(), new FileWatchOptions { Section = "MidirEdge:Adapters:lab-a", Name = "", Path = _dir.Path, StableFor = TimeSpan.Zero }));

        Assert.Equal(["MidirEdge:Adapters:Serial:Port must name the serial port (e.g. /dev/ttyUSB0 or COM3).",
            "MidirEdge:Adapters:Serial:Profile must name a serial device profile."],
            Failures(new SerialOptionsValidator(), new SerialOptions()));
    }

    private static IEnumerable<string> Failures<T>(IValidateOptions<T> validator, T options) where T : class =>
        validator.Validate(null, options).Failures ?? [];
}
