using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary>The agent process is stopped with SIGTERM, as systemd stops it, while results wait in its outbox.</summary>
public sealed class GracefulShutdownTests : IDisposable
{
    private const int Files = 12;
    private readonly TempDirectory _root = new("shutdown");
    private readonly MosquittoBroker _broker = new();

    /// <summary>Stops the broker and removes the folders.</summary>
    public void Dispose()
    {
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>Results processed while the broker was away are delivered on the way out, in order, and the outbox is left empty.</summary>
    [Fact]
    public async Task Stopping_delivers_what_waits_in_the_outbox()
    {
        var inbox = Directory.CreateDirectory(Path.Combine(_root.Path, "inbox")).FullName;
        var models = Directory.CreateDirectory(Path.Combine(_root.Path, "models")).FullName;
        var data = Path.Combine(_root.Path, "data");
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(models, "demo-yamsys-C.zip"));
        _broker.Stop();
        using var agent = AgentProcess.Start(
            "run", "--MidirEdge:Site=shutdown", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={data}", $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Adapters:FileWatch:Path={inbox}", "--MidirEdge:Adapters:FileWatch:Include:0=*.csv",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}",
            // Far beyond the test: only the stop can bring the results out.
            "--MidirEdge:Mqtt:ReconnectMinDelay=01:00:00", "--MidirEdge:Mqtt:ReconnectMaxDelay=01:00:00",
            "--MidirEdge:Health:Enabled=false");
        try
        {
            var names = await TestData.DropSoilFilesAsync(_root.Path, inbox, Files);
            await Eventually.True(() => Directory.GetFiles(inbox, "*.csv").Length == 0);
            _broker.Start();
            await using var probe = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/shutdown/alpha/result");

            await agent.TerminateAsync();

            Assert.Equal(0, agent.ExitCode);
            var messages = await probe.WaitUntilAsync(m => m.Count >= Files);
            Assert.Equal(names.Order(), messages.Select(m => m.Json.GetProperty("sampleName").GetString()!).Order());
            Assert.Equal(Files, messages.Select(m => m.Json.GetProperty("id").GetString()).Distinct().Count());
            using var cache = AgentCache.Open(Path.Combine(data, "midir-edge.db"));
            Assert.Equal(0, cache.Outbox.Depth);
            Assert.Equal(Files, cache.ResultCount);
        }
        catch (Exception ex) when (ex is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\nAgent output:\n{agent.Output}", ex);
        }
    }
}
