using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Resilience;
using MidirEdge.Spectra;
using Polly;
using Polly.Retry;

namespace MidirEdge.Agent.Adapters;

/// <summary>
/// Runs each adapter and starts one that fails again with the agent's back-off, so a fault costs captures for a while
/// rather than for good. Keeps each adapter's state (running, restarting, faulted and why, last capture) for
/// <c>/healthz</c>, the metrics and the retained status message.
/// </summary>
public sealed partial class AdapterSupervisor
{
    private readonly Dictionary<string, Supervised> _adapters;
    private readonly PipelineOptions _options;
    private readonly ResiliencePipeline _restart;
    private readonly TimeProvider _time;
    private readonly AgentMetrics _metrics;
    private readonly AgentStatus? _status;
    private readonly ILogger<AdapterSupervisor> _logger;

    /// <summary>Supervises <paramref name="adapters"/>; their kinds come from the configured instances.</summary>
    public AdapterSupervisor(IEnumerable<ICaptureAdapter> adapters, IEnumerable<AdapterInstance> instances, IOptions<PipelineOptions> options,
        TimeProvider time, AgentMetrics metrics, ILogger<AdapterSupervisor> logger, AgentStatus? status = null)
    {
        var kinds = instances.ToDictionary(i => i.Name, i => i.Kind, StringComparer.OrdinalIgnoreCase);
        _adapters = adapters.ToDictionary(a => a.Name, a => new Supervised(a, kinds.GetValueOrDefault(a.Name, a.GetType().Name)), StringComparer.OrdinalIgnoreCase);
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _status = status;
        _logger = logger;
        _restart = Backoff.Pipeline(new RetryPlan("adapter", _options.AdapterRestartMinDelay, _options.AdapterRestartMaxDelay),
            e => e is not ChannelClosedException, time, metrics, OnFault);
        foreach (var each in _adapters.Values) _metrics.AdapterStateChanged(each.Adapter.Name, each.Kind, AdapterRunState.Running);
        Publish();
    }

    /// <summary>The supervised adapters.</summary>
    public IEnumerable<ICaptureAdapter> Adapters => _adapters.Values.Select(s => s.Adapter);

    /// <summary>Each adapter's state, by name.</summary>
    public IReadOnlyList<AdapterReport> Reports() => [.. _adapters.Values.OrderBy(s => s.Adapter.Name, StringComparer.Ordinal).Select(s => s.Report())];

    /// <summary>
    /// Runs <paramref name="adapter"/> into <paramref name="output"/> until <paramref name="ct"/> is cancelled, starting it
    /// again with back-off whenever it fails. Each capture is stamped with the adapter's name and its time recorded.
    /// </summary>
    public async Task RunAsync(ICaptureAdapter adapter, ChannelWriter<Capture> output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var supervised = _adapters[adapter.Name];
        var writer = new RecordingWriter(output, supervised, this);
        while (!ct.IsCancellationRequested)
        {
            var context = ResilienceContextPool.Shared.Get(ct);
            context.Properties.Set(SupervisedKey, supervised);
            try
            {
                // One pipeline run per healthy stretch: back-off grows while the adapter keeps failing, and starts over
                // once it has run for at least the first delay, so restarts never come faster than that.
                var fault = await _restart.ExecuteAsync(static (context, state) => state.Owner.RunOnceAsync(state.Supervised, state.Writer, context.CancellationToken),
                    context, (Owner: this, Supervised: supervised, Writer: writer)).ConfigureAwait(false);
                if (fault is null) return;
                OnFault(supervised, fault, 0, TimeSpan.Zero);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ChannelClosedException)
            {
                return;
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
    }

    /// <summary>One run of the adapter: null when it ended by itself; its fault when it failed after a healthy stretch; throws when it failed sooner.</summary>
    private async ValueTask<Exception?> RunOnceAsync(Supervised supervised, ChannelWriter<Capture> writer, CancellationToken ct)
    {
        var started = _time.GetUtcNow();
        SetState(supervised, AdapterRunState.Running, null);
        try
        {
            await supervised.Adapter.RunAsync(writer, ct).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not ChannelClosedException
            && _time.GetUtcNow() - started >= _options.AdapterRestartMinDelay)
        {
            return ex;
        }
    }

    private ValueTask OnFault(OnRetryArguments<object> args)
    {
        OnFault(args.Context.Properties.GetValue(SupervisedKey, null!), args.Outcome.Exception!, args.AttemptNumber, args.RetryDelay);
        return ValueTask.CompletedTask;
    }

    private void OnFault(Supervised supervised, Exception fault, int attempt, TimeSpan delay)
    {
        var reason = OneLine.Of($"{fault.GetType().Name}: {fault.Message}");
        var faulted = attempt + 1 >= _options.AdapterFaultedAfter;
        Interlocked.Increment(ref supervised.Restarts);
        _metrics.AdapterRestarted(supervised.Adapter.Name);
        SetState(supervised, faulted ? AdapterRunState.Faulted : AdapterRunState.Restarting, reason);
        LogAdapterFailed(fault, supervised.Adapter.Name, supervised.Kind, reason, delay);
    }

    private void SetState(Supervised supervised, AdapterRunState state, string? reason)
    {
        var changed = supervised.State != state;
        supervised.State = state;
        if (reason is not null) supervised.Reason = reason;
        _metrics.AdapterStateChanged(supervised.Adapter.Name, supervised.Kind, state);
        if (changed) Publish();
    }

    private void Publish() => _status?.UpdateAdapters(Reports());

    private static readonly ResiliencePropertyKey<Supervised> SupervisedKey = new("midir.adapter");

    /// <summary>One adapter and what is known about it.</summary>
    private sealed class Supervised(ICaptureAdapter adapter, string kind)
    {
        public ICaptureAdapter Adapter { get; } = adapter;
        public string Kind { get; } = kind;
        public volatile AdapterRunState State = AdapterRunState.Running;
        public volatile string? Reason;
        public int Restarts;
        private long _lastCaptureTicks;

        public DateTimeOffset? LastCaptureUtc
        {
            get => Interlocked.Read(ref _lastCaptureTicks) is var t && t != 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;
            set => Interlocked.Exchange(ref _lastCaptureTicks, value?.UtcTicks ?? 0);
        }

        public AdapterReport Report() => new(Adapter.Name, Kind, State, Reason, LastCaptureUtc, Volatile.Read(ref Restarts));
    }

    /// <summary>Passes captures on with the adapter's name and records when each was taken.</summary>
    private sealed class RecordingWriter(ChannelWriter<Capture> inner, Supervised supervised, AdapterSupervisor owner) : ChannelWriter<Capture>
    {
        public override bool TryWrite(Capture item)
        {
            if (!inner.TryWrite(Stamp(item))) return false;
            Captured(item);
            return true;
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => inner.WaitToWriteAsync(cancellationToken);

        public override async ValueTask WriteAsync(Capture item, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(Stamp(item), cancellationToken).ConfigureAwait(false);
            Captured(item);
        }

        public override bool TryComplete(Exception? error = null) => false;

        private Capture Stamp(Capture item) => item.Adapter == supervised.Adapter.Name ? item : item with { Adapter = supervised.Adapter.Name };

        private void Captured(Capture item)
        {
            supervised.LastCaptureUtc = item.CapturedUtc;
            owner._metrics.AdapterCaptured(supervised.Adapter.Name, item.CapturedUtc);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Adapter {Adapter} ({Kind}) failed ({Reason}); restarting it in {Delay}")]
    private partial void LogAdapterFailed(Exception exception, string adapter, string kind, string reason, TimeSpan delay);
}
