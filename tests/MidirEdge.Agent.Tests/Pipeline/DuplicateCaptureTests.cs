using System.Globalization;
using System.Security.Cryptography;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary>A file whose bytes were committed before is archived without being read again.</summary>
public sealed class DuplicateCaptureTests : IDisposable
{
    private readonly TempDirectory _root = new("duplicate-capture");
    private readonly MosquittoBroker _broker = new();

    /// <inheritdoc />
    public void Dispose()
    {
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>
    /// The same OPUS file dropped a second time under another name is recognised by the SHA-256 of its bytes, which the
    /// cache holds with the first one's spectrum, and archived unread.
    /// </summary>
    [Fact]
    public async Task The_same_bytes_dropped_again_are_archived_unread()
    {
        var inbox = Folder("inbox");
        var models = Folder("models");
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(models, "demo-yamsys-C.zip"));
        await using var results = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/dup/alpha/result");
        using var agent = AgentProcess.Start(
            "run", "--MidirEdge:Site=dup", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Folder("data")}", $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Adapters:FileWatch:Path={inbox}", "--MidirEdge:Adapters:FileWatch:Include:0=*",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200", "--MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.200",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port.ToString(CultureInfo.InvariantCulture)}",
            "--MidirEdge:Health:Enabled=false");
        try
        {
            var fixture = Fixtures.Path("data/opus/BF_lo_01_soil_cal.1");
            var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(fixture)));
            await DropAsync(fixture, inbox, "BF_lo_01_soil_cal.1");
            await results.WaitUntilAsync(m => m.Count >= 1);
            await Eventually.True(() => Directory.GetFiles(inbox, "BF_lo_01_soil_cal.*").Length == 0);

            await DropAsync(fixture, inbox, "again.1");

            var line = await Eventually.Async(() => agent.Output.Split('\n').FirstOrDefault(l => l.Contains($"again.1: the same bytes (sha256 {sha}) were processed before", StringComparison.Ordinal)),
                l => l is not null);
            Assert.NotNull(line);
            await Eventually.True(() => Directory.GetFiles(Path.Combine(inbox, "archive"), "again.1", SearchOption.AllDirectories).Length == 1);
        }
        finally
        {
            await agent.TerminateAsync();
        }
    }

    private async Task DropAsync(string file, string inbox, string name)
    {
        var staged = Path.Combine(_root.Path, name);
        await using (var source = File.OpenRead(file))
        await using (var target = File.Create(staged))
            await source.CopyToAsync(target);
        File.Move(staged, Path.Combine(inbox, name));
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root.Path, name)).FullName;
}
