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
    public int Port { get; set; } = 1883;

    /// <summary>Result topic template; <c>{site}</c> and <c>{instrument}</c> are substituted.</summary>
    public string Topic { get; set; } = "midir/{site}/{instrument}/result";

    /// <summary>Retained status topic template.</summary>
    public string StatusTopic { get; set; } = "midir/{site}/{instrument}/status";

    /// <summary>Spectrum topic template, used when <see cref="PublishSpectra"/> is on.</summary>
    public string SpectrumTopic { get; set; } = "midir/{site}/{instrument}/spectrum";

    /// <summary>Topic template of the messages about captures that gave no result (quarantined files, rejected serial frames).</summary>
    public string RejectedTopic { get; set; } = "midir/{site}/{instrument}/rejected";

    /// <summary>Whether each spectrum is published before its result.</summary>
    public bool PublishSpectra { get; set; }

    /// <summary>Client id; empty means <c>midir-edge-{site}-{instrument}</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Quality of service for results and status: 1 (default) or 2.</summary>
    public int Qos { get; set; } = 1;

    /// <summary>How long the broker keeps the session after a disconnect, in seconds (persistent session).</summary>
    public uint SessionExpirySeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>MQTT keep-alive period in seconds.</summary>
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>User name at an external broker, or empty for anonymous.</summary>
    public string Username { get; set; } = "";

    /// <summary>Password used with <see cref="Username"/>.</summary>
    public string Password { get; set; } = "";

    /// <summary>Whether to connect to an external broker with TLS.</summary>
    public bool UseTls { get; set; }

    /// <summary>PEM file with the CA certificate(s) that must sign the broker's certificate; empty uses the system store.</summary>
    public string CaFile { get; set; } = "";

    /// <summary>Client certificate: a PEM certificate (with <see cref="ClientKeyFile"/>) or a PKCS#12 file.</summary>
    public string ClientCertificateFile { get; set; } = "";

    /// <summary>PEM private key of the client certificate; empty when the certificate file is PKCS#12.</summary>
    public string ClientKeyFile { get; set; } = "";

    /// <summary>Password of a PKCS#12 client certificate.</summary>
    public string ClientCertificatePassword { get; set; } = "";

    /// <summary>First reconnect delay; doubles after each failure up to <see cref="ReconnectMaxDelay"/>.</summary>
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

