using System.IO.Ports;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Resilience;
using Polly;
using Polly.Retry;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Adapters.Serial;

/// <summary>
/// Receives spectra from an instrument on a serial port, framed per its device profile. Bad frames (checksum,
/// garbage, a frame that stops mid-way) go out as failed captures, which the pipeline rejects; when the port fails or vanishes (USB unplug) the
/// adapter reopens it with the agent's back-off (<see cref="Backoff"/>). Each spectrum becomes a <see cref="Capture"/> whose hash is
/// that of the frame bytes. A serial line has no buffer beyond the open port: frames the instrument sends while the port
/// is gone are lost, so every reopen after a loss is counted, with the time the port was gone, in the metrics.
/// </summary>
public sealed partial class SerialAdapter : ICaptureAdapter
{
    private readonly SerialOptions _options;
    private readonly SerialProfile _profile;
    private readonly TimeProvider _time;
    private readonly AgentMetrics _metrics;
    private readonly ILogger<SerialAdapter> _logger;
    private readonly ResiliencePipeline _reopen;
    private DateTimeOffset? _lostAt;
    private volatile string? _lastFailure;

    /// <summary>Creates the adapter on <see cref="SerialOptions.Port"/> with the options' loaded device profile.</summary>
    public SerialAdapter(SerialOptions options, TimeProvider time, AgentMetrics metrics, ILogger<SerialAdapter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Port, "options.Port");
        _options = options;
        _profile = options.Device ?? throw new ArgumentException("The options carry no serial device profile.", nameof(options));
        _time = time;
        _metrics = metrics;
        _logger = logger;
        // Any failure of the port (vanished device, EIO, permission) is worth a retry; none ends the agent.
        _reopen = Backoff.Pipeline(new RetryPlan("serial", options.ReconnectMinDelay, options.ReconnectMaxDelay),
            e => e is not ChannelClosedException, time, metrics, OnRetry);
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <summary>Whether the port is open right now.</summary>
    public bool IsConnected { get; private set; }

    /// <inheritdoc />
    public string? Problem => IsConnected ? null
        : _lastFailure is { } failure ? $"port {_options.Port} is closed ({failure})" : $"port {_options.Port} is not open yet";

    /// <inheritdoc />
    /// <remarks>Opens the port with the profile's line settings and closes it again; a port the running agent holds does not open.</remarks>
    public Task<AdapterCheck> CheckAsync(CancellationToken ct)
    {
        var source = $"port {_options.Port} at {_profile.BaudRate} baud ({_profile.Protocol})";
        try
        {
            using var port = SerialPorts.Open(_options.Port, _profile);
            return Task.FromResult(new AdapterCheck(source, null));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            return Task.FromResult(new AdapterCheck(source, $"port {_options.Port} does not open ({_options.Section}:Port): {OneLine.Of(ex.Message).TrimEnd('.')}"));
        }
    }

