using Microsoft.Extensions.Time.Testing;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Mqtt;

/// <summary>Store-and-forward through a real Mosquitto broker that goes down and comes back.</summary>
public sealed class StoreAndForwardTests : IDisposable
{
    private readonly MosquittoBroker _broker = new();
    private readonly TempDirectory _dir = new("outbox");
    private readonly FakeTimeProvider _time = new();

    /// <inheritdoc />
    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    /// <summary>50 results submitted while the broker is down reach a subscriber in order, once each, and leave the outbox.</summary>
    [Fact]
    public async Task Results_enqueued_during_an_outage_arrive_in_order_after_the_broker_returns()
    {
        var mqtt = TestData.Mqtt(_broker.Host, _broker.Port);
        var topics = MqttTopics.Resolve(TestData.Agent, mqtt);
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"), _time);
        var delivery = TestData.Delivery(cache, mqtt);
        var metrics = new AgentMetrics();
        using var publisher = TestData.Publisher(cache, mqtt, _time, metrics: metrics);
        await publisher.StartAsync(CancellationToken.None);
        await Eventually.True(() => publisher.IsConnected);

        _broker.Stop();
        await Eventually.True(() => !publisher.IsConnected);
        var expected = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            var result = TestData.Conclusion(TestData.Spectrum(i));
            delivery.Submit([(result, TestData.Spectrum(i))]);
            expected.Add(result.Id);
        }
        Assert.Equal(50, cache.Outbox.Depth);
        // The publisher has failed to reconnect and sits in its back-off delay, which only the test clock ends.
        await Eventually.True(() => TestData.Retries(metrics, "mqtt") >= 1);
        Assert.Equal(50, cache.Outbox.Depth);

        _broker.Start();
        await using var subscriber = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, topics.Result);
        var received = await subscriber.WaitUntilAsync(m => m.Count >= 50, tick: () => _time.Advance(mqtt.ReconnectMaxDelay));

        var ids = received.Select(m => m.Json.GetProperty("id").GetString()!).ToList();
        Assert.Equal(expected, ids);
        Assert.Equal(50, ids.Distinct().Count());
        await Eventually.True(() => cache.Outbox.Depth == 0);
        await publisher.StopAsync(CancellationToken.None);
    }

    /// <summary>Without a broker to acknowledge them, messages stay in the outbox through repeated reconnect attempts.</summary>
    [Fact]
    public async Task A_message_stays_in_the_outbox_while_no_broker_acknowledges_it()
    {
        _broker.Stop();
        var mqtt = TestData.Mqtt(_broker.Host, _broker.Port);
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"), _time);
        cache.Outbox.Enqueue("midir/lab/alpha1/result", "{\"n\":1}"u8.ToArray());
        cache.Outbox.Enqueue("midir/lab/alpha1/result", "{\"n\":2}"u8.ToArray());
        var metrics = new AgentMetrics();
        using var publisher = TestData.Publisher(cache, mqtt, _time, metrics: metrics);
        await publisher.StartAsync(CancellationToken.None);

        // Each back-off delay ends only when the test clock moves: four failed attempts, three delays waited out.
        await Eventually.True(() => TestData.Retries(metrics, "mqtt") >= 4, tick: () => _time.Advance(mqtt.ReconnectMaxDelay));

        Assert.False(publisher.IsConnected);
        Assert.Equal(2, cache.Outbox.Depth);
        Assert.Equal([1L, 2L], cache.Outbox.PeekOldest(10).Select(m => m.Sequence));
        await publisher.StopAsync(CancellationToken.None);
        Assert.Equal(2, cache.Outbox.Depth);
    }
}