/// <summary>Validates <see cref="MqttOptions"/> with messages that name the offending key.</summary>
internal sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttOptions o)
    {
        var failures = new List<string>();
        if (o.Port is < 1 or > 65535)
            failures.Add($"MidirEdge:Mqtt:Port must be between 1 and 65535 (got {o.Port}).");
        CheckTopic(o.Topic, "MidirEdge:Mqtt:Topic", failures);
        CheckTopic(o.StatusTopic, "MidirEdge:Mqtt:StatusTopic", failures);
        CheckTopic(o.SpectrumTopic, "MidirEdge:Mqtt:SpectrumTopic", failures);
        CheckTopic(o.RejectedTopic, "MidirEdge:Mqtt:RejectedTopic", failures);
        if (o.Qos is not (1 or 2))
            failures.Add($"MidirEdge:Mqtt:Qos must be 1 or 2 because results leave the outbox only when acknowledged (got {o.Qos}).");
        if (o.KeepAliveSeconds is < 1 or > 65535)
            failures.Add($"MidirEdge:Mqtt:KeepAliveSeconds must be between 1 and 65535 (got {o.KeepAliveSeconds}).");
        if (o.ReconnectMinDelay <= TimeSpan.Zero)
            failures.Add($"MidirEdge:Mqtt:ReconnectMinDelay must be positive (got {o.ReconnectMinDelay}).");
        if (o.ReconnectMaxDelay < o.ReconnectMinDelay)
            failures.Add($"MidirEdge:Mqtt:ReconnectMaxDelay must not be shorter than ReconnectMinDelay (got {o.ReconnectMaxDelay}).");
        if (string.IsNullOrEmpty(o.Username) && !string.IsNullOrEmpty(o.Password))
            failures.Add("MidirEdge:Mqtt:Password is set but MidirEdge:Mqtt:Username is empty.");
        CheckFile(o.CaFile, "MidirEdge:Mqtt:CaFile", failures);
        CheckFile(o.ClientCertificateFile, "MidirEdge:Mqtt:ClientCertificateFile", failures);
        CheckFile(o.ClientKeyFile, "MidirEdge:Mqtt:ClientKeyFile", failures);
        if (!o.UseTls && (o.CaFile.Length > 0 || o.ClientCertificateFile.Length > 0))
            failures.Add("MidirEdge:Mqtt:CaFile or ClientCertificateFile is set but MidirEdge:Mqtt:UseTls is false.");
        if (o.ClientKeyFile.Length > 0 && o.ClientCertificateFile.Length == 0)
            failures.Add("MidirEdge:Mqtt:ClientKeyFile is set but MidirEdge:Mqtt:ClientCertificateFile is empty.");
        if (o.UsesEmbeddedBroker)
            ValidateEmbedded(o, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateEmbedded(MqttOptions o, List<string> failures)
    {
        if (o.EmbeddedWebSocketPort is < 0 or > 65535)
            failures.Add($"MidirEdge:Mqtt:EmbeddedWebSocketPort must be between 0 (off) and 65535 (got {o.EmbeddedWebSocketPort}).");
        else if (o.EmbeddedWebSocketPort == o.Port)
            failures.Add($"MidirEdge:Mqtt:EmbeddedWebSocketPort must differ from MidirEdge:Mqtt:Port (both {o.Port}).");
        if (!IPAddress.TryParse(o.EmbeddedBindAddress, out _))
            failures.Add($"MidirEdge:Mqtt:EmbeddedBindAddress must be an IP address (got '{o.EmbeddedBindAddress}').");
        if (o.EmbeddedPassword.Length > 0 && o.EmbeddedUsername.Length == 0)
            failures.Add("MidirEdge:Mqtt:EmbeddedPassword is set but MidirEdge:Mqtt:EmbeddedUsername is empty.");
        if (o.EmbeddedUsername.Length > 0 && o.EmbeddedPassword.Length == 0)
            failures.Add("MidirEdge:Mqtt:EmbeddedUsername is set but MidirEdge:Mqtt:EmbeddedPassword is empty, which would let clients in on the name alone.");
        var before = failures.Count;
        CheckFile(o.EmbeddedCertificateFile, "MidirEdge:Mqtt:EmbeddedCertificateFile", failures);
        CheckFile(o.EmbeddedKeyFile, "MidirEdge:Mqtt:EmbeddedKeyFile", failures);
        if (o.EmbeddedKeyFile.Length > 0 && o.EmbeddedCertificateFile.Length == 0)
            failures.Add("MidirEdge:Mqtt:EmbeddedKeyFile is set but MidirEdge:Mqtt:EmbeddedCertificateFile is empty.");
        if (failures.Count == before && o.EmbeddedCertificateFile.Length > 0)
            CheckCertificate(o, failures);
    }

    /// <summary>Loads the embedded broker's certificate as the broker will, so a bad one stops the start rather than every TLS handshake.</summary>
    private static void CheckCertificate(MqttOptions o, List<string> failures)
    {
        var with = o.EmbeddedKeyFile.Length > 0 ? "with MidirEdge:Mqtt:EmbeddedKeyFile" : "as PKCS#12 with MidirEdge:Mqtt:EmbeddedCertificatePassword";
        try
        {
            using var certificate = CertificateFiles.Load(o.EmbeddedCertificateFile, o.EmbeddedKeyFile, o.EmbeddedCertificatePassword);
            if (!certificate.HasPrivateKey)
                failures.Add($"MidirEdge:Mqtt:EmbeddedCertificateFile '{o.EmbeddedCertificateFile}' holds no private key.");
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            failures.Add($"MidirEdge:Mqtt:EmbeddedCertificateFile '{o.EmbeddedCertificateFile}' could not be loaded {with}: {ex.Message.Trim()}");
        }
    }

    private static void CheckTopic(string topic, string key, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(topic))
            failures.Add($"{key} must not be empty.");
        else if (topic.AsSpan().IndexOfAny("+#\0") >= 0)
            failures.Add($"{key} must not contain the wildcards '+' or '#' (got '{topic}').");
    }

    private static void CheckFile(string path, string key, List<string> failures)
    {
        if (path.Length > 0 && !File.Exists(path))
            failures.Add($"{key} names a file that does not exist: '{path}'.");
    }
}
