using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Mqtt;

/// <summary>The retained status message and the last will, against a real Mosquitto broker.</summary>
public sealed class StatusTests : IDisposable
{
    private readonly MosquittoBroker _broker = new();
    private readonly TempDirectory _dir = new("status");

    /// <inheritdoc />
    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    /// <summary>On connect the agent retains "online" with its version, models and adapters; a dropped connection turns it "lost" through the last will.</summary>
    [Fact]
    public async Task Status_is_retained_online_and_the_last_will_marks_it_lost_when_the_connection_dies()
    {
        using var proxy = new TcpProxy(_broker.Port);
        var mqtt = TestData.Mqtt(_broker.Host, proxy.Port);
        var topics = MqttTopics.Resolve(TestData.Agent, mqtt);
        var status = new AgentStatus();
        status.UpdateModels([new ModelInfo("pls-C", "3", ["C"])]);
        status.UpdateAdapters([new AdapterReport("opus-watch", "file-watch", AdapterRunState.Running, null, null, 0)]);
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"));
        using var publisher = TestData.Publisher(cache, mqtt, TimeProvider.System, status);
        await publisher.StartAsync(CancellationToken.None);
        await Eventually.True(() => publisher.IsConnected);

        await using (var late = await RetainedStatusAsync(topics, "online"))
        {
            var online = late.Messages[^1].Json;
            Assert.Equal(StatusMessage.SchemaV1, online.GetProperty("schema").GetString());
            Assert.Equal(AgentStatus.Version, online.GetProperty("version").GetString());
            Assert.Equal("lab", online.GetProperty("site").GetString());
            Assert.Equal("alpha1", online.GetProperty("instrument").GetString());
            Assert.Equal("pls-C", online.GetProperty("models")[0].GetProperty("name").GetString());
            Assert.Equal("opus-watch", online.GetProperty("adapters")[0].GetString());
            Assert.Equal(1, online.GetProperty("sequence").GetInt64());
            Assert.Equal(0, online.GetProperty("outboxDepth").GetInt32());
        }

        proxy.Kill();

        await using var afterCrash = await RetainedStatusAsync(topics, "lost");
        Assert.Equal(1, afterCrash.Messages[^1].Json.GetProperty("sequence").GetInt64());
        await publisher.StopAsync(CancellationToken.None);
    }

    /// <summary>A status update (e.g. a model loaded) is republished while connected.</summary>
    [Fact]
    public async Task Status_changes_are_republished()
    {
        var mqtt = TestData.Mqtt(_broker.Host, _broker.Port);
        var topics = MqttTopics.Resolve(TestData.Agent, mqtt);
        var status = new AgentStatus();
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"));
        using var publisher = TestData.Publisher(cache, mqtt, TimeProvider.System, status);
        await using var subscriber = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, topics.Status);
        await publisher.StartAsync(CancellationToken.None);
        await subscriber.WaitUntilAsync(m => m.Any(x => x.Json.GetProperty("state").GetString() == "online"));

        status.UpdateModels([new ModelInfo("pls-N", "2", ["N"])]);

        await subscriber.WaitUntilAsync(m => m.Any(x => x.Json.GetProperty("models").GetArrayLength() == 1));
        await publisher.StopAsync(CancellationToken.None);
    }

    /// <summary>A graceful stop publishes a retained "offline" itself, since a normal disconnect suppresses the last will.</summary>
    [Fact]
    public async Task Graceful_stop_retains_offline()
    {
        var mqtt = TestData.Mqtt(_broker.Host, _broker.Port);
        var topics = MqttTopics.Resolve(TestData.Agent, mqtt);
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"));
        using var publisher = TestData.Publisher(cache, mqtt, TimeProvider.System);
        await publisher.StartAsync(CancellationToken.None);
        await Eventually.True(() => publisher.IsConnected);
        await (await RetainedStatusAsync(topics, "online")).DisposeAsync();

        await publisher.StopAsync(CancellationToken.None);

        Assert.False(publisher.IsConnected);
        await using var late = await RetainedStatusAsync(topics, "offline");
    }

    /// <summary>Subscribes afresh (so only the retained message arrives) until the retained state is <paramref name="state"/>.</summary>
    private async Task<MqttProbe> RetainedStatusAsync(MqttTopics topics, string state)
    {
        using var guard = new CancellationTokenSource(MqttProbe.Guard);
        while (true)
        {
            if (guard.IsCancellationRequested)
                throw new TimeoutException($"Retained status never became '{state}'.");
            var probe = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, topics.Status);
            try
            {
                // A live (non-retained) message means the probe subscribed before the publish; ask again.
                var last = (await probe.WaitUntilAsync(m => m.Count > 0))[^1];
                if (last.Retain && last.Json.GetProperty("state").GetString() == state)
                    return probe;
            }
            catch
            {
                await probe.DisposeAsync();
                throw;
            }
            await probe.DisposeAsync();
            await Task.Delay(50);
        }
    }
}
