using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary>The agent process is killed with SIGKILL mid-stream and restarted: nothing is lost and nothing is processed twice.</summary>
public sealed class KillRecoveryTests : IDisposable
{
    private const int Files = 200;
    private readonly TempDirectory _root = new("midir-kill-");
    private readonly MosquittoBroker _broker = new();

    /// <summary>Stops the broker and removes the folders.</summary>
    public void Dispose()
    {
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>Every spectrum dropped before and across the kill is published, each under one id, and archived.</summary>
    [Fact]
    public async Task A_killed_agent_loses_nothing_and_repeats_nothing()
    {
        var inbox = Directory.CreateDirectory(Path.Combine(_root.Path, "inbox")).FullName;
        var models = Directory.CreateDirectory(Path.Combine(_root.Path, "models")).FullName;
        // All seven demo models make each spectrum take long enough that the kill lands mid-stream.
        foreach (var bundle in Directory.GetFiles(Fixtures.RepositoryPath("demo/models"), "*.zip"))
            File.Copy(bundle, Path.Combine(models, Path.GetFileName(bundle)));
        await using var probe = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/kill/alpha/result");
        string[] args =
        [
            "run", "--MidirEdge:Site=kill", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}", $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Adapters:FileWatch:Path={inbox}", "--MidirEdge:Adapters:FileWatch:Include:0=*.csv",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200", "--MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.500",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}", "--MidirEdge:Health:Enabled=false",
        ];

        var names = await TestData.DropSoilFilesAsync(_root.Path, inbox, Files);

        using (var first = AgentProcess.Start(args))
        {
            await probe.WaitUntilAsync(m => m.Count >= 3);
            await first.KillAsync();
        }
        Assert.True(probe.Messages.Count < Files, "the agent finished before it could be killed mid-stream");

        using var second = AgentProcess.Start(args);
        try
        {
            var messages = await probe.WaitUntilAsync(m => m.Select(r => r.Json.GetProperty("sampleName").GetString()).Distinct().Count() >= Files);
            Assert.Equal(names.Order(), messages.Select(m => m.Json.GetProperty("sampleName").GetString()!).Distinct().Order());
            var idsPerSample = messages.GroupBy(m => m.Json.GetProperty("sampleName").GetString())
                .Select(g => g.Select(m => m.Json.GetProperty("id").GetString()).Distinct().Count());
            Assert.All(idsPerSample, ids => Assert.Equal(1, ids));
            await Eventually.True(() => Directory.GetFiles(inbox, "*.csv").Length == 0);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nAgent output:\n{second.Output}", ex);
        }
    }
}
