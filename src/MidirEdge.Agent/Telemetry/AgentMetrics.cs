using MidirEdge.Agent.Domain;
using Prometheus;

namespace MidirEdge.Agent.Telemetry;

/// <summary>Why a spectrum produced no result; the label of <c>midir_spectra_failed_total</c>.</summary>
public enum SpectrumFailure
{
    /// <summary>The file could not be read or held no usable spectrum.</summary>
    Unreadable,
    /// <summary>Quality control failed the spectrum (non-finite values, no bundle covers it).</summary>
    Qc,
    /// <summary>A model refused or failed on the spectrum.</summary>
    Prediction,
    /// <summary>The result could not be stored for delivery.</summary>
    Delivery,
}

/// <summary>A step of the pipeline; the label of <c>midir_stage_duration_seconds</c>.</summary>
public enum PipelineStage
{
    /// <summary>Parsing the file, hashing the spectrum and looking it up among those already processed.</summary>
    Read,
    /// <summary>Quality control.</summary>
    Qc,
    /// <summary>Every active model.</summary>
    Predict,
    /// <summary>Outbox, result and spectrum committed to the cache.</summary>
    Store,
}

/// <summary>
/// The agent's Prometheus metrics in a registry of their own (so tests and hosts do not share state). The pipeline calls
/// it; the health server exports it. Thread-safe.
/// </summary>
public sealed class AgentMetrics
{
    // Latency from reading the file to finished predictions: 5 ms to ~10 s.
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.005, 2, 12);

    // One stage of one spectrum: 50 µs to ~3 s.
    private static readonly double[] StageBuckets = Histogram.ExponentialBuckets(0.00005, 2, 16);

    private readonly Counter _processed;
    private readonly Counter _failed;
    private readonly Counter _predictions;
    private readonly Counter _qcFlags;
    private readonly Gauge _queued;
    private readonly Gauge _outboxDepth;
    private readonly Gauge _mqttConnected;
    private readonly Gauge _lastSpectrum;
    private readonly Counter _serialReopens;
    private readonly Counter _serialGap;
    private readonly Counter _retries;
    private readonly Gauge _adapterState;
    private readonly Counter _adapterRestarts;
    private readonly Gauge _adapterLastCapture;
    private readonly Gauge _diskFree;
    private readonly Gauge _diskLow;
    private readonly Histogram _latency;
    private readonly Histogram _stages;
    private long _lastSpectrumTicks;

    /// <summary>Creates the metrics in a fresh registry.</summary>
    public AgentMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        // Process and runtime figures (process_resident_memory_bytes, dotnet_total_memory_bytes, GC counts…): how a
        // months-long run is watched for growth.
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        _processed = factory.CreateCounter("midir_spectra_processed_total", "Spectra that produced a result.");
        _failed = factory.CreateCounter("midir_spectra_failed_total", "Spectra that produced no result, by reason.", "reason");
        _predictions = factory.CreateCounter("midir_predictions_total", "Spectra predicted, by model bundle and version.", "model", "version");
        _qcFlags = factory.CreateCounter("midir_qc_flags_total", "Results published with a quality-control flag, by check.", "check");
        _queued = factory.CreateGauge("midir_pipeline_queued", "Spectra waiting in the processing pipeline.");
        // Absent, not 0, when the agent runs without delivery; 0 for the last spectrum means "none yet".
        var sampled = new GaugeConfiguration { SuppressInitialValue = true };
        _outboxDepth = factory.CreateGauge("midir_outbox_depth", "Messages waiting in the outbox for the broker.", sampled);
        _mqttConnected = factory.CreateGauge("midir_mqtt_connected", "1 while the MQTT publisher is connected, else 0.", sampled);
        _serialReopens = factory.CreateCounter("midir_serial_reopens_total", "Serial ports reopened after they were lost; frames sent meanwhile are lost.", "adapter");
        _serialGap = factory.CreateCounter("midir_serial_gap_seconds_total", "Time serial ports were gone before they were reopened.", "adapter");
        _retries = factory.CreateCounter("midir_retries_total", "Retries after a failure, by operation (mqtt, serial, cache, adapter).", "operation");
        _adapterState = factory.CreateGauge("midir_adapter_state", "1 for each adapter's current state (running, restarting, faulted), else 0.", "adapter", "kind", "state");
        _adapterRestarts = factory.CreateCounter("midir_adapter_restarts_total", "Adapters restarted after they failed.", "adapter");
        _adapterLastCapture = factory.CreateGauge("midir_adapter_last_capture_timestamp_seconds", "Unix time of each adapter's last capture.", "adapter");
        _diskFree = factory.CreateGauge("midir_disk_free_bytes", "Free bytes on the file system of the data folder.", sampled);
        _diskLow = factory.CreateGauge("midir_disk_low", "1 while free space is below MidirEdge:Cache:MinFreeMegabytes and no capture is taken, else 0.", sampled);
        _lastSpectrum = factory.CreateGauge("midir_last_spectrum_timestamp_seconds", "Unix time at which the last result was finished, 0 before the first.");
        _latency = factory.CreateHistogram("midir_prediction_duration_seconds", "Time from reading a file to its finished predictions.",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        _stages = factory.CreateHistogram("midir_stage_duration_seconds", "Time one spectrum spent in each pipeline stage.",
            new HistogramConfiguration { Buckets = StageBuckets, LabelNames = ["stage"] });
        foreach (var reason in Enum.GetValues<SpectrumFailure>()) _failed.WithLabels(Label(reason));
    }

    /// <summary>The registry holding these metrics, exported on <c>/metrics</c>.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>When the last result was finished, or null before the first.</summary>
    public DateTimeOffset? LastSpectrumUtc
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastSpectrumTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Records a finished result: its latency, its time, one prediction per model and its QC flags.</summary>
    public void SpectrumProcessed(SpectrumResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _processed.Inc();
        _latency.Observe(result.ProcessingMs / 1000.0);
        foreach (var (model, version) in result.Predictions.Select(p => (p.Model, p.Version)).Distinct())
            _predictions.WithLabels(model, version).Inc();
        foreach (var flag in result.Qc.Flags)
            _qcFlags.WithLabels(flag.Kind == QcCheckKind.Coverage ? "coverage" : flag.Name).Inc();
        Interlocked.Exchange(ref _lastSpectrumTicks, result.ProcessedUtc.UtcTicks);
        _lastSpectrum.Set(result.ProcessedUtc.ToUnixTimeMilliseconds() / 1000.0);
    }

    /// <summary>Records how long one spectrum spent in <paramref name="stage"/>.</summary>
    public void StageCompleted(PipelineStage stage, TimeSpan elapsed) => _stages.WithLabels(stage.ToString().ToLowerInvariant()).Observe(elapsed.TotalSeconds);

    /// <summary>Records a spectrum that produced no result.</summary>
    public void SpectrumFailed(SpectrumFailure reason) => _failed.WithLabels(Label(reason)).Inc();

    /// <summary>Sets the number of spectra waiting in the pipeline.</summary>
    public void Queued(int depth) => _queued.Set(depth);

    /// <summary>Sets the outbox depth (sampled by the health server).</summary>
    internal void OutboxDepth(int depth) => _outboxDepth.Set(depth);

    /// <summary>Sets the MQTT connection state (sampled by the health server).</summary>
    internal void MqttConnected(bool connected) => _mqttConnected.Set(connected ? 1 : 0);

    /// <summary>Records a serial port reopened after it was gone for <paramref name="gap"/>.</summary>
    public void SerialReopened(string adapter, TimeSpan gap)
    {
        _serialReopens.WithLabels(adapter).Inc();
        _serialGap.WithLabels(adapter).Inc(Math.Max(0, gap.TotalSeconds));
    }

    /// <summary>Counts a retry of <paramref name="operation"/> (<c>mqtt</c>, <c>serial</c>, <c>cache</c>, <c>adapter</c>).</summary>
    public void Retried(string operation) => _retries.WithLabels(operation).Inc();

    /// <summary>Records an adapter's state; the other states of it go to 0.</summary>
    public void AdapterStateChanged(string adapter, string kind, AdapterRunState state)
    {
        foreach (var each in Enum.GetValues<AdapterRunState>())
            _adapterState.WithLabels(adapter, kind, AdapterRunStates.Name(each)).Set(each == state ? 1 : 0);
    }

    /// <summary>Counts an adapter restarted after a fault.</summary>
    public void AdapterRestarted(string adapter) => _adapterRestarts.WithLabels(adapter).Inc();

    /// <summary>Records when an adapter last captured something.</summary>
    public void AdapterCaptured(string adapter, DateTimeOffset at) => _adapterLastCapture.WithLabels(adapter).Set(at.ToUnixTimeMilliseconds() / 1000.0);

    /// <summary>Sets the free space of the data folder and whether it is below the floor.</summary>
    internal void DiskFree(long bytes, bool low)
    {
        _diskFree.Set(bytes);
        _diskLow.Set(low ? 1 : 0);
    }

    private static string Label(SpectrumFailure reason) => reason.ToString().ToLowerInvariant();
}
