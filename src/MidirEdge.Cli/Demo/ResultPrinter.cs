using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent;
using MidirEdge.Agent.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace MidirEdge.Cli.Demo;

/// <summary>Subscribes to the agent's result topic like a dashboard would and prints each result on the console.</summary>
internal sealed class ResultPrinter(IOptions<MidirEdgeOptions> agent, IOptions<MqttOptions> mqtt, TextWriter output) : BackgroundService
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    /// <summary>Results printed so far.</summary>
    public int Received { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var topics = MqttTopics.Resolve(agent.Value, mqtt.Value);
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Print(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        var host = string.IsNullOrEmpty(mqtt.Value.Host) ? "127.0.0.1" : mqtt.Value.Host;
        var options = new MqttClientOptionsBuilder().WithTcpServer(host, mqtt.Value.Port).WithClientId("midir-edge-demo-console").Build();
        while (!_client.IsConnected)
        {
            try
            {
                await _client.ConnectAsync(options, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(500, stoppingToken).ConfigureAwait(false);
            }
        }
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topics.Result, MqttQualityOfServiceLevel.AtLeastOnce).Build(), stoppingToken)
            .ConfigureAwait(false);
        output.WriteLine($"Dashboard view: subscribed to {topics.Result} on {host}:{mqtt.Value.Port}");
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_client.IsConnected) await _client.DisconnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _client.Dispose();
    }

    private void Print(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"[{++Received}] {(root.TryGetProperty("sampleName", out var name) ? name.GetString() : "?")}:");
        foreach (var p in root.GetProperty("predictions").EnumerateArray())
        {
            var unit = p.TryGetProperty("unit", out var u) && u.GetString() is { Length: > 0 } text && text != p.GetProperty("target").GetString() ? " " + text : "";
            var range = p.TryGetProperty("interval", out var i)
                ? string.Create(CultureInfo.InvariantCulture, $" [{i.GetProperty("lower").GetDouble():0.##}–{i.GetProperty("upper").GetDouble():0.##} at {i.GetProperty("level").GetDouble():0%}]")
                : "";
            var flags = new List<string>();
            if (!p.GetProperty("inDomain").GetBoolean()) flags.Add("outside domain");
            if (p.TryGetProperty("quality", out var quality) && quality.GetString() == "indicative") flags.Add("indicative");
            var flag = flags.Count == 0 ? "" : $" ({string.Join(", ", flags)})";
            line.Append(CultureInfo.InvariantCulture, $"  {p.GetProperty("target").GetString()} {p.GetProperty("value").GetDouble():0.##}{unit}{range}{flag}");
        }
        var qc = root.GetProperty("qc");
        if (!qc.GetProperty("passed").GetBoolean())
            line.Append(CultureInfo.InvariantCulture, $"  QC: {string.Join(", ", qc.GetProperty("flags").EnumerateArray().Select(f => f.GetString()))}");
        lock (output) output.WriteLine(line.ToString());
    }
}
