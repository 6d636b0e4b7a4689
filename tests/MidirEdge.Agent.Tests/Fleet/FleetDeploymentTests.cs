using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Fleet;

/// <summary>
/// Model deployment at fleet scale: twenty real agent processes with <c>MidirEdge:Fleet:Enabled</c> on one real Mosquitto, driven by the
/// real <c>midir-edge fleet deploy</c>; the demo C bundle re-versioned 1.3.0 and signed with a throw-away key the agents trust.
/// </summary>
public sealed class FleetDeploymentTests : IDisposable
{
    private const int Agents = 20;
    private const string Site = "fleet";
    private const string BundleId = "demo-yamsys-C";

    private readonly TempDirectory _root = new("fleet-deploy");
    private readonly MosquittoBroker _broker = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _trusted;
    private readonly List<AgentProcess> _processes = [];

    /// <summary>Writes the trusted public key.</summary>
    public FleetDeploymentTests()
    {
        _trusted = Path.Combine(_root.Path, "trusted.pem");
        File.WriteAllText(_trusted, _key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>Kills what still runs and removes the folders.</summary>
    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
        _broker.Dispose();
        _key.Dispose();
        _root.Dispose();
    }

    /// <summary>
    /// A signed bundle becomes active on all twenty, the one stopped during the roll-out included once restarted (its persistent session
    /// kept the command); an unsigned and a tampered one are refused by each with the reason; an agent that lost its model folder while
    /// down gets the desired bundle back from the ones it holds; a killed agent is <c>lost</c>, a stopped one <c>offline</c>.
    /// </summary>
    [Fact]
    public async Task Twenty_agents_take_a_signed_bundle_refuse_unsigned_and_tampered_ones_and_catch_up_after_being_down()
    {
        await using var statuses = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, $"midir/{Site}/+/status");
        var names = Enumerable.Range(1, Agents).Select(i => $"i{i:00}").ToArray();
        var agents = names.ToDictionary(n => n, Start);
        await Until(statuses, m => names.All(n => Latest(m, n)?.GetProperty("state").GetString() == "online"));

        // One instrument is down when the roll-out starts (a clean stop: "offline").
        var late = names[^1];
        await agents[late].TerminateAsync();
        await Until(statuses, m => Latest(m, late)?.GetProperty("state").GetString() == "offline");

        var signed = Bundle("signed.zip", DemoBundles.Edit(m => m["version"] = "1.3.0", _key));
        var deploy = Fleet("deploy", signed, "--to", $"{Site}/+", "--wait", "5m");
        await Until(statuses, m => names.SkipLast(1).All(n => Runs(m, n, "1.3.0")));
        agents[late] = Start(late);
        var (exit, stdout, stderr) = await deploy;

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}\n{agents[late].Output}");
        Assert.Equal(Agents, Rows(stdout).Count(r => r.Contains("active", StringComparison.Ordinal) && r.Contains("1.3.0", StringComparison.Ordinal)));
        var after = await Until(statuses, m => names.All(n => Runs(m, n, "1.3.0")));
        var sha = Latest(after, late)!.Value.GetProperty("models")[0].GetProperty("sha256").GetString();
        Assert.Matches("^[0-9a-f]{64}$", sha);

