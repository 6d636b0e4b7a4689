using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>A real MQTT subscriber that records what it receives, for tests.</summary>
public sealed class MqttProbe : IAsyncDisposable
{
    /// <summary>Guard against hangs; never a timing assertion.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly List<Received> _messages = [];

    private MqttProbe()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            lock (_messages) _messages.Add(new Received(m.Topic, Encoding.UTF8.GetString(m.Payload), m.Retain));
            return Task.CompletedTask;
        };
    }

    /// <summary>A received message.</summary>
    public sealed record Received(string Topic, string Payload, bool Retain)
    {
        /// <summary>The payload parsed as JSON.</summary>
        public JsonElement Json => JsonDocument.Parse(Payload).RootElement;
    }

    /// <summary>Connects with a clean session (and credentials, if given) and subscribes to <paramref name="topicFilter"/> at QoS 1.</summary>
    public static async Task<MqttProbe> ConnectAsync(string host, int port, string topicFilter, string? username = null, string? password = null)
    {
        var probe = new MqttProbe();
        using var cts = new CancellationTokenSource(Guard);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("probe-" + Guid.NewGuid().ToString("N"))
            .WithCleanStart(true);
        if (username is not null) options.WithCredentials(username, password);
        await probe._client.ConnectAsync(options.Build(), cts.Token);
        await probe._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(topicFilter, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cts.Token);
        return probe;
    }

    /// <summary>Publishes <paramref name="payload"/> at QoS 1 and throws unless the broker accepted it.</summary>
    public async Task PublishAsync(string topic, byte[] payload)
    {
        using var cts = new CancellationTokenSource(Guard);
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cts.Token);
        if (!result.IsSuccess) throw new InvalidOperationException($"publish to {topic} refused: {result.ReasonCode}");
    }

    /// <summary>Everything received so far, in arrival order.</summary>
    public IReadOnlyList<Received> Messages { get { lock (_messages) return [.. _messages]; } }

    /// <summary>Waits until <paramref name="condition"/> holds for the received messages; fails after the guard.</summary>
    public Task<IReadOnlyList<Received>> WaitUntilAsync(Func<IReadOnlyList<Received>, bool> condition, Action? tick = null) =>
        Eventually.Async(() => Messages, condition, tick);

    /// <summary>Disconnects; a broker that already went away (a test stopped it) leaves nothing to disconnect from.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
        }
        _client.Dispose();
    }
}

/// <summary>Polls a condition until it holds, failing after a generous guard; never measures time.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="read"/> until <paramref name="condition"/> holds, for at most <paramref name="guard"/> (default <see cref="MqttProbe.Guard"/>); runs <paramref name="tick"/> between polls.</summary>
    public static async Task<T> Async<T>(Func<T> read, Func<T, bool> condition, Action? tick = null, TimeSpan? guard = null)
    {
        var limit = guard ?? MqttProbe.Guard;
        using var expiry = new CancellationTokenSource(limit);
        while (true)
        {
            var value = read();
            if (condition(value)) return value;
            if (expiry.IsCancellationRequested)
                throw new TimeoutException($"Condition not met within the {limit} guard; last value: {Describe(value)}");
            tick?.Invoke();
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> is true.</summary>
    public static Task True(Func<bool> condition, Action? tick = null) => Async(condition, c => c, tick);

    private static string Describe<T>(T value) =>
        value is IEnumerable<MqttProbe.Received> messages ? string.Join("\n", messages) : $"{value}";
}
