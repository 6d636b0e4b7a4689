using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace MidirEdge.Agent.Mqtt;

/// <summary>
/// In-process MQTT broker started when no external broker is configured (<c>MidirEdge:Mqtt:Host</c> empty),
/// so a dashboard can subscribe to the agent with nothing else installed. Clients sending no client id are given one.
/// </summary>
public sealed partial class EmbeddedBroker : IHostedService, IDisposable
{
    private readonly MqttOptions _options;
    private readonly ILogger<EmbeddedBroker> _logger;
    private MqttServer? _server;

    /// <summary>Creates the broker; it listens only after <see cref="StartAsync"/>.</summary>
    public EmbeddedBroker(IOptions<MqttOptions> options, ILogger<EmbeddedBroker> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Whether the broker is running.</summary>
    public bool IsRunning => _server?.IsStarted == true;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.UsesEmbeddedBroker) return;
        var address = IPAddress.Parse(_options.EmbeddedBindAddress);
        var builder = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(_options.Port)
            .WithPersistentSessions();
        builder = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? builder.WithDefaultEndpointBoundIPV6Address(address).WithDefaultEndpointBoundIPAddress(IPAddress.None)
            : builder.WithDefaultEndpointBoundIPAddress(address).WithDefaultEndpointBoundIPV6Address(IPAddress.None);
        _server = new MqttServerFactory().CreateMqttServer(builder.Build(), [new ClientIdAssigningTcpAdapter()]);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        await _server.StartAsync().ConfigureAwait(false);
        LogStarted(address, _options.Port);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null) return;
        await _server.StopAsync(new MqttServerStopOptionsBuilder().Build()).ConfigureAwait(false);
        LogStopped();
    }

    /// <inheritdoc />
    public void Dispose() => _server?.Dispose();

    private static Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId))
        {
            // MQTT 5 lets the broker name a client that sent no id (MQTTnet then tells it in the CONNACK);
            // MQTT 3.1.1 clients were already named by ClientIdAssigningTcpAdapter.
            e.AssignedClientIdentifier = ClientIdAssigningTcpAdapter.NewClientId();
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private partial void LogStarted(IPAddress address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker stopped")]
    private partial void LogStopped();
}
