using System.Security.Cryptography;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary>The agent process, with a real Mosquitto, whose model folder holds malformed, traversing and oversized bundles beside a good one.</summary>
public sealed class HostileModelsAgentTests : IDisposable
{
    private readonly TempDirectory _root = new("hostile-agent");
    private readonly MosquittoBroker _broker = new();

    /// <summary>Stops the broker and removes the folders.</summary>
    public void Dispose()
    {
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>
    /// With signatures required, bad bundles present at start and dropped while running are refused with a logged reason:
    /// the agent keeps running, the signed C bundle keeps predicting, and nothing escapes the folder. Before, the first
    /// NullReferenceException ended the process at start (and again at every start).
    /// </summary>
    [Fact]
    public async Task Bad_bundles_are_refused_and_the_good_one_keeps_serving()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var trusted = Path.Combine(_root.Path, "trusted.pem");
        await File.WriteAllTextAsync(trusted, key.ExportSubjectPublicKeyInfoPem());
        var inbox = Directory.CreateDirectory(Path.Combine(_root.Path, "inbox")).FullName;
        var models = Directory.CreateDirectory(Path.Combine(_root.Path, "site", "models")).FullName;
        Drop(models, "demo-yamsys-C.zip", DemoBundles.Edit(_ => { }, key));
        Drop(models, "null-files-signed.zip", DemoBundles.Edit(m => m["files"] = null, key));
        Drop(models, "null-files-unsigned.zip", DemoBundles.Edit(m => m["files"] = null));
        Drop(models, "null-domain.zip", DemoBundles.Edit(m => m["models"]![0]!["domain"] = null, key));
        Drop(models, "evil.zip", DemoBundles.Edit(m => m["id"] = "../../escape/evil", key));
        Drop(models, "bomb.zip", DemoBundles.Edit(DemoBundles.ScatteringBomb, key));
        await using var probe = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/hostile/alpha/result");
        using var agent = AgentProcess.Start(
            "run", "--MidirEdge:Site=hostile", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}", $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Models:TrustedKeys:0={trusted}", "--MidirEdge:Models:RequireSignature=true",
            "--MidirEdge:Models:ReloadDelay=00:00:00.200",
            $"--MidirEdge:Adapters:FileWatch:Path={inbox}", "--MidirEdge:Adapters:FileWatch:Include:0=*",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}",
            "--MidirEdge:Health:Enabled=false");
        try
        {
            await TestData.DropSoilFilesAsync(_root.Path, inbox, 1);
            var first = await probe.WaitUntilAsync(m => m.Count >= 1);
            Assert.Equal(["C"], first[0].Json.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("target").GetString()));

            // Dropped while running: the reload timer meets them.
            Drop(models, "null-input.zip", DemoBundles.Edit(m => m["input"] = null, key));
            Drop(models, "null-model.zip", DemoBundles.Edit(m => m["models"]![0] = null, key));
            await Eventually.True(() => agent.Output.Contains("null-model.zip refused", StringComparison.Ordinal));
            await TestData.DropSoilFilesAsync(_root.Path, inbox, 2); // the first soil again (a duplicate, not published) and a second one
            var both = await probe.WaitUntilAsync(m => m.Count >= 2);
            Assert.Equal(["C"], both[1].Json.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("target").GetString()));

            foreach (var name in new[] { "null-files-signed.zip", "null-files-unsigned.zip", "null-domain.zip", "evil.zip", "bomb.zip", "null-input.zip" })
                Assert.Contains($"{name} refused", agent.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("NullReferenceException", agent.Output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(_root.Path, "escape")));

            await agent.TerminateAsync();
            Assert.Equal(0, agent.ExitCode);
        }
        catch (Exception ex) when (ex is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\nAgent output:\n{agent.Output}", ex);
        }
    }

    // Written beside the folder, then moved in, as a technician's copy completes.
    private void Drop(string models, string name, Dictionary<string, byte[]> files) =>
        File.Move(DemoBundles.WriteZip(files, Path.Combine(_root.Path, name)), Path.Combine(models, name));
}
