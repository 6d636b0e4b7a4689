using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Mqtt;

/// <summary>MQTT delivery settings bound from <c>MidirEdge:Mqtt</c>.</summary>
public sealed class MqttOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MidirEdge:Mqtt";

    /// <summary>Broker host; empty means the agent hosts its own broker on <see cref="EmbeddedBindAddress"/>:<see cref="Port"/>.</summary>
    public string Host { get; set; } = "";

    /// <summary>Broker port (and the embedded broker's port when <see cref="Host"/> is empty).</summary>
    [SettingRange(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Result topic template; <c>{site}</c> and <c>{instrument}</c> are substituted.</summary>
    [TopicName]
    public string Topic { get; set; } = "midir/{site}/{instrument}/result";

    /// <summary>Retained status topic template.</summary>
    [TopicName]
    public string StatusTopic { get; set; } = "midir/{site}/{instrument}/status";

    /// <summary>Spectrum topic template, used when <see cref="PublishSpectra"/> is on.</summary>
    [TopicName]
    public string SpectrumTopic { get; set; } = "midir/{site}/{instrument}/spectrum";

    /// <summary>Topic template of the messages about captures that gave no result (quarantined files, rejected serial frames).</summary>
    [TopicName]
    public string RejectedTopic { get; set; } = "midir/{site}/{instrument}/rejected";

    /// <summary>Whether each spectrum is published before its result.</summary>
    public bool PublishSpectra { get; set; }

    /// <summary>Client id; empty means <c>midir-edge-{site}-{instrument}</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Quality of service for results and status: 1 (default) or 2.</summary>
    [SettingRange(1, 2, Reason = "because results leave the outbox only when acknowledged")]
    public int Qos { get; set; } = 1;

    /// <summary>How long the broker keeps the session after a disconnect, in seconds (persistent session).</summary>
    public uint SessionExpirySeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>MQTT keep-alive period in seconds.</summary>
    [SettingRange(1, 65535)]
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>User name at an external broker, or empty for anonymous.</summary>
    public string Username { get; set; } = "";

    /// <summary>Password used with <see cref="Username"/>.</summary>
    public string Password { get; set; } = "";

    /// <summary>Whether to connect to an external broker with TLS.</summary>
    public bool UseTls { get; set; }

    /// <summary>PEM file with the CA certificate(s) that must sign the broker's certificate; empty uses the system store.</summary>
    [ExistingFile]
    public string CaFile { get; set; } = "";

    /// <summary>Client certificate: a PEM certificate (with <see cref="ClientKeyFile"/>) or a PKCS#12 file.</summary>
    [ExistingFile]
    public string ClientCertificateFile { get; set; } = "";

    /// <summary>PEM private key of the client certificate; empty when the certificate file is PKCS#12.</summary>
    [ExistingFile]
    public string ClientKeyFile { get; set; } = "";

    /// <summary>Password of a PKCS#12 client certificate.</summary>
    public string ClientCertificatePassword { get; set; } = "";

    /// <summary>First reconnect delay; doubles after each failure up to <see cref="ReconnectMaxDelay"/>.</summary>
    [Positive]
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Address the embedded broker listens on; loopback by default, so only this machine reaches it.</summary>
    public string EmbeddedBindAddress { get; set; } = "127.0.0.1";

    /// <summary>User name other clients of the embedded broker must present with <see cref="EmbeddedPassword"/>; empty lets anyone in to read.</summary>
    public string EmbeddedUsername { get; set; } = "";

    /// <summary>Password other clients of the embedded broker must present; empty lets anyone in to read.</summary>
    public string EmbeddedPassword { get; set; } = "";

    /// <summary>Certificate the embedded broker serves TLS with (and only TLS): PEM (with <see cref="EmbeddedKeyFile"/>) or PKCS#12.</summary>
    public string EmbeddedCertificateFile { get; set; } = "";

    /// <summary>PEM private key of <see cref="EmbeddedCertificateFile"/>; empty when that file is PKCS#12.</summary>
    public string EmbeddedKeyFile { get; set; } = "";

    /// <summary>Password of a PKCS#12 <see cref="EmbeddedCertificateFile"/>.</summary>
    public string EmbeddedCertificatePassword { get; set; } = "";

    /// <summary>Port on which the embedded broker also serves MQTT over WebSockets, at path <c>/mqtt</c> (for browser dashboards); 0, the default, leaves it off.</summary>
    public int EmbeddedWebSocketPort { get; set; }

    /// <summary>True when no external broker is configured and the agent hosts one.</summary>
    public bool UsesEmbeddedBroker => string.IsNullOrWhiteSpace(Host);
}

/// <summary>Checks each <see cref="MqttOptions"/> field against its annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class MqttOptionsFields : IValidateOptions<MqttOptions>;

/// <summary>Checks <see cref="MqttOptions"/>: its fields, then the rules between them (credentials, TLS files, the embedded broker's).</summary>
internal sealed class MqttOptionsValidator : SettingsValidator<MqttOptions, MqttOptionsFields>
{
    protected override string Section(MqttOptions options) => MqttOptions.SectionName;

    protected override void CheckRules(MqttOptions o, string section, List<string> failures)
    {
        if (o.ReconnectMaxDelay < o.ReconnectMinDelay)
            failures.Add($"{section}:ReconnectMaxDelay must not be shorter than ReconnectMinDelay (got {o.ReconnectMaxDelay}).");
        if (string.IsNullOrEmpty(o.Username) && !string.IsNullOrEmpty(o.Password))
            failures.Add($"{section}:Password is set but {section}:Username is empty.");
        if (!o.UseTls && (o.CaFile.Length > 0 || o.ClientCertificateFile.Length > 0))
            failures.Add($"{section}:CaFile or ClientCertificateFile is set but {section}:UseTls is false.");
        if (o.ClientKeyFile.Length > 0 && o.ClientCertificateFile.Length == 0)
            failures.Add($"{section}:ClientKeyFile is set but {section}:ClientCertificateFile is empty.");
        // The embedded broker's settings count only when it runs.
        if (o.UsesEmbeddedBroker)
            CheckEmbedded(o, section, failures);
    }

    private static void CheckEmbedded(MqttOptions o, string section, List<string> failures)
    {
        if (o.EmbeddedWebSocketPort is < 0 or > 65535)
            failures.Add($"{section}:EmbeddedWebSocketPort must be between 0 (off) and 65535 (got {o.EmbeddedWebSocketPort}).");
        else if (o.EmbeddedWebSocketPort != 0 && o.EmbeddedWebSocketPort == o.Port)
            failures.Add($"{section}:EmbeddedWebSocketPort must differ from {section}:Port (both {o.Port}).");
        if (!IPAddress.TryParse(o.EmbeddedBindAddress, out _))
            failures.Add($"{section}:EmbeddedBindAddress must be an IP address (got '{o.EmbeddedBindAddress}').");
        if (o.EmbeddedPassword.Length > 0 && o.EmbeddedUsername.Length == 0)
            failures.Add($"{section}:EmbeddedPassword is set but {section}:EmbeddedUsername is empty.");
        if (o.EmbeddedUsername.Length > 0 && o.EmbeddedPassword.Length == 0)
            failures.Add($"{section}:EmbeddedUsername is set but {section}:EmbeddedPassword is empty, which would let clients in on the name alone.");
        var before = failures.Count;
        CheckFile(o.EmbeddedCertificateFile, $"{section}:EmbeddedCertificateFile", failures);
        CheckFile(o.EmbeddedKeyFile, $"{section}:EmbeddedKeyFile", failures);
        if (o.EmbeddedKeyFile.Length > 0 && o.EmbeddedCertificateFile.Length == 0)
            failures.Add($"{section}:EmbeddedKeyFile is set but {section}:EmbeddedCertificateFile is empty.");
        if (failures.Count == before && o.EmbeddedCertificateFile.Length > 0)
            CheckCertificate(o, section, failures);
    }

    /// <summary>Loads the embedded broker's certificate as the broker will, so a bad one stops the start rather than every TLS handshake.</summary>
    private static void CheckCertificate(MqttOptions o, string section, List<string> failures)
    {
        var with = o.EmbeddedKeyFile.Length > 0 ? $"with {section}:EmbeddedKeyFile" : $"as PKCS#12 with {section}:EmbeddedCertificatePassword";
        try
        {
            using var certificate = CertificateFiles.Load(o.EmbeddedCertificateFile, o.EmbeddedKeyFile, o.EmbeddedCertificatePassword);
            if (!certificate.HasPrivateKey)
                failures.Add($"{section}:EmbeddedCertificateFile '{o.EmbeddedCertificateFile}' holds no private key.");
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            failures.Add($"{section}:EmbeddedCertificateFile '{o.EmbeddedCertificateFile}' could not be loaded {with}: {ex.Message.Trim()}");
        }
    }

    private static void CheckFile(string path, string key, List<string> failures)
    {
        if (path.Length > 0 && !File.Exists(path))
            failures.Add($"{key} names a file that does not exist: '{path}'.");
    }
}

/// <summary>An MQTT topic name (or template) the agent publishes on: not empty, and no wildcard <c>+</c> or <c>#</c> (nor NUL).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TopicNameAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => Problem(value as string) is null;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        Problem(value as string) is { } problem ? SettingRangeAttribute.Failure(validationContext, problem) : ValidationResult.Success;

    private static string? Problem(string? topic) =>
        string.IsNullOrWhiteSpace(topic) ? "must not be empty."
        : topic.AsSpan().IndexOfAny("+#\0") >= 0 ? $"must not contain the wildcards '+' or '#' (got '{topic}')."
        : null;
}
