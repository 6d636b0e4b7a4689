using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;
using MQTTnet.Server.Internal.Adapter;
using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent.Mqtt;

/// <summary>
/// In-process MQTT broker started when no external broker is configured (<c>MidirEdge:Mqtt:Host</c> empty),
/// so a dashboard can subscribe to the agent with nothing else installed. Loopback only unless
/// <c>EmbeddedBindAddress</c> says otherwise; TLS only when <c>EmbeddedCertificateFile</c> is set. Only the agent
/// (known by its <see cref="AgentCredential"/>) may use its client id and write its topics; without
/// <c>EmbeddedPassword</c> everyone else may connect and subscribe but not publish, with it only clients presenting it
/// connect, and they may publish outside the agent's topics. Clients sending no client id are given one.
/// </summary>
public sealed partial class EmbeddedBroker : IHostedService, IDisposable
{
    private readonly MqttOptions _options;
    private readonly MqttTopics _topics;
    private readonly AgentCredential _credential;
    private readonly byte[] _password;
    private readonly ILogger<EmbeddedBroker> _logger;
    private MqttServer? _server;
    private X509Certificate2? _certificate;
    private WebSocketListener? _webSockets;

    /// <summary>Creates the broker; it listens only after <see cref="StartAsync"/>.</summary>
    public EmbeddedBroker(IOptions<MqttOptions> options, IOptions<MidirEdgeOptions> agent, AgentCredential credential, ILogger<EmbeddedBroker> logger)
    {
        _options = options.Value;
        _topics = MqttTopics.Resolve(agent.Value, _options);
        _credential = credential;
        _password = Encoding.UTF8.GetBytes(_options.EmbeddedPassword);
        _logger = logger;
    }

    /// <summary>Whether the broker is running.</summary>
    internal bool IsRunning => _server?.IsStarted == true;

    private bool RequiresPassword => _password.Length > 0;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.UsesEmbeddedBroker) return;
        var address = IPAddress.Parse(_options.EmbeddedBindAddress);
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        var builder = new MqttServerOptionsBuilder().WithPersistentSessions();
        if (_options.EmbeddedCertificateFile.Length == 0)
        {
            builder.WithDefaultEndpoint().WithDefaultEndpointPort(_options.Port)
                .WithDefaultEndpointBoundIPAddress(v6 ? IPAddress.None : address)
                .WithDefaultEndpointBoundIPV6Address(v6 ? address : IPAddress.None);
        }
        else
        {
            _certificate = CertificateFiles.Load(_options.EmbeddedCertificateFile, _options.EmbeddedKeyFile, _options.EmbeddedCertificatePassword);
            builder.WithoutDefaultEndpoint().WithEncryptedEndpoint().WithEncryptedEndpointPort(_options.Port).WithEncryptionCertificate(_certificate)
                .WithEncryptedEndpointBoundIPAddress(v6 ? IPAddress.None : address)
                .WithEncryptedEndpointBoundIPV6Address(v6 ? address : IPAddress.None);
        }
        List<IMqttServerAdapter> adapters = [new ClientIdAssigningAdapter(new MqttTcpServerAdapter())];
        if (_options.EmbeddedWebSocketPort > 0)
        {
            _webSockets = new WebSocketListener(address, _options.EmbeddedWebSocketPort, _certificate);
            adapters.Add(new ClientIdAssigningAdapter(_webSockets.Adapter));
        }
        _server = new MqttServerFactory().CreateMqttServer(builder.Build(), adapters);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingPublishAsync += AuthorizePublishAsync;
        await _server.StartAsync().ConfigureAwait(false);
        if (_webSockets is not null) await _webSockets.StartAsync(cancellationToken).ConfigureAwait(false);
        var transport = (_certificate is null ? "plain TCP" : "TLS") + (_webSockets is null ? "" : $", and WebSockets on {_webSockets.Url}");
        var access = RequiresPassword ? "clients with the password may read and write outside the agent's topics" : "anyone may read, only the agent writes";
        var shown = address.Equals(IPAddress.Any) ? IPAddress.Loopback : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address;
        var follow = $"mosquitto_sub -h {shown} -p {_options.Port}{(_certificate is null ? "" : $" --cafile {_options.EmbeddedCertificateFile}")}"
            + $"{(RequiresPassword ? $" -u {_options.EmbeddedUsername} -P PASSWORD" : "")} -t '{FollowTopic()}' -v";
        LogStarted(address, _options.Port, transport, access, follow);
        if (RequiresPassword && _certificate is null)
            LogPlainTextPassword(address, _options.Port);
    }

    // Everything the agent publishes: its topics' common parent (midir/{site}/{instrument}/#), or all.
    private string FollowTopic()
    {
        var parent = _topics.Result.LastIndexOf('/');
        return parent > 0 && _topics.Status.StartsWith(_topics.Result[..(parent + 1)], StringComparison.Ordinal) ? _topics.Result[..(parent + 1)] + "#" : "#";
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_webSockets is not null) await _webSockets.DisposeAsync().ConfigureAwait(false);
        if (_server is null) return;
        await _server.StopAsync(new MqttServerStopOptionsBuilder().Build()).ConfigureAwait(false);
        LogStopped();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _server?.Dispose();
        _certificate?.Dispose();
    }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        if (e.ClientId == _topics.ClientId)
        {
            if (!_credential.Matches(e.RawPassword))
                Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, "the client id is the agent's");
        }
        else if (RequiresPassword && !(e.UserName == _options.EmbeddedUsername && CryptographicOperations.FixedTimeEquals(e.RawPassword, _password)))
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "wrong or missing user name or password");
        }
        else if (string.IsNullOrEmpty(e.ClientId))
        {
            // MQTT 5 lets the broker name a client that sent no id (MQTTnet then tells it in the CONNACK);
            // MQTT 3.1.1 clients were already named by ClientIdAssigningAdapter.
            e.AssignedClientIdentifier = ClientIdAssigningAdapter.NewClientId();
        }
        return Task.CompletedTask;
    }

    private void Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode reason, string why)
    {
        e.ReasonCode = reason;
        e.ReasonString = why;
        LogConnectionRefused(e.ClientId, e.RemoteEndPoint, why);
    }

    /// <summary>Only the agent writes its topics; other clients write elsewhere only when they presented the password.</summary>
    private Task AuthorizePublishAsync(InterceptingPublishEventArgs e)
    {
        // The client id is the agent's only on the connection that presented the agent's credential.
        if (e.ClientId == _topics.ClientId) return Task.CompletedTask;
        var topic = e.ApplicationMessage.Topic;
        if (RequiresPassword && !_topics.IsAgentTopic(topic)) return Task.CompletedTask;
        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        e.Response.ReasonString = RequiresPassword ? "the topic is the agent's" : "read-only for clients without a password";
        LogPublishRefused(e.ClientId, topic, e.Response.ReasonString);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port} ({Transport}; {Access}); follow what the agent publishes with: {Follow}")]
    private partial void LogStarted(IPAddress address, int port, string transport, string access, string follow);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clients of the embedded MQTT broker on {Address}:{Port} send MidirEdge:Mqtt:EmbeddedPassword over plain TCP, readable on the way; set MidirEdge:Mqtt:EmbeddedCertificateFile for TLS")]
    private partial void LogPlainTextPassword(IPAddress address, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded MQTT broker refused client '{ClientId}' from {Endpoint}: {Reason}")]
    private partial void LogConnectionRefused(string clientId, EndPoint endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded MQTT broker refused a publish from {ClientId} to {Topic}: {Reason}")]
    private partial void LogPublishRefused(string clientId, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker stopped")]
    private partial void LogStopped();
}