        // Desired models are retained per instrument, naming the bundle by its manifest's SHA-256.
        await using (var desired = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, $"midir/{Site}/+/models/desired"))
        {
            var retained = await desired.WaitUntilAsync(m => m.Count == Agents);
            Assert.All(retained, d => Assert.Equal(sha, d.Json.GetProperty("bundles")[0].GetProperty("sha256").GetString()));
        }

        // Unsigned, and signed then edited: each agent refuses each with the reason; 1.3.0 stays active everywhere.
        var unsigned = Bundle("unsigned.zip", DemoBundles.Edit(m => m["version"] = "1.4.0"));
        var tamperedFiles = DemoBundles.Edit(m => m["version"] = "1.4.1", _key);
        var manifest = JsonNode.Parse(tamperedFiles["manifest.json"])!;
        manifest["version"] = "9.9.9";
        tamperedFiles["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var tampered = Bundle("tampered.zip", tamperedFiles);
        foreach (var (bundle, reason) in new[] { (unsigned, "not signed"), (tampered, "signature does not verify") })
        {
            var refused = await Fleet("deploy", bundle, "--to", $"{Site}/+", "--wait", "5m");
            Assert.True(refused.ExitCode == 1, $"exit {refused.ExitCode}\n{refused.Stdout}\n{refused.Stderr}");
            Assert.Contains($"{Agents} refused", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal(Agents, Rows(refused.Stdout).Count(r => r.Contains("refused", StringComparison.Ordinal)));
            Assert.All(Rows(refused.Stdout), r => Assert.Contains(reason, r, StringComparison.Ordinal));
        }
        Assert.All(names, n => Assert.True(Runs(statuses.Messages, n, "1.3.0"), n));

        // Killed ("lost"), its model folder emptied meanwhile: back, it reinstalls the desired bundle it holds.
        var drifted = names[0];
        await agents[drifted].KillAsync();
        await Until(statuses, m => Latest(m, drifted)?.GetProperty("state").GetString() == "lost");
        foreach (var file in Directory.GetFiles(Path.Combine(_root.Path, drifted, "models"), "*.zip")) File.Delete(file);
        agents[drifted] = Start(drifted);
        await Until(statuses, m => Latest(m, drifted) is { } s && s.GetProperty("state").GetString() == "online"
            && s.GetProperty("models").GetArrayLength() == 1 && s.GetProperty("models")[0].GetProperty("sha256").GetString() == sha);
    }

    private AgentProcess Start(string instrument)
    {
        var folder = Path.Combine(_root.Path, instrument);
        var process = AgentProcess.Start(
            "run", $"--MidirEdge:Site={Site}", $"--MidirEdge:Instrument={instrument}",
            $"--MidirEdge:DataDir={Path.Combine(folder, "data")}", $"--MidirEdge:Models:Path={Path.Combine(folder, "models")}",
            $"--MidirEdge:Models:TrustedKeys:0={_trusted}", "--MidirEdge:Models:ReloadDelay=00:00:00.200",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}",
            "--MidirEdge:Mqtt:ReconnectMinDelay=00:00:00.200", "--MidirEdge:Mqtt:ReconnectMaxDelay=00:00:02",
            "--MidirEdge:Health:Enabled=false", "--MidirEdge:Fleet:Enabled=true", "--Logging:LogLevel:Default=Warning");
        _processes.Add(process);
        return process;
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Fleet(string command, string bundle, params string[] args) =>
        CliProcess.RunAsync(["fleet", command, bundle, "--broker", $"{_broker.Host}:{_broker.Port}", .. args]);

    private string Bundle(string name, Dictionary<string, byte[]> files) => DemoBundles.WriteZip(files, Path.Combine(_root.Path, name));

    /// <summary>Waits for the statuses, with a guard for twenty processes sharing two cores; never a timing assertion.</summary>
    private static Task<IReadOnlyList<MqttProbe.Received>> Until(MqttProbe probe, Func<IReadOnlyList<MqttProbe.Received>, bool> condition) =>
        Eventually.Async(() => probe.Messages, condition, guard: TimeSpan.FromMinutes(5));

    private static JsonElement? Latest(IReadOnlyList<MqttProbe.Received> messages, string instrument) =>
        messages.LastOrDefault(m => m.Topic == $"midir/{Site}/{instrument}/status")?.Json;

    private static bool Runs(IReadOnlyList<MqttProbe.Received> messages, string instrument, string version) =>
        Latest(messages, instrument) is { } s && s.GetProperty("state").GetString() == "online"
        && s.GetProperty("models").EnumerateArray().Any(m => m.GetProperty("name").GetString() == BundleId && m.GetProperty("version").GetString() == version);

    /// <summary>The table's rows that name an instrument of the site.</summary>
    private static IEnumerable<string> Rows(string stdout) => stdout.Split('\n').Where(l => l.Contains($"{Site}/i", StringComparison.Ordinal));
}
