using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Adapters;
using MidirEdge.Agent.Adapters.Serial;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Profiles;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Adapters;

/// <summary>
/// Several adapter instances in one agent, configured as a named list, each supervised and reported by name: real
/// folders, a real socat serial pair and a real Mosquitto broker.
/// </summary>
public sealed class AdapterInstancesTests : IDisposable
{
    private readonly TempDirectory _root = new("midir-adapters-");
    private readonly MosquittoBroker _broker = new();
    private readonly SocatPair _pair = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Stops the broker and the serial pair.</summary>
    public void Dispose()
    {
        _http.Dispose();
        _pair.Dispose();
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>Two file-watch adapters and one serial adapter run side by side; each captures and is named in the status message and <c>/healthz</c>.</summary>
    [Fact]
    public async Task Two_folders_and_a_serial_port_run_in_one_agent_each_named_in_status_and_healthz()
    {
        var inboxA = Folder("inbox-a");
        var inboxB = Folder("inbox-b");
        await using var results = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/bench/result");
        await using var status = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/bench/status");
        using var host = Build(new()
        {
            ["MidirEdge:Adapters:bench-a:Kind"] = "file-watch",
            ["MidirEdge:Adapters:bench-a:Path"] = inboxA,
            ["MidirEdge:Adapters:bench-a:Include:0"] = "*.csv",
            ["MidirEdge:Adapters:bench-a:StableFor"] = "00:00:00.200",
            ["MidirEdge:Adapters:bench-a:RescanInterval"] = "00:00:00.200",
            ["MidirEdge:Adapters:bench-b:Kind"] = "file-watch",
            ["MidirEdge:Adapters:bench-b:Path"] = inboxB,
            ["MidirEdge:Adapters:bench-b:Include:0"] = "*.csv",
            ["MidirEdge:Adapters:bench-b:StableFor"] = "00:00:00.200",
            ["MidirEdge:Adapters:bench-b:RescanInterval"] = "00:00:00.200",
            ["MidirEdge:Adapters:alpha-serial:Kind"] = "serial",
            ["MidirEdge:Adapters:alpha-serial:Port"] = _pair.A,
            ["MidirEdge:Adapters:alpha-serial:Profile"] = "generic-ascii-serial",
        });
        await host.StartAsync();
        try
        {
            var staging = Folder("staging");
            var soils = await TestData.DropSoilFilesAsync(staging, inboxA, 2);
            File.Move(Path.Combine(inboxA, soils[1] + ".csv"), Path.Combine(inboxB, soils[1] + ".csv"));
            var serial = host.Services.GetServices<ICaptureAdapter>().OfType<SerialAdapter>().Single();
            await Eventually.True(() => serial.IsConnected);
            var profile = SerialProfile.From(DeviceProfile.Load(Path.Combine(AppContext.BaseDirectory, "device-profiles", "generic-ascii-serial.json")));
            using (var port = new System.IO.Ports.SerialPort(_pair.B, profile.BaudRate))
            {
                port.Open();
                var frame = FrameEncoder.Encode(profile, Spectrum());
                port.Write(frame, 0, frame.Length);
                await results.WaitUntilAsync(m => m.Count >= 3);
            }

            var health = await Eventually.Async(() => Healthz(host), h => h.GetProperty("adapters").EnumerateArray().All(a => a.TryGetProperty("lastCaptureUtc", out _)));
            Assert.Equal("healthy", health.GetProperty("status").GetString());
            var reported = health.GetProperty("adapters").EnumerateArray()
                .Select(a => (Name: a.GetProperty("name").GetString(), Kind: a.GetProperty("kind").GetString(), State: a.GetProperty("state").GetString())).ToArray();
            Assert.Equal([("alpha-serial", "serial", "running"), ("bench-a", "file-watch", "running"), ("bench-b", "file-watch", "running")], reported);

            var online = (await status.WaitUntilAsync(m => m.Any(x => x.Json.GetProperty("adapters").GetArrayLength() == 3)))
                .Last(x => x.Json.GetProperty("adapters").GetArrayLength() == 3).Json;
            Assert.Equal(["alpha-serial", "bench-a", "bench-b"], online.GetProperty("adapters").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal(["serial", "file-watch", "file-watch"], online.GetProperty("adapterStates").EnumerateArray().Select(a => a.GetProperty("kind").GetString()));
            Assert.Single(Directory.GetFiles(Path.Combine(inboxA, "archive"), "*.csv", SearchOption.AllDirectories));
            Assert.Single(Directory.GetFiles(Path.Combine(inboxB, "archive"), "*.csv", SearchOption.AllDirectories));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// An adapter that throws is started again with back-off rather than dropped: after failures in a row it is faulted
    /// (named in <c>/healthz</c>, which turns unhealthy, in the metrics and in the status message) and once it runs
    /// again everything reports it running. The failing adapter is a kind of its own, registered as any plug-in is.
    /// </summary>
    [Fact]
    public async Task An_adapter_that_throws_is_restarted_and_reported()
    {
        await using var status = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/bench/status");
        using var host = Build(new()
        {
            ["MidirEdge:Adapters:inbox:Kind"] = "file-watch",
            ["MidirEdge:Adapters:inbox:Path"] = Folder("inbox"),
            ["MidirEdge:Adapters:inbox:Include:0"] = "*.csv",
            ["MidirEdge:Adapters:flaky:Kind"] = "failing",
            ["MidirEdge:Pipeline:AdapterRestartMinDelay"] = "00:00:00.020",
            ["MidirEdge:Pipeline:AdapterRestartMaxDelay"] = "00:00:00.100",
        }, services => services.AddCaptureAdapter<FailingAdapter, FailingOptions>("failing"));
        await host.StartAsync();
        try
        {
            var failing = host.Services.GetServices<ICaptureAdapter>().OfType<FailingAdapter>().Single();
            var faulted = await Eventually.Async(() => Healthz(host), h => h.GetProperty("status").GetString() == "unhealthy");
            Assert.Contains(faulted.GetProperty("problems").EnumerateArray(), p => p.GetString()!.StartsWith("adapter flaky (failing) faulted: IOException: device went away", StringComparison.Ordinal));
            var flaky = faulted.GetProperty("adapters").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "flaky");
            Assert.Equal("device went away", failing.Reason);
            Assert.True(flaky.GetProperty("restarts").GetInt32() >= 3);
            Assert.Matches("midir_adapter_state\\{adapter=\"flaky\",kind=\"failing\",state=\"(faulted|restarting)\"\\} 1", TestData.Exported(host.Services.GetRequiredService<AgentMetrics>()));
            await status.WaitUntilAsync(m => m.Any(x => x.Json.GetProperty("adapterStates").EnumerateArray().Any(a => a.GetProperty("state").GetString() == "faulted")));

            failing.Recover();

            var healthy = await Eventually.Async(() => Healthz(host), h => h.GetProperty("status").GetString() == "healthy"
                && h.GetProperty("adapters").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "flaky").TryGetProperty("lastCaptureUtc", out _));
            Assert.Equal("running", healthy.GetProperty("adapters").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "flaky").GetProperty("state").GetString());
            Assert.Contains("midir_adapter_state{adapter=\"flaky\",kind=\"failing\",state=\"running\"} 1", TestData.Exported(host.Services.GetRequiredService<AgentMetrics>()), StringComparison.Ordinal);
            Assert.Matches("midir_retries_total\\{operation=\"adapter\"\\} ([3-9]|[1-9][0-9]+)\\b", TestData.Exported(host.Services.GetRequiredService<AgentMetrics>()));
            await status.WaitUntilAsync(m => m.Last().Json.GetProperty("adapters").EnumerateArray().Select(a => a.GetString()).Order().SequenceEqual(["flaky", "inbox"]));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>A section naming no known kind stops the start with one line naming its key; two sections naming one adapter likewise.</summary>
    [Fact]
    public void An_unknown_kind_fails_validation_naming_the_key()
    {
        using var host = Build(new()
        {
            ["MidirEdge:Adapters:lab-a:Kind"] = "modbus",
            ["MidirEdge:Adapters:lab-a:Path"] = Folder("x"),
            ["MidirEdge:Adapters:Other:Path"] = Folder("y"),
        });
        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        var message = Assert.Single(error.Failures);
        Assert.Equal("MidirEdge:Adapters:lab-a:Kind must be one of file-watch, serial (got 'modbus'). MidirEdge:Adapters:Other:Kind must name the adapter kind (file-watch, serial).", message);
    }

    private IHost Build(Dictionary<string, string?> adapters, Action<IServiceCollection>? plugins = null)
    {
        var models = Folder("models");
        if (!File.Exists(Path.Combine(models, "demo-yamsys-C.zip")))
            File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(models, "demo-yamsys-C.zip"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(adapters)
        {
            ["MidirEdge:Site"] = "lab",
            ["MidirEdge:Instrument"] = "bench",
            ["MidirEdge:DataDir"] = Folder("data"),
            ["MidirEdge:Models:Path"] = models,
            ["MidirEdge:Mqtt:Host"] = _broker.Host,
            ["MidirEdge:Mqtt:Port"] = _broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MidirEdge:Health:Url"] = "http://127.0.0.1:0",
        });
        plugins?.Invoke(builder.Services);
        builder.Services.AddMidirEdgeAgent(builder.Configuration);
        return builder.Build();
    }

    private JsonElement Healthz(IHost host)
    {
        var address = host.Services.GetRequiredService<HealthServer>().Address!;
        using var response = _http.GetAsync(new Uri(address, "/healthz")).GetAwaiter().GetResult();
        return response.Content.ReadFromJsonAsync<JsonElement>().GetAwaiter().GetResult();
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root.Path, name)).FullName;

    private static Spectrum Spectrum() =>
        OpusReader.Read(Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1"), "BF_lo_01_soil_cal.1").FindData("ab")!.Spectrum;

    /// <summary>Settings of the failing kind: nothing beyond what every adapter has.</summary>
    public sealed class FailingOptions() : CaptureAdapterOptions("MidirEdge:Adapters:failing")
    {
        internal override void ApplyProfile(DeviceProfile profile) { }
    }

    /// <summary>An adapter whose device is away until <see cref="Recover"/>: each run throws; after it, a run captures once and waits.</summary>
    public sealed class FailingAdapter(FailingOptions options, TimeProvider time) : ICaptureAdapter
    {
        private volatile bool _recovered;

        public string Name => options.Name;

        public string? Reason { get; private set; }

        public void Recover() => _recovered = true;

        public async Task RunAsync(ChannelWriter<Capture> output, CancellationToken ct)
        {
            if (!_recovered)
            {
                Reason = "device went away";
                throw new IOException(Reason);
            }
            await output.WriteAsync(new Capture
            {
                Adapter = "",
                Source = "flaky",
                ContentHash = new string('0', 64),
                CapturedUtc = time.GetUtcNow(),
                Content = "not a spectrum"u8.ToArray(),
                Completion = NoCompletion.Instance,
            }, ct);
            await Task.Delay(Timeout.Infinite, ct);
        }
    }
}
