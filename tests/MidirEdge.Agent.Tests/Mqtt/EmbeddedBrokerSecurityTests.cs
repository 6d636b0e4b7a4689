using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Mqtt;

/// <summary>
/// The agent's embedded broker tried with real clients (MQTTnet, the stock mosquitto_sub and mosquitto_pub)
/// against the broker of a real agent host or process.
/// </summary>
public sealed class EmbeddedBrokerSecurityTests : IDisposable
{
    private const string ResultTopic = "midir/farm/ftir2/result";
    private const string StatusTopic = "midir/farm/ftir2/status";
    private readonly TempDirectory _dir = new("broker-security");
    private readonly int _port = Ports.Free();

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    private string Port => _port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A stock <c>mosquitto_sub -t '#' -v</c> sends no client id (MQTT 3.1.1 with a clean session, or MQTT 5); the broker
    /// names it, as both versions allow, and it receives the retained status and a result.
    /// </summary>
    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task A_stock_mosquitto_sub_without_a_client_id_receives_the_status_and_results(string protocol)
    {
        using var host = await StartAgentAsync();
        using var subscriber = MosquittoSub("-V", protocol, "-h", "127.0.0.1", "-p", Port, "-t", "#", "-v");

        var result = Submit(host, 1);

        await Eventually.True(() => subscriber.Log.Contains(ResultTopic + " {", StringComparison.Ordinal));
        Assert.Contains(subscriber.Log.Split('\n'), line => line.StartsWith(ResultTopic + " {", StringComparison.Ordinal) && line.Contains(result.Id, StringComparison.Ordinal));
        Assert.Contains(subscriber.Log.Split('\n'), line => line.StartsWith(StatusTopic + " {", StringComparison.Ordinal) && line.Contains("\"online\"", StringComparison.Ordinal));
    }

    private async Task<IHost> StartAgentAsync(params (string Key, string Value)[] mqtt)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MidirEdge:Site"] = "farm",
            ["MidirEdge:Instrument"] = "ftir2",
            ["MidirEdge:DataDir"] = _dir.Path,
            ["MidirEdge:Mqtt:Host"] = "",
            ["MidirEdge:Mqtt:Port"] = Port,
        };
        foreach (var (key, value) in mqtt) settings["MidirEdge:Mqtt:" + key] = value;
        var host = EmbeddedBrokerTests.BuildHost(settings);
        await host.StartAsync();
        await Eventually.True(() => Publisher(host).IsConnected);
        // Once a subscriber has seen the status, every later one finds it retained (the probe speaks plain TCP only).
        if (!settings.ContainsKey("MidirEdge:Mqtt:EmbeddedCertificateFile"))
            await (await StatusSubscriberAsync(settings.GetValueOrDefault("MidirEdge:Mqtt:EmbeddedUsername"), settings.GetValueOrDefault("MidirEdge:Mqtt:EmbeddedPassword"))).DisposeAsync();
        return host;
    }

    private static MqttPublisher Publisher(IHost host) => host.Services.GetServices<IHostedService>().OfType<MqttPublisher>().Single();

    private static ResultMessage Submit(IHost host, int seed)
    {
        var spectrum = TestData.Spectrum(seed);
        var result = TestData.Result(spectrum) with { Site = "farm", Instrument = "ftir2" };
        host.Services.GetRequiredService<ResultDelivery>().Submit(result, spectrum);
        return result;
    }

    /// <summary>
    /// A subscriber to the status topic that has received the agent's status. One that subscribes while the status is being
    /// published can miss it (MQTTnet reads the retained messages before it adds the subscription), so fresh ones are tried
    /// until one has it; from then on every subscriber finds it retained.
    /// </summary>
    private async Task<MqttProbe> StatusSubscriberAsync(string? username = null, string? password = null)
    {
        using var guard = new CancellationTokenSource(MqttProbe.Guard);
        while (true)
        {
            var probe = await MqttProbe.ConnectAsync("127.0.0.1", _port, StatusTopic, username, password);
            for (var poll = 0; poll < 50 && probe.Messages.Count == 0; poll++) await Task.Delay(20, CancellationToken.None);
            if (probe.Messages.Count > 0) return probe;
            await probe.DisposeAsync();
            guard.Token.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// mosquitto_sub (Debian package <c>mosquitto-clients</c>) with debug output, returned once it is subscribed; line-buffered
    /// (coreutils stdbuf), since into a pipe it would otherwise print nothing until it exits.
    /// </summary>
    private static ChildProcess MosquittoSub(params string[] args) =>
        ChildProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-d", .. args], c => c.Log.Contains("received SUBACK", StringComparison.Ordinal),
            "mosquitto_sub did not subscribe");
}
