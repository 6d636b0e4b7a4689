using System.Collections.Concurrent;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MidirEdge.Faults.Tests;

/// <summary>
/// The dashboard side: a real MQTT subscriber with a persistent session that reconnects whenever the broker comes back,
/// recording every result (sample name, spectrum hash, id) and the latest status of each instrument.
/// </summary>
internal sealed class ResultCollector : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttClientOptions _options;
    private readonly string _filter;
    private readonly ConcurrentQueue<Result> _results = new();
    private readonly ConcurrentDictionary<string, JsonElement> _status = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _reconnecting = Task.CompletedTask;

    private ResultCollector(string host, int port, string filter)
    {
        _filter = filter;
        _options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("faults-dashboard")
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .Build();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var topic = e.ApplicationMessage.Topic;
            using var json = JsonDocument.Parse(e.ApplicationMessage.Payload);
            var root = json.RootElement.Clone();
            if (topic.EndsWith("/status", StringComparison.Ordinal)) _status[topic] = root;
            else if (topic.EndsWith("/result", StringComparison.Ordinal))
                _results.Enqueue(new Result(topic, Text(root, "sampleName"), Text(root, "spectrumHash"), Text(root, "id")));
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += _ =>
        {
            if (!_stop.IsCancellationRequested && _reconnecting.IsCompleted) _reconnecting = ReconnectAsync();
            return Task.CompletedTask;
        };
    }

    /// <summary>A received result.</summary>
    public sealed record Result(string Topic, string SampleName, string SpectrumHash, string Id);

    /// <summary>Connects (retrying while the broker starts) and subscribes to <paramref name="filter"/> at QoS 1.</summary>
    public static async Task<ResultCollector> ConnectAsync(string host, int port, string filter)
    {
        var collector = new ResultCollector(host, port, filter);
        await collector.ConnectOnceAsync(CancellationToken.None);
        return collector;
    }

    /// <summary>Every result received so far.</summary>
    public IReadOnlyList<Result> Results => [.. _results];

    /// <summary>The latest status of the instrument whose status topic is <paramref name="topic"/>, if any.</summary>
    public JsonElement? Status(string topic) => _status.TryGetValue(topic, out var status) ? status : null;

    /// <summary>Stops reconnecting and disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _reconnecting; } catch (OperationCanceledException) { }
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException) { }
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task ReconnectAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(100, _stop.Token);
                await ConnectOnceAsync(_stop.Token);
                return;
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                // The broker is still down: try again.
            }
        }
    }

    private async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        await _client.ConnectAsync(_options, guard.Token);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), guard.Token);
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
