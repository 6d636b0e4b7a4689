using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Delivery;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MidirEdge.Agent.Tests.Mqtt;

/// <summary>
/// Who may do what on the agent's embedded broker, tried with real clients (MQTTnet, the stock mosquitto_sub and
/// mosquitto_pub) against the broker of a real agent host or process.
/// </summary>
public sealed class EmbeddedBrokerSecurityTests : IDisposable
{
    private const string ResultTopic = "midir/farm/ftir2/result";
    private const string StatusTopic = "midir/farm/ftir2/status";
    private const string AgentClientId = "midir-edge-farm-ftir2";
    private const string FakeStatus = """{"state":"offline","site":"farm","instrument":"ftir2"}""";
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

    /// <summary>Without a password the broker is read-only for everyone but the agent: a fake result or status is refused and the retained status stays the agent's.</summary>
    [Fact]
    public async Task Anonymous_clients_cannot_publish_results_or_overwrite_the_retained_status()
    {
        using var host = await StartAgentAsync();
        await using var watcher = await MqttProbe.ConnectAsync("127.0.0.1", _port, "#");
        using var intruder = await ConnectAsync("intruder");

        var status = await intruder.PublishAsync(Message(StatusTopic, FakeStatus, retain: true));
        var result = await intruder.PublishAsync(Message(ResultTopic, """{"id":"fake"}"""));
        var elsewhere = await intruder.PublishAsync(Message("dashboards/notes", "hello"));
        // The stock client (MQTT 3.1.1 has no refusal code for a publish: it is acknowledged and dropped).
        var (exit, output) = await RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", Port, "-q", "1", "-r", "-t", StatusTopic, "-m", FakeStatus);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, status.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, elsewhere.ReasonCode);
        Assert.True(exit == 0, output);
        Assert.Equal("online", await RetainedStateAsync());
        Assert.DoesNotContain(watcher.Messages, m => m.Topic != StatusTopic || m.Payload == FakeStatus);
    }

    /// <summary>
    /// With <c>EmbeddedWebSocketPort</c> set, a browser-style client (MQTT over WebSockets at <c>/mqtt</c>, MQTT 3.1.1 without a
    /// client id) is named by the broker, receives the retained status and the results, and is as read-only as a TCP client.
    /// </summary>
    [Fact]
    public async Task WebSocket_clients_read_under_the_same_rules()
    {
        var webSocketPort = Ports.Free();
        using var host = await StartAgentAsync(("EmbeddedWebSocketPort", webSocketPort.ToString(CultureInfo.InvariantCulture)));
        await using var watcher = await MqttProbe.ConnectAsync("127.0.0.1", _port, "#");
        using var browser = new MqttClientFactory().CreateMqttClient();
        var received = new System.Collections.Concurrent.ConcurrentQueue<MqttApplicationMessage>();
        browser.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        using var guard = new CancellationTokenSource(MqttProbe.Guard);
        var connected = await browser.ConnectAsync(new MqttClientOptionsBuilder()
            .WithWebSocketServer(o => o.WithUri($"ws://127.0.0.1:{webSocketPort}/mqtt"))
            .WithProtocolVersion(MqttProtocolVersion.V311).WithClientId("").WithCleanSession(true).Build(), guard.Token);
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        await browser.SubscribeAsync("midir/#", MqttQualityOfServiceLevel.AtLeastOnce, guard.Token);

        var result = Submit(host, 3);
        await Eventually.True(() => received.Any(m => m.Topic == ResultTopic && m.ConvertPayloadToString().Contains(result.Id, StringComparison.Ordinal)));
        Assert.Contains(received, m => m.Topic == StatusTopic && m.Retain);

        // MQTT 3.1.1 has no refusal code for a publish: acknowledged and dropped, so no one ever sees it.
        await browser.PublishAsync(Message(ResultTopic, """{"id":"fake-over-websockets"}"""), guard.Token);
        await watcher.WaitUntilAsync(m => m.Any(x => x.Topic == ResultTopic && x.Payload.Contains(result.Id, StringComparison.Ordinal)));
        Assert.DoesNotContain(watcher.Messages, m => m.Payload.Contains("fake-over-websockets", StringComparison.Ordinal));
        Assert.DoesNotContain(received, m => m.ConvertPayloadToString().Contains("fake-over-websockets", StringComparison.Ordinal));
    }