    /// <inheritdoc />
    public async Task RunAsync(ChannelWriter<Capture> output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            // One pipeline run per connection: back-off grows while the port cannot be opened (or is lost at once), and
            // starts over after a connection that held for at least the first delay.
            while (!ct.IsCancellationRequested)
                await _reopen.ExecuteAsync(static (state, token) => state.Adapter.ConnectionAsync(state.Output, token), (Adapter: this, Output: output), ct)
                    .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Opens the port and receives until it fails; a failure within the first delay is thrown to be retried with back-off.</summary>
    private async ValueTask ConnectionAsync(ChannelWriter<Capture> output, CancellationToken ct)
    {
        SerialPort? port = null;
        var opened = DateTimeOffset.MinValue;
        try
        {
            port = SerialPorts.Open(_options.Port, _profile);
            opened = _time.GetUtcNow();
            IsConnected = true;
            _lastFailure = null;
            LogConnected(Name, _options.Port, _profile.BaudRate, _profile.Protocol);
            if (_lostAt is { } since)
            {
                // Whatever the instrument sent meanwhile is gone: count the gap so it shows.
                var gap = opened - since;
                _metrics.SerialReopened(Name, gap);
                LogGap(Name, _options.Port, gap);
                _lostAt = null;
            }
            await ReceiveAsync(port, output, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnected && ex is not OperationCanceledException and not ChannelClosedException)
        {
            var now = _time.GetUtcNow();
            _lostAt = now;
            _lastFailure = OneLine.Of(ex.Message);
            if (now - opened < _options.ReconnectMinDelay) throw new PortLostException(ex);
            LogPortLost(Name, _options.Port, OneLine.Of(ex.Message), TimeSpan.Zero);
        }
        finally
        {
            IsConnected = false;
            port?.Dispose();
        }
    }

    private ValueTask OnRetry(OnRetryArguments<object> args)
    {
        _lastFailure = OneLine.Of(args.Outcome.Exception!.Message);
        if (args.Outcome.Exception is PortLostException lost)
            LogPortLost(Name, _options.Port, OneLine.Of(lost.InnerException!.Message), args.RetryDelay);
        else
            LogOpenFailed(Name, _options.Port, OneLine.Of(args.Outcome.Exception!.Message), args.RetryDelay);
        return ValueTask.CompletedTask;
    }

    /// <summary>The port failed right after it was opened.</summary>
    private sealed class PortLostException(Exception cause) : Exception(cause.Message, cause);

    private async Task ReceiveAsync(SerialPort port, ChannelWriter<Capture> output, CancellationToken ct)
    {
        var stream = port.BaseStream;
        var decoder = FrameDecoder.Create(_profile);
        var results = new List<FrameResult>();
        var buffer = new byte[4096];
        var trigger = _profile.Trigger is { } t ? Encoding.ASCII.GetBytes(t.Command) : null;
        DateTimeOffset? nextTrigger = trigger is null ? null : _time.GetUtcNow();
        var frameStarted = DateTimeOffset.MinValue;   // last arrival while a frame is open
        while (true)
        {
            var now = _time.GetUtcNow();
            if (nextTrigger is { } due && now >= due)
            {
                await stream.WriteAsync(trigger, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
                LogTriggerSent(Name, _options.Port);
                nextTrigger = _profile.Trigger!.Every is { } every ? now + every : null;
            }
            if (decoder.InFrame && now - frameStarted >= _profile.FrameTimeout)
            {
                decoder.Reset();
                await BadFrameAsync(output, $"no byte for {_profile.FrameTimeout.TotalSeconds:0.###} s in the middle of a frame", ct).ConfigureAwait(false);
            }
            // Wake for whichever comes first: data, the frame timeout, the next trigger, or a look at ct every 250 ms.
            var wait = TimeSpan.FromMilliseconds(250);
            if (decoder.InFrame) wait = Min(wait, frameStarted + _profile.FrameTimeout - now);
            if (nextTrigger is { } next) wait = Min(wait, next - now);
            ct.ThrowIfCancellationRequested();
            int read;
            try
            {
                // A blocking read with ReadTimeout, not ReadAsync: on Windows SerialStream.ReadAsync does not observe its
                // cancellation token once the read is pending, so neither the timeouts nor shutdown could end it.
                port.ReadTimeout = (int)Math.Ceiling(Max(wait, TimeSpan.FromMilliseconds(10)).TotalMilliseconds);
                read = stream.Read(buffer);
            }
            catch (TimeoutException)
            {
                continue;
            }
            if (read == 0) throw new IOException("the port reported end of stream (device gone)");
            results.Clear();
            decoder.Feed(buffer.AsSpan(0, read), results);
            // The timeout measures silence: every arrival during a frame restarts it.
            if (decoder.InFrame) frameStarted = _time.GetUtcNow();
            foreach (var result in results)
            {
                if (result.Error is { } error)
                {
                    await BadFrameAsync(output, error, ct).ConfigureAwait(false);
                    continue;
                }
                var capture = new Capture
                {
                    Adapter = Name,
                    Source = _options.Port,
                    ContentHash = Convert.ToHexStringLower(SHA256.HashData(result.Bytes)),
                    CapturedUtc = _time.GetUtcNow(),
                    Spectrum = result.Spectrum,
                    Completion = NoCompletion.Instance,
                };
                LogReceived(Name, _options.Port, result.Spectrum!.Length, OneLine.Of(result.Spectrum.Metadata.SampleName));
                await output.WriteAsync(capture, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Passes a frame that could not be decoded on as a failed capture, so it is rejected (and published as such) like an unreadable file.</summary>
    private async Task BadFrameAsync(ChannelWriter<Capture> output, string reason, CancellationToken ct)
    {
        reason = OneLine.Of(reason);
        LogBadFrame(Name, _options.Port, reason);
        await output.WriteAsync(new Capture
        {
            Adapter = Name,
            Source = _options.Port,
            ContentHash = "",
            CapturedUtc = _time.GetUtcNow(),
            Failure = "bad frame: " + reason,
            Completion = NoCompletion.Instance,
        }, ct).ConfigureAwait(false);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Serial adapter {Adapter}: opened {Port} at {Baud} baud ({Protocol})")]
    private partial void LogConnected(string adapter, string port, int baud, SerialProtocol protocol);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Serial adapter {Adapter}: lost {Port} ({Reason}); reopening in {Delay}")]
    private partial void LogPortLost(string adapter, string port, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Serial adapter {Adapter}: {Port} was gone for {Gap}; frames sent meanwhile are lost")]
    private partial void LogGap(string adapter, string port, TimeSpan gap);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Serial adapter {Adapter}: cannot open {Port} ({Reason}); retrying in {Delay}")]
    private partial void LogOpenFailed(string adapter, string port, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Serial adapter {Adapter}: bad frame on {Port}: {Reason}")]
    private partial void LogBadFrame(string adapter, string port, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Serial adapter {Adapter}: trigger sent on {Port}")]
    private partial void LogTriggerSent(string adapter, string port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serial adapter {Adapter}: received a {Points}-point spectrum on {Port} (sample {Sample})")]
    private partial void LogReceived(string adapter, string port, int points, string? sample);
}
