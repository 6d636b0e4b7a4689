using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace MidirEdge.Cli.Demo;

/// <summary>
/// Subscribes to the agent's result and rejected topics like a dashboard would, prints each result and each rejected file
/// on the console, and a summary line when the demo stops.
/// </summary>
internal sealed class ResultPrinter(IOptions<MidirEdgeOptions> agent, IOptions<MqttOptions> mqtt, TextWriter output) : BackgroundService
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Stopwatch _running = Stopwatch.StartNew();
    private int _received;
    private int _rejected;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var topics = MqttTopics.Resolve(agent.Value, mqtt.Value);
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var reader = new Utf8JsonReader(e.ApplicationMessage.Payload);
            if (e.ApplicationMessage.Topic == topics.Rejected) PrintRejected(JsonSerializer.Deserialize(ref reader, DeliveryJson.Default.RejectedMessage)!);
            else Print(JsonSerializer.Deserialize(ref reader, DeliveryJson.Default.ResultMessage)!);
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
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(topics.Result, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(topics.Rejected, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), stoppingToken).ConfigureAwait(false);
        lock (output) output.WriteLine($"Dashboard view: subscribed to {topics.Result} and {topics.Rejected} on {host}:{mqtt.Value.Port}");
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_client.IsConnected) await _client.DisconnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _client.Dispose();
        lock (output)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Demo summary: {_received} result(s) published, {_rejected} file(s) quarantined, {_running.Elapsed.TotalSeconds:0.0} s"));
    }

    private void Print(ResultMessage result)
    {
        lock (output) output.WriteLine($"[{++_received}] {result.SampleName ?? "?"}: {ResultText.Values(result.Predictions, result.Qc)}");
    }

    private void PrintRejected(RejectedMessage rejected)
    {
        lock (output) output.WriteLine($"[quarantined {++_rejected}] {Path.GetFileName(rejected.Source)}: {rejected.Reason}");
    }
}