    /// <summary>A second client with the agent's client id is refused instead of taking over the agent's session; the agent keeps delivering.</summary>
    [Fact]
    public async Task Another_client_cannot_take_over_the_agents_client_id()
    {
        using var host = await StartAgentAsync();

        var refused = await RefusalAsync(AgentClientId);
        var (exit, output) = await RunAsync("mosquitto_sub", "-h", "127.0.0.1", "-p", Port, "-i", AgentClientId, "-t", "#", "-C", "1", "-W", "30");

        Assert.Contains(nameof(MqttClientConnectResultCode.ClientIdentifierNotValid), refused, StringComparison.Ordinal);
        Assert.True(exit != 0 && output.Contains("identifier rejected", StringComparison.OrdinalIgnoreCase), output);
        await using var subscriber = await MqttProbe.ConnectAsync("127.0.0.1", _port, ResultTopic);
        var result = Submit(host, 2);
        await subscriber.WaitUntilAsync(m => m.Any(x => x.Json.GetProperty("id").GetString() == result.Id));
        Assert.True(Publisher(host).IsConnected);
        Assert.Equal("online", await RetainedStateAsync());
    }

    /// <summary>With a user name and password set, clients without them or with a wrong password are refused; with them a client reads results and may publish outside the agent's topics.</summary>
    [Fact]
    public async Task With_a_password_set_only_clients_presenting_it_are_let_in()
    {
        using var host = await StartAgentAsync(("EmbeddedUsername", "dashboard"), ("EmbeddedPassword", "s3cret"));

        var anonymous = await RefusalAsync("anonymous");
        var wrong = await RefusalAsync("guesser", "dashboard", "wrong");
        var (exit, output) = await RunAsync("mosquitto_sub", "-h", "127.0.0.1", "-p", Port, "-t", "#", "-C", "1", "-W", "30");

        Assert.Contains(nameof(MqttClientConnectResultCode.BadUserNameOrPassword), anonymous, StringComparison.Ordinal);
        Assert.Contains(nameof(MqttClientConnectResultCode.BadUserNameOrPassword), wrong, StringComparison.Ordinal);
        Assert.True(exit != 0, output);
        await using var subscriber = await MqttProbe.ConnectAsync("127.0.0.1", _port, "midir/farm/ftir2/#", "dashboard", "s3cret");
        var result = Submit(host, 3);
        await subscriber.WaitUntilAsync(m => m.Any(x => x.Topic == ResultTopic && x.Json.GetProperty("id").GetString() == result.Id));
        using var dashboard = await ConnectAsync("dashboard-1", "dashboard", "s3cret");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await dashboard.PublishAsync(Message(StatusTopic, FakeStatus, retain: true))).ReasonCode);
        Assert.True((await dashboard.PublishAsync(Message("dashboards/notes", "hello"))).IsSuccess);
        Assert.Equal("online", await RetainedStateAsync("dashboard", "s3cret"));
    }

    /// <summary>With a certificate (PEM with its key, or PKCS#12) the broker speaks TLS only: the stock client trusting the CA receives results, a plain one is refused.</summary>
    [Theory]
    [InlineData("pem")]
    [InlineData("pkcs12")]
    public async Task With_a_certificate_the_broker_serves_tls(string format)
    {
        var certificates = new TestCertificates(_dir.Path);
        (string, string)[] settings = format == "pem"
            ? [("EmbeddedCertificateFile", certificates.ServerCertificateFile), ("EmbeddedKeyFile", certificates.ServerKeyFile)]
            : [("EmbeddedCertificateFile", Pkcs12(certificates, "p12-pass")), ("EmbeddedCertificatePassword", "p12-pass")];
        using var host = await StartAgentAsync(settings);
        using var subscriber = MosquittoSub("--cafile", certificates.CaFile, "-h", "127.0.0.1", "-p", Port, "-t", "#", "-v");

        var result = Submit(host, 4);

        await Eventually.True(() => subscriber.Log.Contains(result.Id, StringComparison.Ordinal));
        Assert.NotEqual(nameof(MqttClientConnectResultCode.Success), await RefusalAsync("plain"));
    }

    /// <summary>A certificate the broker cannot serve TLS with stops the agent at start with a message naming the key.</summary>
    [Theory]
    [InlineData("not-a-certificate")]
    [InlineData("key-of-another-certificate")]
    [InlineData("wrong-pkcs12-password")]
    public async Task An_unusable_certificate_fails_at_start_naming_the_key(string fault)
    {
        var certificates = new TestCertificates(_dir.Path);
        var settings = new Dictionary<string, string?> { ["MidirEdge:DataDir"] = _dir.Path, ["MidirEdge:Mqtt:Port"] = Port };
        switch (fault)
        {
            case "not-a-certificate":
                settings["MidirEdge:Mqtt:EmbeddedCertificateFile"] = certificates.ServerKeyFile;
                settings["MidirEdge:Mqtt:EmbeddedKeyFile"] = certificates.ServerKeyFile;
                break;
            case "key-of-another-certificate":
                settings["MidirEdge:Mqtt:EmbeddedCertificateFile"] = certificates.ServerCertificateFile;
                settings["MidirEdge:Mqtt:EmbeddedKeyFile"] = certificates.ClientKeyFile;
                break;
            case "wrong-pkcs12-password":
                settings["MidirEdge:Mqtt:EmbeddedCertificateFile"] = Pkcs12(certificates, "p12-pass");
                settings["MidirEdge:Mqtt:EmbeddedCertificatePassword"] = "wrong";
                break;
        }
        using var host = EmbeddedBrokerTests.BuildHost(settings);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var failures = (error is AggregateException all ? all.InnerExceptions : [error]).Cast<OptionsValidationException>().SelectMany(e => e.Failures);
        Assert.Contains(failures, f => f.StartsWith("MidirEdge:Mqtt:EmbeddedCertificateFile", StringComparison.Ordinal));
    }

    /// <summary>Another client's last will on the agent's status topic is not published: the retained status stays the agent's.</summary>
    [Fact]
    public async Task Another_clients_last_will_does_not_overwrite_the_status()
    {
        using var agent = StartAgentProcess();
        try
        {
            await Eventually.True(() => agent.Output.Contains("Connected to MQTT broker", StringComparison.Ordinal));
            await using var watcher = await StatusSubscriberAsync();

            // Killed rather than stopped: no DISCONNECT, so the broker owes the world its will.
            MosquittoSub("-i", "intruder", "-h", "127.0.0.1", "-p", Port, "-t", "nothing",
                "--will-topic", StatusTopic, "--will-payload", FakeStatus, "--will-retain", "--will-qos", "1").Dispose();

            await Eventually.True(() => watcher.Messages.Count > 1 || agent.Output.Contains("refused a publish from intruder", StringComparison.Ordinal));
            Assert.Single(watcher.Messages);
            Assert.Equal("online", await RetainedStateAsync());
        }
        catch (Exception ex) when (ex is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\nAgent output:\n{agent.Output}", ex);
        }
    }

    /// <summary>
    /// At start the agent logs its broker's address and a mosquitto_sub command; run exactly as printed (through a shell, quotes
    /// and all, with -C 1 to stop after one message) it receives the agent's retained status.
    /// </summary>
    [Fact]
    public async Task The_printed_mosquitto_sub_line_works_as_printed()
    {
        using var agent = StartAgentProcess();
        await Eventually.True(() => agent.Output.Contains("Connected to MQTT broker", StringComparison.Ordinal));
        var printed = Regex.Match(agent.Output, $"Embedded MQTT broker listening on 127\\.0\\.0\\.1:{_port} .*follow what the agent publishes with: (mosquitto_sub .*)$", RegexOptions.Multiline);
        Assert.True(printed.Success, agent.Output);
        Assert.Equal($"mosquitto_sub -h 127.0.0.1 -p {_port} -t 'midir/farm/ftir2/#' -v", printed.Groups[1].Value.Trim());

        var (exit, output) = await RunAsync("sh", "-c", printed.Groups[1].Value.Trim() + " -C 1 -W 30");

        await agent.TerminateAsync();
        Assert.True(exit == 0, output);
        Assert.StartsWith(StatusTopic + " {", output, StringComparison.Ordinal);
        Assert.Contains("\"online\"", output, StringComparison.Ordinal);
    }

    /// <summary>A user name and password for a broker reached over plain TCP, the embedded one or another, is warned about once at start.</summary>
    [Theory]
    [InlineData("embedded")]
    [InlineData("external")]
    public async Task Credentials_over_plain_tcp_are_warned_about_once(string broker)
    {
        using var mosquitto = broker == "external" ? new MosquittoBroker() : null;
        string[] settings = mosquitto is null
            ? ["--MidirEdge:Mqtt:EmbeddedUsername=dashboard", "--MidirEdge:Mqtt:EmbeddedPassword=s3cret"]
            : [$"--MidirEdge:Mqtt:Host={mosquitto.Host}", $"--MidirEdge:Mqtt:Port={mosquitto.Port}", "--MidirEdge:Mqtt:Username=agent", "--MidirEdge:Mqtt:Password=s3cret"];
        using var agent = StartAgentProcess(settings);

        await Eventually.True(() => agent.Output.Contains("Connected to MQTT broker", StringComparison.Ordinal));
        await agent.TerminateAsync();

        Assert.True(Regex.Count(agent.Output, "warn: .*\\n.*plain TCP") == 1, agent.Output);
    }

    private AgentProcess StartAgentProcess(params string[] settings) => AgentProcess.Start(
    [
        "run", "--MidirEdge:Site=farm", "--MidirEdge:Instrument=ftir2", $"--MidirEdge:DataDir={Path.Combine(_dir.Path, "data")}",
        "--MidirEdge:Mqtt:Host=", $"--MidirEdge:Mqtt:Port={Port}", "--MidirEdge:Health:Enabled=false", .. settings,
    ]);

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

    private static SpectrumResult Submit(IHost host, int seed)
    {
        var spectrum = TestData.Spectrum(seed);
        var result = TestData.Conclusion(spectrum);
        host.Services.GetRequiredService<ResultDelivery>().Submit([(result, spectrum)]);
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

    private async Task<string?> RetainedStateAsync(string? username = null, string? password = null)
    {
        await using var probe = await MqttProbe.ConnectAsync("127.0.0.1", _port, StatusTopic, username, password);
        var status = (await probe.WaitUntilAsync(m => m.Count > 0))[0];
        Assert.True(status.Retain);
        return status.Json.GetProperty("state").GetString();
    }

    /// <summary>An MQTT 5 client connected with a clean start; fails the test if the broker refuses it.</summary>
    private async Task<IMqttClient> ConnectAsync(string clientId, string? username = null, string? password = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var (code, result) = await TryConnectAsync(client, clientId, username, password);
        if (code == nameof(MqttClientConnectResultCode.Success)) return client;
        client.Dispose();
        throw new Xunit.Sdk.XunitException($"'{clientId}' was refused: {code} {result?.ReasonString}");
    }

    /// <summary>Why the broker refused a connection (a reason code such as "BadUserNameOrPassword", or the failure), or "Success".</summary>
    private async Task<string> RefusalAsync(string clientId, string? username = null, string? password = null)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        return (await TryConnectAsync(client, clientId, username, password)).Code;
    }

    private async Task<(string Code, MqttClientConnectResult? Result)> TryConnectAsync(IMqttClient client, string clientId, string? username, string? password)
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId).WithCleanStart(true);
        if (username is not null) options.WithCredentials(username, password);
        try
        {
            using var guard = new CancellationTokenSource(MqttProbe.Guard);
            var result = await client.ConnectAsync(options.Build(), guard.Token);
            return (result.ResultCode.ToString(), result);
        }
        catch (MqttCommunicationException ex)
        {
            return (ex.Message, null);
        }
    }

    private static MqttApplicationMessage Message(string topic, string payload, bool retain = false) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    /// <summary>
    /// mosquitto_sub (Debian package <c>mosquitto-clients</c>) with debug output, returned once it is subscribed; line-buffered
    /// (coreutils stdbuf), since into a pipe it would otherwise print nothing until it exits.
    /// </summary>
    private static ChildProcess MosquittoSub(params string[] args) =>
        ChildProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-d", .. args], c => c.Log.Contains("received SUBACK", StringComparison.Ordinal),
            "mosquitto_sub did not subscribe");

    private static async Task<(int ExitCode, string Output)> RunAsync(string executable, params string[] args)
    {
        var start = new ProcessStartInfo(executable, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(MqttProbe.Guard);
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private string Pkcs12(TestCertificates certificates, string password)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificates.ServerCertificateFile, certificates.ServerKeyFile);
        var path = Path.Combine(_dir.Path, "server.p12");
        File.WriteAllBytes(path, pem.Export(X509ContentType.Pkcs12, password));
        return path;
    }
}
