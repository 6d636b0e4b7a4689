using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Health;

/// <summary>The health tests start whole hosts (one with its own embedded broker); they run alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(HealthHosts), DisableParallelization = true)]
public sealed class HealthHosts;

/// <summary>The host wired by <see cref="HealthServiceCollectionExtensions.AddMidirEdgeHealth"/>, queried over HTTP on loopback.</summary>
[Collection(nameof(HealthHosts))]
public sealed class HealthServerTests : IDisposable
{
    private const string AnyLoopbackPort = "http://127.0.0.1:0";
    private readonly TempDirectory _dir = new("health");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <inheritdoc />
    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    /// <summary>A fresh agent is healthy; /healthz gives the small JSON without delivery fields when there is no delivery.</summary>
    [Fact]
    public async Task Healthz_reports_healthy_with_version_uptime_and_last_spectrum()
    {
        using var host = BuildHost(new() { ["MidirEdge:Health:Url"] = AnyLoopbackPort }, withDelivery: false);
        await host.StartAsync();
        var url = Url(host);

        using (var before = await _http.GetAsync($"{url}/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Equal("application/json", before.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(await before.Content.ReadAsStringAsync());
            Assert.Equal("healthy", json.RootElement.GetProperty("status").GetString());
            Assert.Equal(AgentStatus.Version, json.RootElement.GetProperty("version").GetString());
            Assert.True(json.RootElement.GetProperty("uptimeSeconds").GetDouble() >= 0);
            Assert.False(json.RootElement.TryGetProperty("lastSpectrumUtc", out _));
            Assert.False(json.RootElement.TryGetProperty("outboxDepth", out _));
            Assert.False(json.RootElement.TryGetProperty("mqttConnected", out _));
        }

        host.Services.GetRequiredService<AgentMetrics>().SpectrumProcessed(TestData.Conclusion(TestData.Spectrum(1)));
        using var after = JsonDocument.Parse(await _http.GetStringAsync($"{url}/healthz"));
        Assert.Equal("2026-11-24T23:59:00.000Z", after.RootElement.GetProperty("lastSpectrumUtc").GetString());
        await host.StopAsync();
    }

    /// <summary>What the pipeline reports appears on /metrics in the Prometheus text format.</summary>
    [Fact]
    public async Task Metrics_exports_what_the_pipeline_reported()
    {
        using var host = BuildHost(new() { ["MidirEdge:Health:Url"] = AnyLoopbackPort }, withDelivery: false);
        await host.StartAsync();
        var url = Url(host);
        var metrics = host.Services.GetRequiredService<AgentMetrics>();

        var result = TestData.Conclusion(TestData.Spectrum(2)) with { Qc = new QcSummary(false, [new QcFlag(QcCheckKind.Noise), new QcFlag(QcCheckKind.Coverage, "demo-yamsys-C")]) };
        metrics.SpectrumProcessed(result);
        metrics.SpectrumProcessed(result with { ProcessingMs = 2500 });
        metrics.SpectrumFailed(SpectrumFailure.Qc);
        metrics.SpectrumFailed(SpectrumFailure.Qc);
        metrics.SpectrumFailed(SpectrumFailure.Unreadable);
        metrics.Queued(7);

        using var response = await _http.GetAsync($"{url}/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(2, samples["midir_spectra_processed_total"]);
        Assert.Equal(2, samples["midir_spectra_failed_total{reason=\"qc\"}"]);
        Assert.Equal(1, samples["midir_spectra_failed_total{reason=\"unreadable\"}"]);
        Assert.Equal(0, samples["midir_spectra_failed_total{reason=\"prediction\"}"]);
        Assert.Equal(7, samples["midir_pipeline_queued"]);
        Assert.Equal(2, samples["midir_predictions_total{model=\"pls-C\",version=\"3\"}"]);
        Assert.Equal(2, samples["midir_predictions_total{model=\"pls-pH\",version=\"1\"}"]);
        Assert.Equal(2, samples["midir_qc_flags_total{check=\"noise\"}"]);
        Assert.Equal(2, samples["midir_qc_flags_total{check=\"coverage\"}"]);
        Assert.Equal(result.ProcessedUtc.ToUnixTimeSeconds(), samples["midir_last_spectrum_timestamp_seconds"]);
        Assert.Equal(2, samples["midir_prediction_duration_seconds_count"]);
        Assert.Equal(0.0417 + 2.5, samples["midir_prediction_duration_seconds_sum"], 1e-9);
        Assert.Equal(1, samples["midir_prediction_duration_seconds_bucket{le=\"0.08\"}"]);
        Assert.Equal(2, samples["midir_prediction_duration_seconds_bucket{le=\"+Inf\"}"]);
        Assert.False(samples.ContainsKey("midir_outbox_depth"), "no outbox without delivery");
        await host.StopAsync();
    }

    /// <summary>
    /// With delivery wired to a broker that is not there, the outbox over its limit and the publisher disconnected longer than
    /// allowed make /healthz answer 503 and say why; /metrics shows the depth and the lost connection.
    /// </summary>
    [Fact]
    public async Task Healthz_answers_503_when_the_outbox_grows_and_the_broker_is_gone()
    {
        using var host = BuildHost(new()
        {
            ["MidirEdge:DataDir"] = _dir.Path,
            // Port 1 on loopback: refused at once, and unlike a port that was free a moment ago no other test's broker can take it.
            ["MidirEdge:Mqtt:Host"] = "127.0.0.1",
            ["MidirEdge:Mqtt:Port"] = "1",
            ["MidirEdge:Health:Url"] = AnyLoopbackPort,
            ["MidirEdge:Health:MaxOutboxDepth"] = "2",
            ["MidirEdge:Health:MaxDisconnected"] = "00:00:00",
        }, withDelivery: true);
        // Filled before the publisher runs: the test is about health, not about enqueueing while it retries.
        var outbox = host.Services.GetRequiredService<Outbox>();
        for (var i = 0; i < 3; i++) outbox.Enqueue("midir/t/result", [1, 2, 3]);
        await host.StartAsync();
        var url = Url(host);

        using var response = await _http.GetAsync($"{url}/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unhealthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("outboxDepth").GetInt32());
        Assert.False(json.RootElement.GetProperty("mqttConnected").GetBoolean());
        var problems = json.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToArray();
        Assert.Equal(2, problems.Length);
        Assert.StartsWith("outbox holds 3 messages", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("MQTT publisher disconnected", problems[1], StringComparison.Ordinal);

        var samples = Parse(await _http.GetStringAsync($"{url}/metrics"));
        Assert.Equal(3, samples["midir_outbox_depth"]);
        Assert.Equal(0, samples["midir_mqtt_connected"]);
        await host.StopAsync();
    }

    /// <summary>With delivery to the embedded broker the agent reports the empty outbox and the live connection, and stays healthy.</summary>
    [Fact]
    public async Task Healthz_reports_outbox_and_connection_with_delivery()
    {
        using var host = BuildHost(new()
        {
            ["MidirEdge:DataDir"] = _dir.Path,
            ["MidirEdge:Mqtt:Host"] = "",
            ["MidirEdge:Mqtt:Port"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["MidirEdge:Health:Url"] = AnyLoopbackPort,
        }, withDelivery: true);
        await host.StartAsync();
        var url = Url(host);
        var publisher = host.Services.GetServices<IHostedService>().OfType<MqttPublisher>().Single();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!publisher.IsConnected) await Task.Delay(20, timeout.Token);

        using var response = await _http.GetAsync($"{url}/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, json.RootElement.GetProperty("outboxDepth").GetInt32());
        Assert.True(json.RootElement.GetProperty("mqttConnected").GetBoolean());
        Assert.Equal(1, Parse(await _http.GetStringAsync($"{url}/metrics"))["midir_mqtt_connected"]);
        await host.StopAsync();
    }

    /// <summary>Disabled, nothing listens.</summary>
    [Fact]
    public async Task Disabled_health_serves_nothing()
    {
        var port = Ports.Free();
        using var host = BuildHost(new() { ["MidirEdge:Health:Url"] = $"http://127.0.0.1:{port}", ["MidirEdge:Health:Enabled"] = "false" }, withDelivery: false);
        await host.StartAsync();

        Assert.Null(host.Services.GetRequiredService<HealthServer>().Address);
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync($"http://127.0.0.1:{port}/healthz"));
        await host.StopAsync();
    }

    /// <summary>A URL with a path or another scheme, or a limit that is not positive, is refused on start, naming the key.</summary>
    [Theory]
    [InlineData("MidirEdge:Health:Url", "https://127.0.0.1:9464/health")]
    [InlineData("MidirEdge:Health:MaxOutboxDepth", "0")]
    [InlineData("MidirEdge:Health:MaxOutboxAge", "00:00:00")]
    [InlineData("MidirEdge:Health:MaxStall", "-00:00:01")]
    public async Task Invalid_options_stop_the_host_from_starting(string key, string value)
    {
        using var host = BuildHost(new() { [key] = value }, withDelivery: false);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(error.Failures, f => f.StartsWith(key, StringComparison.Ordinal));
    }

    private static string Url(IHost host)
    {
        var address = host.Services.GetRequiredService<HealthServer>().Address;
        Assert.NotNull(address);
        Assert.Equal("127.0.0.1", address.Host);
        return address.ToString().TrimEnd('/');
    }

    private static IHost BuildHost(Dictionary<string, string?> settings, bool withDelivery)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        if (withDelivery) builder.Services.AddMidirEdgeDelivery(builder.Configuration);
        builder.Services.AddMidirEdgeHealth(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Samples of a Prometheus text exposition by series (name and labels as written); comments skipped.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#')) continue;
            var space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return samples;
    }
}
