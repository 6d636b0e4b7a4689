using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MQTTnet.AspNetCore;

namespace MidirEdge.Agent.Mqtt;

/// <summary>
/// The embedded broker's MQTT-over-WebSockets endpoint (<c>ws://ADDRESS:PORT/mqtt</c>, <c>wss://</c> with the broker's
/// certificate), so a dashboard in a browser can subscribe: Kestrel accepts the WebSocket with the MQTT sub-protocol and
/// hands it to MQTTnet's WebSocket adapter, which the broker serves beside its TCP listener.
/// </summary>
internal sealed class WebSocketListener(IPAddress address, int port, X509Certificate2? certificate) : IAsyncDisposable
{
    /// <summary>The path the endpoint answers on.</summary>
    public const string Path = "/mqtt";

    private WebApplication? _app;

    /// <summary>The broker adapter that WebSocket clients arrive through.</summary>
    public MqttWebSocketServerAdapter Adapter { get; } = new();

    /// <summary>The endpoint's address as a client writes it.</summary>
    public Uri Url => new($"{(certificate is null ? "ws" : "wss")}://{(address.Equals(IPAddress.Any) ? "127.0.0.1" : address.ToString())}:{port}{Path}");

    /// <summary>Starts listening.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(address, port, listen =>
        {
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseWebSockets();
        app.Map(Path, async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("MQTT over WebSockets only\n", context.RequestAborted).ConfigureAwait(false);
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync(MqttSubProtocolSelector.SelectSubProtocol(context.Request)).ConfigureAwait(false);
            await Adapter.RunWebSocketConnectionAsync(socket, context).ConfigureAwait(false);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _app = null;
    }
}
