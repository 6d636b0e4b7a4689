using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Mqtt;

/// <summary>
/// The fleet broker of <c>install/mosquitto/</c> (TLS, password and client certificate, per-instrument ACL), as shipped,
/// against the agent's publisher on a real Mosquitto.
/// </summary>
public sealed class FleetBrokerTests : IDisposable
{
    private const string Shipped = "/etc/mosquitto/midir/";
    private static readonly string Folder = Path.GetFullPath(Path.Combine(Fixtures.Root, "..", "..", "install", "mosquitto"));

    private readonly TempDirectory _dir = new("fleet-broker");
    private readonly TestCertificates _certificates;
    private readonly MosquittoBroker _broker;
    private readonly int _tlsPort = Ports.Free();

    /// <summary>
    /// Starts Mosquitto with the shipped configuration and ACL (their paths moved to a temporary folder, the TLS listener to a
    /// free loopback port), plus the test's plain loopback listener for observers, which the same passwords and ACL govern.
    /// </summary>
    public FleetBrokerTests()
    {
        // The throw-away CA writes ca.pem, server.pem and server.key: the names the shipped configuration uses.
        _certificates = new TestCertificates(_dir.Path);
        MosquittoBroker.PasswordFile(_dir.Path, ("lab/alpha1", "alpha"), ("lab/beta2", "beta"), ("fleet", "fleet"));
        File.Copy(Path.Combine(Folder, "acl"), Path.Combine(_dir.Path, "acl"));

        var config = File.ReadAllText(Path.Combine(Folder, "mosquitto.conf"))
            .Replace(Shipped, _dir.Path + "/", StringComparison.Ordinal)
            .Replace("listener 8883", $"listener {_tlsPort} 127.0.0.1", StringComparison.Ordinal);
        Assert.Contains(_dir.Path + "/acl", config, StringComparison.Ordinal);
        _broker = new MosquittoBroker($"user {Environment.UserName}\n{config}\n", allowAnonymous: false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    /// <summary>An instrument with its certificate and password publishes its own result and status over TLS.</summary>
    [Fact]
    public async Task An_instrument_publishes_its_own_subtree_over_tls()
    {
        await using var fleet = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/#", "fleet", "fleet");
        var mqtt = Instrument("lab/alpha1", "alpha");
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"));
        using var publisher = TestData.Publisher(cache, mqtt, TimeProvider.System);
        await publisher.StartAsync(CancellationToken.None);
        var spectrum = TestData.Spectrum(3);
        var result = TestData.Conclusion(spectrum);

        TestData.Delivery(cache, mqtt).Submit([(result, spectrum)]);

        var received = await fleet.WaitUntilAsync(m => m.Any(x => x.Topic == "midir/lab/alpha1/result"));
        Assert.Contains(received, m => m.Topic == "midir/lab/alpha1/status");
        await Eventually.True(() => cache.Outbox.Depth == 0);
        await publisher.StopAsync(CancellationToken.None);
    }

    /// <summary>An instrument that publishes into another's subtree is refused; its result stays in its outbox.</summary>
    [Fact]
    public async Task An_instrument_cannot_write_another_instruments_subtree()
    {
        await using var fleet = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/#", "fleet", "fleet");
        var mqtt = Instrument("lab/alpha1", "alpha");
        mqtt.Topic = "midir/lab/beta2/result";
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"), time);
        cache.Outbox.Enqueue(mqtt.Topic, "{\"forged\":true}"u8.ToArray());
        var metrics = new AgentMetrics();
        using var publisher = TestData.Publisher(cache, mqtt, time, metrics: metrics);

        await publisher.StartAsync(CancellationToken.None);
        await fleet.WaitUntilAsync(m => m.Any(x => x.Topic == "midir/lab/alpha1/status"));
        await Eventually.True(() => TestData.Retries(metrics, "mqtt") >= 1);

        Assert.Equal(1, cache.Outbox.Depth);
        Assert.DoesNotContain(fleet.Messages, m => m.Topic.StartsWith("midir/lab/beta2/", StringComparison.Ordinal));
        await publisher.StopAsync(CancellationToken.None);
    }

    /// <summary>An instrument reads its own commands and not another's, whatever filter it subscribes with.</summary>
    [Fact]
    public async Task An_instrument_reads_only_its_own_commands()
    {
        await using var alpha = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/+/cmd/#", "lab/alpha1", "alpha");
        await using var fleet = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/+/cmd/#", "fleet", "fleet");

        await fleet.PublishAsync("midir/lab/beta2/cmd/status", "{}"u8.ToArray());
        await fleet.PublishAsync("midir/lab/alpha1/cmd/status", "{}"u8.ToArray());

        // The fleet's own subscription sees both in order, so alpha's broker-side delivery of the second is settled too.
        await fleet.WaitUntilAsync(m => m.Count(x => x.Topic.EndsWith("/cmd/status", StringComparison.Ordinal)) == 2);
        var seen = await alpha.WaitUntilAsync(m => m.Any(x => x.Topic == "midir/lab/alpha1/cmd/status"));
        Assert.DoesNotContain(seen, m => m.Topic == "midir/lab/beta2/cmd/status");
    }

    /// <summary>
    /// A wrong password is refused, and the agent waits out its back-off before the next attempt: with the clock stopped there
    /// is no second attempt, so a refused agent never hammers the broker.
    /// </summary>
    [Fact]
    public async Task A_wrong_password_backs_off_instead_of_reconnecting_in_a_loop()
    {
        var mqtt = Instrument("lab/alpha1", "wrong");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"), time);
        cache.Outbox.Enqueue("midir/lab/alpha1/result", [1]);
        var metrics = new AgentMetrics();
        using var publisher = TestData.Publisher(cache, mqtt, time, metrics: metrics);

        await publisher.StartAsync(CancellationToken.None);
        await Eventually.True(() => TestData.Retries(metrics, "mqtt") >= 1);
        var refused = TestData.Retries(metrics, "mqtt");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(refused, TestData.Retries(metrics, "mqtt"));
        Assert.False(publisher.IsConnected);
        time.Advance(mqtt.ReconnectMaxDelay);
        await Eventually.True(() => TestData.Retries(metrics, "mqtt") > refused);
        Assert.Equal(1, cache.Outbox.Depth);
        await publisher.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// The shipped ACL lets the fleet operator command an instrument and the instrument answer: a real agent process over TLS with its
    /// password and certificate takes a signed bundle from <c>midir-edge fleet deploy</c>, run with the operator's TLS options.
    /// </summary>
    [Fact]
    public async Task The_fleet_operator_deploys_to_an_instrument_over_tls_through_the_acl()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var trusted = Path.Combine(_dir.Path, "trusted.pem");
        File.WriteAllText(trusted, key.ExportSubjectPublicKeyInfoPem());
        var signed = DemoBundles.WriteZip(DemoBundles.Edit(m => m["version"] = "1.3.0", key), Path.Combine(_dir.Path, "signed.zip"));
        await using var statuses = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/alpha1/status", "fleet", "fleet");
        using var agent = AgentProcess.Start("run", "--MidirEdge:Site=lab", "--MidirEdge:Instrument=alpha1",
            $"--MidirEdge:DataDir={Path.Combine(_dir.Path, "data")}", $"--MidirEdge:Models:Path={Path.Combine(_dir.Path, "models")}",
            $"--MidirEdge:Models:TrustedKeys:0={trusted}", "--MidirEdge:Mqtt:Host=127.0.0.1", $"--MidirEdge:Mqtt:Port={_tlsPort}",
            "--MidirEdge:Mqtt:UseTls=true", $"--MidirEdge:Mqtt:CaFile={_certificates.CaFile}",
            $"--MidirEdge:Mqtt:ClientCertificateFile={_certificates.ClientCertificateFile}", $"--MidirEdge:Mqtt:ClientKeyFile={_certificates.ClientKeyFile}",
            "--MidirEdge:Mqtt:Username=lab/alpha1", "--MidirEdge:Mqtt:Password=alpha", "--MidirEdge:Health:Enabled=false", "--MidirEdge:Fleet:Enabled=true");
        await statuses.WaitUntilAsync(m => m.Count > 0 && m[^1].Json.GetProperty("state").GetString() == "online");

        var (exit, stdout, stderr) = await CliProcess.RunAsync("fleet", "deploy", signed, "--to", "lab/alpha1", "--wait", "2m",
            "--broker", $"127.0.0.1:{_tlsPort}", "--tls", "--ca-file", _certificates.CaFile, "--cert", _certificates.ClientCertificateFile,
            "--key", _certificates.ClientKeyFile, "--username", "fleet", "--password", "fleet");

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}\n{agent.Output}\n{_broker.Log}");
        Assert.Contains("active", stdout, StringComparison.Ordinal);
        await statuses.WaitUntilAsync(m => m[^1].Json.GetProperty("models").EnumerateArray().Any(b => b.GetProperty("version").GetString() == "1.3.0"));
    }

    /// <summary>The agent's settings for one instrument of the fleet, as install/mosquitto/README.md gives them.</summary>
    private MqttOptions Instrument(string user, string password)
    {
        var mqtt = TestData.Mqtt("127.0.0.1", _tlsPort);
        mqtt.UseTls = true;
        mqtt.CaFile = _certificates.CaFile;
        mqtt.ClientCertificateFile = _certificates.ClientCertificateFile;
        mqtt.ClientKeyFile = _certificates.ClientKeyFile;
        mqtt.Username = user;
        mqtt.Password = password;
        return mqtt;
    }
}
