using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using MidirEdge.Agent.Adapters;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Profiles;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Health;

/// <summary>
/// The whole agent, with real folders, a socat serial port and a real Mosquitto broker, reports each condition that keeps
/// it from its job: <c>/healthz</c> and <c>/readyz</c> answer 503 naming it, and 200 again once it is gone; <c>/livez</c>
/// answers 503 only for a pipeline that hangs.
/// </summary>
[Collection(nameof(HealthHosts))]
public sealed class HealthProbeTests : IDisposable
{
    private readonly TempDirectory _root = new("health-probes");
    private readonly MosquittoBroker _broker = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <inheritdoc />
    public void Dispose()
    {
        _http.Dispose();
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>A fresh agent with a model and its inbox is healthy, ready and live.</summary>
    [Fact]
    public async Task A_working_agent_is_healthy_ready_and_live()
    {
        using var host = Agent(new() { ["MidirEdge:Adapters:inbox:Kind"] = "file-watch", ["MidirEdge:Adapters:inbox:Path"] = Folder("inbox"), ["MidirEdge:Adapters:inbox:Include:0"] = "*" });
        await host.StartAsync();
        try
        {
            await Eventually.Async(() => Get(host, "/healthz").GetAwaiter().GetResult(), r => r.Status == HttpStatusCode.OK);
            Assert.Equal((HttpStatusCode.OK, "{\"status\":\"ready\"}"), await Raw(host, "/readyz"));
            Assert.Equal((HttpStatusCode.OK, "{\"status\":\"live\"}"), await Raw(host, "/livez"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Without a model every result would be empty: not ready until a bundle is installed; alive all along.</summary>
    [Fact]
    public async Task No_model_makes_the_agent_not_ready_until_one_is_installed()
    {
        using var host = Agent([], withModel: false);
        await host.StartAsync();
        try
        {
            const string Problem = "models: none loaded, so results would carry no predictions; install a bundle into MidirEdge:Models:Path";
            var health = await Get(host, "/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
            Assert.Equal("unhealthy", health.Json.GetProperty("status").GetString());
            Assert.Equal([Problem], Problems(health.Json));
            var ready = await Get(host, "/readyz");
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "not ready"), (ready.Status, ready.Json.GetProperty("status").GetString()));
            Assert.Equal([Problem], Problems(ready.Json));
            Assert.Equal((HttpStatusCode.OK, "{\"status\":\"live\"}"), await Raw(host, "/livez"));

            File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(Folder("models"), "demo-yamsys-C.zip"));
            await Eventually.Async(() => Get(host, "/readyz").GetAwaiter().GetResult(), r => r.Status == HttpStatusCode.OK);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>An inbox folder that disappears (a share gone offline) is named until it is back.</summary>
    [Fact]
    public async Task A_missing_inbox_folder_is_named_until_it_is_back()
    {
        var inbox = Folder("inbox");
        using var host = Agent(new() { ["MidirEdge:Adapters:inbox:Kind"] = "file-watch", ["MidirEdge:Adapters:inbox:Path"] = inbox, ["MidirEdge:Adapters:inbox:Include:0"] = "*" });
        await host.StartAsync();
        try
        {
            await Eventually.Async(() => Get(host, "/healthz").GetAwaiter().GetResult(), r => r.Status == HttpStatusCode.OK);
            Directory.Delete(inbox);

            var health = await Get(host, "/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
            Assert.Equal([$"adapter inbox (file-watch): folder {inbox} does not exist; nothing is captured until it is back"], Problems(health.Json));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Get(host, "/readyz")).Status);
            Assert.Equal(HttpStatusCode.OK, (await Get(host, "/livez")).Status);

            Directory.CreateDirectory(inbox);
            Assert.Equal(HttpStatusCode.OK, (await Get(host, "/healthz")).Status);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>A serial port that goes away (USB unplugged) is named, with why it cannot be opened, until it is back.</summary>
    [Fact]
    public async Task A_closed_serial_port_is_named_until_it_is_back()
    {
        using var pair = new SocatPair();
        using var host = Agent(new()
        {
            ["MidirEdge:Adapters:alpha-serial:Kind"] = "serial",
            ["MidirEdge:Adapters:alpha-serial:Port"] = pair.A,
            ["MidirEdge:Adapters:alpha-serial:Profile"] = "generic-ascii-serial",
            ["MidirEdge:Adapters:alpha-serial:ReconnectMinDelay"] = "00:00:00.100",
            ["MidirEdge:Adapters:alpha-serial:ReconnectMaxDelay"] = "00:00:00.500",
        });
        await host.StartAsync();
        try
        {
            await Eventually.Async(() => Get(host, "/healthz").GetAwaiter().GetResult(), r => r.Status == HttpStatusCode.OK);
            pair.Kill();

            var health = await Eventually.Async(() => Get(host, "/healthz").GetAwaiter().GetResult(),
                r => r.Status == HttpStatusCode.ServiceUnavailable && Problems(r.Json).Any(p => p.Contains('(', StringComparison.Ordinal)));
            var problem = Assert.Single(Problems(health.Json));
            Assert.StartsWith($"adapter alpha-serial (serial): port {pair.A} is closed (", problem, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Get(host, "/readyz")).Status);
            Assert.Equal(HttpStatusCode.OK, (await Get(host, "/livez")).Status);

            pair.Start();
            await Eventually.Async(() => Get(host, "/healthz").GetAwaiter().GetResult(), r => r.Status == HttpStatusCode.OK);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// With the broker stopped, a message older than MaxOutboxAge (on a fake clock) is named; once the broker is back and the
    /// outbox drains the agent is healthy again.
    /// </summary>
    [Fact]
    public async Task An_outbox_message_older_than_MaxOutboxAge_is_named_until_it_is_delivered()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        _broker.Stop();
        using var host = Agent([], time: time);
        host.Services.GetRequiredService<Outbox>().Enqueue("midir/health/alpha/result", "{\"n\":1}"u8.ToArray());
        await host.StartAsync();
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await Get(host, "/healthz")).Status);

            time.Advance(TimeSpan.FromMinutes(11));
            var health = await Get(host, "/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
            Assert.Contains("outbox's oldest message has waited 660 s, longer than MidirEdge:Health:MaxOutboxAge (600 s)", Problems(health.Json));
            Assert.Equal(1, health.Json.GetProperty("outboxDepth").GetInt32());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Get(host, "/readyz")).Status);
            Assert.Equal(HttpStatusCode.OK, (await Get(host, "/livez")).Status);

            _broker.Start();
            // The publisher's back-off runs on the fake clock: moving it on lets the reconnect happen.
            await Eventually.Async(() => Get(host, "/healthz").GetAwaiter().GetResult(), r => r.Status == HttpStatusCode.OK,
                () => time.Advance(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>A floor above the free space of the data folder's disk is named (a problem starting <c>disk:</c>).</summary>
    [SkippableFact]
    public async Task Free_disk_below_the_floor_is_named()
    {
        const long Floor = 1024 * 1024;   // MB: the largest floor allowed
        Skip.If(new DriveInfo(_root.Path).AvailableFreeSpace >= Floor * 1024 * 1024, "this disk has more than 1 TB free");
        using var host = Agent(new() { ["MidirEdge:Cache:MinFreeMegabytes"] = Floor.ToString(CultureInfo.InvariantCulture) });
        await host.StartAsync();
        try
        {
            var health = await Get(host, "/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
            var problem = Assert.Single(Problems(health.Json));
            Assert.StartsWith("disk: ", problem, StringComparison.Ordinal);
            Assert.Contains("MidirEdge:Cache:MinFreeMegabytes (1048576 MB)", problem, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Get(host, "/readyz")).Status);
            Assert.Equal(HttpStatusCode.OK, (await Get(host, "/livez")).Status);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// A capture whose completion never returns holds the pipeline: once it has been in hand longer than MaxStall (on a fake
    /// clock) the agent is not live, and it is live again when the capture lets go.
    /// </summary>
    [Fact]
    public async Task A_pipeline_stuck_on_one_capture_longer_than_MaxStall_is_not_live()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        using var host = Agent(new() { ["MidirEdge:Adapters:stuck:Kind"] = "stuck" }, time: time,
            plugins: services => services.AddCaptureAdapter<StuckAdapter, StuckOptions>("stuck"));
        await host.StartAsync();
        try
        {
            var stuck = host.Services.GetServices<ICaptureAdapter>().OfType<StuckAdapter>().Single();
            using (var guard = new CancellationTokenSource(MqttProbe.Guard))
                await stuck.Completion.Entered.WaitAsync(guard.Token);
            Assert.Equal(HttpStatusCode.OK, (await Get(host, "/livez")).Status);

            time.Advance(TimeSpan.FromMinutes(6));
            const string Problem = "pipeline: preparing stuck:1 for 360 s, longer than MidirEdge:Health:MaxStall (300 s); it hangs";
            var live = await Get(host, "/livez");
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "not live"), (live.Status, live.Json.GetProperty("status").GetString()));
            Assert.Equal([Problem], Problems(live.Json));
            Assert.Contains(Problem, Problems((await Get(host, "/readyz")).Json));
            Assert.Contains(Problem, Problems((await Get(host, "/healthz")).Json));

            stuck.Completion.Release();
            await Eventually.Async(() => Get(host, "/livez").GetAwaiter().GetResult(), r => r.Status == HttpStatusCode.OK);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private IHost Agent(Dictionary<string, string?> settings, bool withModel = true, TimeProvider? time = null, Action<IServiceCollection>? plugins = null)
    {
        var models = Folder("models");
        if (withModel) File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(models, "demo-yamsys-C.zip"), overwrite: true);
        var configuration = new Dictionary<string, string?>
        {
            ["MidirEdge:Site"] = "health",
            ["MidirEdge:Instrument"] = "alpha",
            ["MidirEdge:DataDir"] = Folder("data"),
            ["MidirEdge:Models:Path"] = models,
            ["MidirEdge:Models:ReloadDelay"] = "00:00:00.200",
            ["MidirEdge:Mqtt:Host"] = _broker.Host,
            ["MidirEdge:Mqtt:Port"] = _broker.Port.ToString(CultureInfo.InvariantCulture),
            ["MidirEdge:Health:Url"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings) configuration[key] = value;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(configuration);
        if (time is not null) builder.Services.AddSingleton(time);
        plugins?.Invoke(builder.Services);
        builder.Services.AddMidirEdgeAgent(builder.Configuration);
        return builder.Build();
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> Get(IHost host, string path)
    {
        using var response = await _http.GetAsync(new Uri(host.Services.GetRequiredService<HealthServer>().Address!, path));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<(HttpStatusCode Status, string Body)> Raw(IHost host, string path)
    {
        using var response = await _http.GetAsync(new Uri(host.Services.GetRequiredService<HealthServer>().Address!, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string[] Problems(JsonElement json) =>
        json.TryGetProperty("problems", out var problems) ? [.. problems.EnumerateArray().Select(p => p.GetString()!)] : [];

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root.Path, name)).FullName;

    /// <summary>Settings of the stuck kind: nothing beyond what every adapter has.</summary>
    public sealed class StuckOptions() : CaptureAdapterOptions("MidirEdge:Adapters:stuck")
    {
        internal override void ApplyProfile(DeviceProfile profile) { }
    }

    /// <summary>Captures one thing nobody can read, whose rejection then never finishes: the pipeline holds it until <see cref="StuckCompletion.Release"/>.</summary>
    public sealed class StuckAdapter(StuckOptions options) : ICaptureAdapter
    {
        /// <summary>The completion of the one capture.</summary>
        public StuckCompletion Completion { get; } = new();

        /// <inheritdoc />
        public string Name => options.Name;

        /// <inheritdoc />
        public async Task RunAsync(ChannelWriter<Capture> output, CancellationToken ct)
        {
            await output.WriteAsync(new Capture
            {
                Adapter = Name,
                Source = "stuck:1",
                ContentHash = "",
                CapturedUtc = DateTimeOffset.UnixEpoch,
                Failure = "nothing to read",
                Completion = Completion,
            }, ct);
            await Task.Delay(Timeout.Infinite, ct);
        }
    }

    /// <summary>A completion whose failure waits until released, as a move onto a hung network share would.</summary>
    public sealed class StuckCompletion : ICaptureCompletion
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the pipeline called the completion.</summary>
        public Task Entered => _entered.Task;

        /// <summary>Lets the completion return.</summary>
        public void Release() => _released.TrySetResult();

        /// <inheritdoc />
        public Task CompleteAsync(CancellationToken ct) => Wait();

        /// <inheritdoc />
        public Task FailAsync(string reason, CancellationToken ct) => Wait();

        /// <inheritdoc />
        public Task RetryLaterAsync(string reason, CancellationToken ct) => Wait();

        private Task Wait()
        {
            _entered.TrySetResult();
            return _released.Task;
        }
    }
}
