using Microsoft.Extensions.Time.Testing;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Mqtt;

/// <summary>TLS with a private CA, a client certificate and username/password, against a real Mosquitto broker.</summary>
public sealed class SecureConnectionTests : IDisposable
{
    private const string User = "agent";
    private const string Password = "s3cret";
    private readonly TempDirectory _dir = new("tls");
    private readonly TestCertificates _certificates;
    private readonly MosquittoBroker _broker;
    private readonly int _tlsPort = Ports.Free();

    /// <summary>Starts a broker with a plain listener for the test's subscriber and a TLS listener that requires a client certificate.</summary>
    public SecureConnectionTests()
    {
        _certificates = new TestCertificates(_dir.Path);
        var passwords = MosquittoBroker.PasswordFile(_dir.Path, (User, Password));
        _broker = new MosquittoBroker(
            $"""
            password_file {passwords}
            user {Environment.UserName}
            listener {_tlsPort} 127.0.0.1
            cafile {_certificates.CaFile}
            certfile {_certificates.ServerCertificateFile}
            keyfile {_certificates.ServerKeyFile}
            require_certificate true

            """,
            allowAnonymous: false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    /// <summary>With the CA, a client certificate and credentials the agent connects over TLS and its result arrives.</summary>
    [Fact]
    public async Task Delivers_over_tls_with_client_certificate_and_password()
    {
        var mqtt = SecureOptions();
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"));
        await using var subscriber = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/#", User, Password);
        using var publisher = TestData.Publisher(cache, mqtt, TimeProvider.System);
        await publisher.StartAsync(CancellationToken.None);
        var spectrum = TestData.Spectrum(11);
        var result = TestData.Conclusion(spectrum);

        TestData.Delivery(cache, mqtt).Submit([(result, spectrum)]);

        var received = await subscriber.WaitUntilAsync(m => m.Any(x => x.Topic.EndsWith("/result", StringComparison.Ordinal)));
        Assert.Equal(result.Id, received.First(x => x.Topic.EndsWith("/result", StringComparison.Ordinal)).Json.GetProperty("id").GetString());
        await Eventually.True(() => cache.Outbox.Depth == 0);
        await publisher.StopAsync(CancellationToken.None);
    }

    /// <summary>A wrong password, a missing client certificate or an untrusted CA keeps the agent out and the result in the outbox.</summary>
    [Theory]
    [InlineData("password")]
    [InlineData("no-client-certificate")]
    [InlineData("untrusted-ca")]
    public async Task Refused_connections_keep_the_result_queued(string fault)
    {
        var mqtt = SecureOptions();
        switch (fault)
        {
            case "password":
                mqtt.Password = "wrong";
                break;
            case "no-client-certificate":
                mqtt.ClientCertificateFile = "";
                mqtt.ClientKeyFile = "";
                break;
            case "untrusted-ca":
                mqtt.CaFile = new TestCertificates(Directory.CreateDirectory(Path.Combine(_dir.Path, "other")).FullName).CaFile;
                break;
        }
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"), time);
        cache.Outbox.Enqueue("midir/lab/alpha1/result", [1]);
        var metrics = new AgentMetrics();
        using var publisher = TestData.Publisher(cache, mqtt, time, metrics: metrics);

        await publisher.StartAsync(CancellationToken.None);
        await Eventually.True(() => TestData.Retries(metrics, "mqtt") >= 1);

        Assert.False(publisher.IsConnected);
        Assert.Equal(1, cache.Outbox.Depth);
        await publisher.StopAsync(CancellationToken.None);
    }

    private MqttOptions SecureOptions()
    {
        var mqtt = TestData.Mqtt("127.0.0.1", _tlsPort);
        mqtt.UseTls = true;
        mqtt.CaFile = _certificates.CaFile;
        mqtt.ClientCertificateFile = _certificates.ClientCertificateFile;
        mqtt.ClientKeyFile = _certificates.ClientKeyFile;
        mqtt.Username = User;
        mqtt.Password = Password;
        return mqtt;
    }
}
