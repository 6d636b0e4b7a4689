using Microsoft.Extensions.Time.Testing;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Mqtt;

/// <summary>A broker that acknowledges a publish with a failure reason code (ACL denial) does not empty the outbox.</summary>
public sealed class RefusedPublishTests : IDisposable
{
    private readonly TempDirectory _dir = new("acl");
    private readonly MosquittoBroker _broker;

    /// <summary>Starts a broker whose ACL lets anonymous clients write only the status topic.</summary>
    public RefusedPublishTests()
    {
        var acl = Path.Combine(_dir.Path, "acl");
        File.WriteAllText(acl, "topic readwrite midir/lab/alpha1/status\ntopic read midir/#\n");
        _broker = new MosquittoBroker($"acl_file {acl}\nuser {Environment.UserName}\n");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    /// <summary>The result acknowledged with "not authorized" stays queued while the (allowed) status goes out.</summary>
    [Fact]
    public async Task A_publish_acknowledged_with_a_failure_code_stays_in_the_outbox()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var mqtt = TestData.Mqtt(_broker.Host, _broker.Port);
        var topics = MqttTopics.Resolve(TestData.Agent, mqtt);
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"), time);
        await using var subscriber = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/#");
        cache.Outbox.Enqueue(topics.Result, "{\"n\":1}"u8.ToArray());
        var metrics = new AgentMetrics();
        using var publisher = TestData.Publisher(cache, mqtt, time, metrics: metrics);

        await publisher.StartAsync(CancellationToken.None);
        await subscriber.WaitUntilAsync(m => m.Any(x => x.Topic == topics.Status));
        await Eventually.True(() => TestData.Retries(metrics, "mqtt") >= 1);

        Assert.Equal(1, cache.Outbox.Depth);
        Assert.DoesNotContain(subscriber.Messages, m => m.Topic == topics.Result);
        await publisher.StopAsync(CancellationToken.None);
    }
}
