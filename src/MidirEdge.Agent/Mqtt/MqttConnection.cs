using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent.Mqtt;

/// <summary>Builds the MQTTnet client options (endpoint, session, last will, TLS, credentials) from configuration.</summary>
internal static class MqttConnection
{
    public static MqttClientOptions Build(MqttOptions options, MqttTopics topics, byte[] lastWill, AgentCredential credential)
    {
        var host = options.UsesEmbeddedBroker ? options.EmbeddedBindAddress : options.Host;
        if (options.UsesEmbeddedBroker)
            host = host switch { "0.0.0.0" => "127.0.0.1", "::" => "::1", _ => host };
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, options.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(topics.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(options.SessionExpirySeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(topics.Status)
            .WithWillPayload(lastWill)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillContentType("application/json");
        if (options.UsesEmbeddedBroker)
        {
            // Its own broker knows the agent by this run's secret, which reserves the client id and the topics for it.
            builder.WithCredentials(topics.ClientId, credential.Password);
            if (options.EmbeddedCertificateFile.Length > 0)
                builder.WithTlsOptions(tls => TrustEmbeddedCertificate(tls, options, host));
            return builder.Build();
        }
        if (options.Username.Length > 0)
            builder.WithCredentials(options.Username, options.Password);
        if (options.UseTls)
            builder.WithTlsOptions(tls => ConfigureTls(tls, options, host));
        return builder.Build();
    }

    /// <summary>
    /// Options for a one-off connection to the configured external broker under <paramref name="clientId"/>: the agent's
    /// endpoint, TLS and credentials, but a clean session and no will, so a running agent's session is left alone.
    /// </summary>
    public static MqttClientOptions Probe(MqttOptions options, string clientId, TimeSpan timeout)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(true)
            .WithTimeout(timeout);
        if (options.Username.Length > 0)
            builder.WithCredentials(options.Username, options.Password);
        if (options.UseTls)
            builder.WithTlsOptions(tls => ConfigureTls(tls, options, options.Host));
        return builder.Build();
    }

    public static byte[] Status(string state, MidirEdgeOptions agent, AgentStatus status, DateTimeOffset now, long sequence, int outboxDepth,
        DateTimeOffset? lastResult) =>
        JsonSerializer.SerializeToUtf8Bytes(new StatusMessage
        {
            State = state,
            Version = AgentStatus.Version,
            Site = agent.Site,
            Instrument = agent.Instrument,
            TimestampUtc = now,
            Models = state == "online" ? status.Models : [],
            Adapters = state == "online" ? status.Adapters : [],
            AdapterStates = state == "online" ? status.AdapterStates : [],
            Sequence = sequence,
            OutboxDepth = outboxDepth,
            LastResultUtc = lastResult,
            MissingBundles = state == "online" ? status.MissingBundles : [],
        }, DeliveryJson.Default.StatusMessage);

    private static void ConfigureTls(MqttClientTlsOptionsBuilder tls, MqttOptions options, string host)
    {
        tls.UseTls().WithTargetHost(host);
        if (options.CaFile.Length > 0)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(options.CaFile);
            tls.WithCertificateValidationHandler(e => IsTrusted(e.Certificate, e.SslPolicyErrors, roots));
        }
        if (options.ClientCertificateFile.Length > 0)
            tls.WithClientCertificates([CertificateFiles.Load(options.ClientCertificateFile, options.ClientKeyFile, options.ClientCertificatePassword)]);
    }

    /// <summary>The embedded broker serves the configured certificate: trust exactly that one, whoever signed it.</summary>
    private static void TrustEmbeddedCertificate(MqttClientTlsOptionsBuilder tls, MqttOptions options, string host)
    {
        byte[] pinned;
        using (var certificate = CertificateFiles.Load(options.EmbeddedCertificateFile, options.EmbeddedKeyFile, options.EmbeddedCertificatePassword))
            pinned = certificate.GetCertHash(HashAlgorithmName.SHA256);
        tls.UseTls().WithTargetHost(host).WithCertificateValidationHandler(e =>
            e.Certificate is not null && e.Certificate.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(pinned));
    }

    private static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
