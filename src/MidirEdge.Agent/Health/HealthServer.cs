using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Adapters;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Models.Store;

namespace MidirEdge.Agent.Health;

/// <summary>
/// Serves <c>/healthz</c>, <c>/readyz</c>, <c>/livez</c>, <c>/metrics</c> and the registered <see cref="IWebEndpoints"/> (the dashboard)
/// over HTTP and samples the outbox and the MQTT connection state.
/// </summary>
/// <remarks>
/// As Kubernetes and systemd expect: <c>/livez</c> answers 503 only when the agent should be restarted (its pipeline failed
/// or hangs, see <see cref="PipelineLiveness"/>); <c>/readyz</c> answers 503 whenever the agent cannot do its job (no model,
/// an inbox or port it cannot read, results not leaving, a full disk); <c>/healthz</c> is the same verdict as <c>/readyz</c>
/// with the whole report (versions, outbox, adapters).
/// </remarks>
/// <remarks>
/// Kestrel through a minimal API rather than prometheus-net's own <c>MetricServer</c>: that one is built on HttpListener
/// and serves only the metrics, while the agent also needs <c>/healthz</c> with a status code of its own. The metrics
/// are written with prometheus-net's exporter, so no ASP.NET Core middleware package is needed.
/// </remarks>
public sealed partial class HealthServer : IHostedService, IAsyncDisposable
{
    private readonly AgentMetrics _metrics;
    private readonly HealthOptions _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<HealthServer> _logger;
    private readonly Lock _sampleLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private Task _sampling = Task.CompletedTask;
    private Outbox? _outbox;
    private IDeliveryState? _delivery;
    private DiskFloor? _disk;
    private AdapterSupervisor? _adapters;
    private ModelStore? _models;
    private PipelineLiveness? _liveness;
    private DateTimeOffset _started;
    private DateTimeOffset? _disconnectedSince;
    private int? _outboxDepth;
    private DateTimeOffset? _oldestEnqueued;
    private bool? _connected;

    /// <summary>Creates the server; the outbox and publisher are picked up when the delivery services are registered too.</summary>
    public HealthServer(AgentMetrics metrics, IOptions<HealthOptions> options, IServiceProvider services, TimeProvider time, ILogger<HealthServer> logger)
    {
        _metrics = metrics;
        _options = options.Value;
        _services = services;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled) return;
        _started = _time.GetUtcNow();
        _outbox = _services.GetService<Outbox>();
        _disk = _services.GetService<DiskFloor>();
        _delivery = _services.GetService<IDeliveryState>();
        _adapters = _services.GetService<AdapterSupervisor>();
        _models = _services.GetService<ModelStore>();
        _liveness = _services.GetService<PipelineLiveness>();
        Sample();

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(_options.Url);
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.MapGet("/healthz", () =>
        {
            var report = Report();
            return Results.Json(report, HealthJson.Default.HealthReport, statusCode: report.IsHealthy ? 200 : 503);
        });
        app.MapGet("/readyz", () => Probe(Report().Problems, "ready", "not ready"));
        app.MapGet("/livez", () => Probe(_liveness?.Problem is { } problem ? [problem] : null, "live", "not live"));
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            Sample();
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await _metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        foreach (var endpoints in _services.GetServices<IWebEndpoints>()) endpoints.Map(app, Report);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Address = new Uri(app.Urls.First());
        _sampling = SampleLoopAsync(_stopping.Token);
        LogListening(Address.ToString());
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sampling.ConfigureAwait(false);
        if (_app is not null) await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as a hosted service, so the container may dispose it twice.
        var app = Interlocked.Exchange(ref _app, null);
        if (app is not null) await app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>The address the endpoint listens on once started (the bound port when the configured port is 0); null when disabled.</summary>
    public Uri? Address { get; private set; }

