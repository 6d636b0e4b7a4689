using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MidirEdge.Agent.Tests.Fleet;

/// <summary>
/// The command topics of one real agent process (demo C 1.2.0 installed locally, unsigned, <c>RequireSignature</c> off) on a real
/// Mosquitto: MQTT 5 request/response, rollback, desired models it does not hold, <c>fleet status</c>, and the settings check.
/// </summary>
public sealed class FleetCommandTests : IDisposable
{
    private readonly TempDirectory _root = new("fleet-commands");
    private readonly MosquittoBroker _broker = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Kills what still runs and removes the folders.</summary>
    public void Dispose()
    {
        _broker.Dispose();
        _key.Dispose();
        _root.Dispose();
    }

    /// <summary>
    /// An install request is answered on its response topic with its correlation data (<c>accepted</c>, then <c>active</c>), even though
    /// the local folder accepts unsigned bundles; <c>fleet rollback</c> returns to 1.2.0 and retains it as desired; a desired bundle the
    /// agent does not hold is reported missing; <c>fleet status</c> shows the instrument.
    /// </summary>
    [Fact]
    public async Task Commands_are_answered_by_correlation_rollback_is_desired_and_missing_bundles_are_reported()
    {
        var models = Directory.CreateDirectory(Path.Combine(_root.Path, "models")).FullName;
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(models, "demo-yamsys-C.zip"));
        var trusted = Path.Combine(_root.Path, "trusted.pem");
        File.WriteAllText(trusted, _key.ExportSubjectPublicKeyInfoPem());
        await using var statuses = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/alpha/status");
        using var agent = AgentProcess.Start("run", "--MidirEdge:Site=lab", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}", $"--MidirEdge:Models:Path={models}", $"--MidirEdge:Models:TrustedKeys:0={trusted}",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}", "--MidirEdge:Health:Enabled=false",
            "--MidirEdge:Fleet:Enabled=true");
        await statuses.WaitUntilAsync(m => Runs(m, "1.2.0"));

        // A raw MQTT 5 request, as any client may send one.
        using var requester = new MqttClientFactory().CreateMqttClient();
        var replies = new List<(string Payload, byte[] Correlation)>();
        requester.ApplicationMessageReceivedAsync += e =>
        {
            lock (replies) replies.Add((Encoding.UTF8.GetString(e.ApplicationMessage.Payload), e.ApplicationMessage.CorrelationData));
            return Task.CompletedTask;
        };
        await requester.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port).WithProtocolVersion(MqttProtocolVersion.V500).Build());
        await requester.SubscribeAsync("midir/lab/alpha/reply/test", MqttQualityOfServiceLevel.AtLeastOnce);
        var correlation = RandomNumberGenerator.GetBytes(16);
        var signed = DemoBundles.WriteZip(DemoBundles.Edit(m => m["version"] = "1.3.0", _key), Path.Combine(_root.Path, "signed.zip"));
        await requester.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("midir/lab/alpha/cmd/models/install")
            .WithPayload(await File.ReadAllBytesAsync(signed)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithResponseTopic("midir/lab/alpha/reply/test").WithCorrelationData(correlation).Build());
        var answered = await Eventually.Async(() => { lock (replies) return replies.ToArray(); }, r => r.Length >= 2);
        Assert.All(answered, r => Assert.Equal(correlation, r.Correlation));
        Assert.Equal("accepted", Json(answered[0].Payload).GetProperty("outcome").GetString());
        var active = Json(answered[1].Payload);
        Assert.Equal("active", active.GetProperty("outcome").GetString());
        Assert.Equal("1.3.0", active.GetProperty("version").GetString());
        await statuses.WaitUntilAsync(m => Runs(m, "1.3.0"));

        var rollback = await Fleet("rollback", "demo-yamsys-C", "--to", "lab/+", "--wait", "2m");
        Assert.True(rollback.ExitCode == 0, $"exit {rollback.ExitCode}\n{rollback.Stdout}\n{rollback.Stderr}\n{agent.Output}");
        Assert.Contains("1.2.0", rollback.Stdout, StringComparison.Ordinal);
        var back = await statuses.WaitUntilAsync(m => Runs(m, "1.2.0"));
        var sha = Latest(back).GetProperty("models")[0].GetProperty("sha256").GetString();
        await using (var desired = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/alpha/models/desired"))
        {
            var retained = await desired.WaitUntilAsync(m => m.Count == 1);
            Assert.Equal(sha, retained[0].Json.GetProperty("bundles")[0].GetProperty("sha256").GetString());
        }

        // A rollback with nothing before 1.2.0 is refused, and says so.
        var nothing = await Fleet("rollback", "demo-yamsys-C", "--to", "lab/alpha", "--wait", "2m");
        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains("no previous version", nothing.Stdout, StringComparison.Ordinal);

        // Desired, never sent: reported missing in the status.
        await requester.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("midir/lab/alpha/models/desired").WithRetainFlag(true)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithPayload($$"""{"schema":"midir-edge/desired-models/1","bundles":[{"id":"demo-yamsys-N","version":"2.0.0","sha256":"{{new string('a', 64)}}"}]}""")
            .Build());
        await statuses.WaitUntilAsync(m => Latest(m).GetProperty("missingBundles").EnumerateArray().Any(b => b.GetString() == "demo-yamsys-N@2.0.0"));

        var status = await CliProcess.RunAsync("fleet", "status", "--broker", $"{_broker.Host}:{_broker.Port}", "--site", "lab");
        Assert.True(status.ExitCode == 0, status.Stderr);
        var row = Assert.Single(status.Stdout.Split('\n'), l => l.Contains("lab/alpha", StringComparison.Ordinal));
        foreach (var cell in new[] { "online", "demo-yamsys-C 1.2.0", "demo-yamsys-N@2.0.0" })
            Assert.Contains(cell, row, StringComparison.Ordinal);
        await requester.DisconnectAsync();
    }

    /// <summary>Commands on but no trusted key, or no external broker: the agent does not start, and says which key (exit 2).</summary>
    [Fact]
    public async Task Fleet_commands_need_a_trusted_key_and_an_external_broker()
    {
        var (exit, _, stderr) = await CliProcess.RunAsync("run", $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}",
            "--MidirEdge:Health:Enabled=false", "--MidirEdge:Fleet:Enabled=true", $"--MidirEdge:Mqtt:Port={Ports.Free()}");
        Assert.Equal(2, exit);
        Assert.Contains("MidirEdge:Models:TrustedKeys lists no key", stderr, StringComparison.Ordinal);
        Assert.Contains("MidirEdge:Mqtt:Host is empty", stderr, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Fleet(params string[] args) =>
        CliProcess.RunAsync(["fleet", .. args, "--broker", $"{_broker.Host}:{_broker.Port}"]);

    private static JsonElement Json(string payload) => JsonDocument.Parse(payload).RootElement;

    private static JsonElement Latest(IReadOnlyList<MqttProbe.Received> messages) => messages[^1].Json;

    private static bool Runs(IReadOnlyList<MqttProbe.Received> messages, string version) =>
        messages.Count > 0 && Latest(messages).GetProperty("state").GetString() == "online"
        && Latest(messages).GetProperty("models").EnumerateArray().Any(m => m.GetProperty("version").GetString() == version);
}
