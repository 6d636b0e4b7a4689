using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Fleet;

/// <summary>
/// The consumer side of a fleet: results of several real agent processes, read by three MQTT 5 shared-subscription consumers
/// (<c>$share/db/midir/+/+/result</c>) on a real Mosquitto, as writers into a time-series database would share the load.
/// </summary>
public sealed class SharedConsumerTests : IDisposable
{
    private const int Agents = 3;
    private const int FilesEach = 8;

    private readonly TempDirectory _root = new("fleet-share");
    private readonly MosquittoBroker _broker = new();

    /// <summary>Stops the broker and removes the folders.</summary>
    public void Dispose()
    {
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>Every result reaches exactly one consumer: none lost, none twice, and each consumer takes a share.</summary>
    [Fact]
    public async Task Results_of_several_agents_are_shared_across_consumers_without_loss_or_duplicates()
    {
        var consumers = new List<MqttProbe>();
        for (var i = 0; i < 3; i++) consumers.Add(await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "$share/db/midir/+/+/result"));
        var agents = new List<AgentProcess>();
        try
        {
            for (var a = 1; a <= Agents; a++)
            {
                var folder = Directory.CreateDirectory(Path.Combine(_root.Path, $"a{a}")).FullName;
                var inbox = Directory.CreateDirectory(Path.Combine(folder, "inbox")).FullName;
                var models = Directory.CreateDirectory(Path.Combine(folder, "models")).FullName;
                File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(models, "demo-yamsys-C.zip"));
                agents.Add(AgentProcess.Start("run", "--MidirEdge:Site=share", $"--MidirEdge:Instrument=a{a}",
                    $"--MidirEdge:DataDir={Path.Combine(folder, "data")}", $"--MidirEdge:Models:Path={models}",
                    $"--MidirEdge:Adapters:FileWatch:Path={inbox}", "--MidirEdge:Adapters:FileWatch:Include:0=*.csv",
                    "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200", "--MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.500",
                    $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}", "--MidirEdge:Health:Enabled=false"));
                await TestData.DropSoilFilesAsync(Directory.CreateDirectory(Path.Combine(folder, "staging")).FullName, inbox, FilesEach);
            }

            // Each result is keyed by its agent's topic and its id: the same soil on two agents is two results.
            IEnumerable<string> Keys(MqttProbe consumer) => consumer.Messages.Select(m => $"{m.Topic} {m.Json.GetProperty("id").GetString()}");
            await Eventually.Async(() => consumers.Sum(c => c.Messages.Count), n => n >= Agents * FilesEach, guard: TimeSpan.FromMinutes(5));
            // A moment for a duplicate, if any, to arrive too.
            await Task.Delay(500);
            var all = consumers.SelectMany(Keys).ToArray();
            Assert.Equal(Agents * FilesEach, all.Length);
            Assert.Equal(all.Length, all.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(Agents, all.Select(k => k.Split(' ')[0]).Distinct(StringComparer.Ordinal).Count());
            Assert.All(consumers, c => Assert.NotEmpty(c.Messages));
        }
        finally
        {
            foreach (var agent in agents) agent.Dispose();
            foreach (var consumer in consumers) await consumer.DisposeAsync();
        }
    }
}