    /// <summary>
    /// The current health: unhealthy when the pipeline failed or hangs (a problem starting <c>pipeline:</c>), the outbox is
    /// over its limit or its oldest message too old (<c>outbox</c>), the data folder's free space is below its floor
    /// (<c>disk:</c>), the publisher has been disconnected too long, an adapter is faulted or cannot capture (its folder is
    /// missing, its port closed; <c>adapter</c>), or no model is loaded (<c>models:</c>).
    /// </summary>
    public HealthReport Report()
    {
        Sample();
        var now = _time.GetUtcNow();
        var problems = new List<string>();
        if (_liveness?.Problem is { } alive) problems.Add(alive);
        lock (_sampleLock)
        {
            if (_outboxDepth > _options.MaxOutboxDepth)
                problems.Add(Text($"outbox holds {_outboxDepth} messages, more than MidirEdge:Health:MaxOutboxDepth ({_options.MaxOutboxDepth})"));
            if (_oldestEnqueued is { } oldest && now - oldest > _options.MaxOutboxAge)
                problems.Add(Text($"outbox's oldest message has waited {(now - oldest).TotalSeconds:0} s, longer than MidirEdge:Health:MaxOutboxAge ({_options.MaxOutboxAge.TotalSeconds:0} s)"));
            if (_disk?.Problem is { } disk)
                problems.Add(disk);
            if (_disconnectedSince is { } since && now - since > _options.MaxDisconnected)
                problems.Add(Text($"MQTT publisher disconnected for {(now - since).TotalSeconds:0} s, longer than MidirEdge:Health:MaxDisconnected ({_options.MaxDisconnected.TotalSeconds:0} s)"));
            var adapters = _adapters?.Reports();
            foreach (var adapter in adapters ?? [])
                if (adapter.State == AdapterRunState.Faulted)
                    problems.Add(Text($"adapter {adapter.Name} ({adapter.Kind}) faulted: {adapter.Reason}; restarted with back-off"));
            var kinds = (adapters ?? []).ToDictionary(a => a.Name, a => a.Kind, StringComparer.OrdinalIgnoreCase);
            foreach (var adapter in _adapters?.Adapters ?? [])
                if (adapter.Problem is { } problem)
                    problems.Add($"adapter {adapter.Name} ({kinds.GetValueOrDefault(adapter.Name)}): {problem}");
            if (_models is { Active.IsEmpty: true })
                problems.Add("models: none loaded, so results would carry no predictions; install a bundle into MidirEdge:Models:Path");
            return new HealthReport(problems.Count == 0 ? "healthy" : "unhealthy", AgentStatus.Version, (now - _started).TotalSeconds,
                _metrics.LastSpectrumUtc, _outboxDepth, _connected, problems.Count == 0 ? null : problems)
            {
                Adapters = adapters is { Count: > 0 } ? adapters : null,
            };
        }
    }

    private void Sample()
    {
        var depth = _outbox?.Depth;
        var oldest = _outbox?.PeekOldest(1) is [var first, ..] ? first.EnqueuedUtc : (DateTimeOffset?)null;
        var connected = _delivery?.IsConnected;
        _disk?.Check();
        var now = _time.GetUtcNow();
        lock (_sampleLock)
        {
            _outboxDepth = depth;
            _oldestEnqueued = oldest;
            _connected = connected;
            if (connected == false) _disconnectedSince ??= now;
            else _disconnectedSince = null;
        }
        if (depth is { } d) _metrics.OutboxDepth(d);
        if (connected is { } c) _metrics.MqttConnected(c);
    }

    private async Task SampleLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.SampleInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                Sample();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A probe's answer: 200 and <paramref name="ok"/>, or 503, <paramref name="failed"/> and the problems.</summary>
    private static IResult Probe(IReadOnlyList<string>? problems, string ok, string failed) =>
        problems is null or []
            ? Results.Json(new ProbeReport(ok, null), HealthJson.Default.ProbeReport)
            : Results.Json(new ProbeReport(failed, problems), HealthJson.Default.ProbeReport, statusCode: 503);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard, health and metrics served on {Url} (/, /api, /healthz, /readyz, /livez, /metrics)")]
    private partial void LogListening(string url);
}
