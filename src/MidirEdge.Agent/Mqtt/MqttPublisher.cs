using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Resilience;
using MidirEdge.Agent.Telemetry;
using Polly;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace MidirEdge.Agent.Mqtt;

/// <summary>
/// Drains the outbox to the broker in order: connects with the agent's back-off (<see cref="Backoff"/>), publishes the retained
/// <c>online</c> status on every connect (the last will says <c>lost</c>, a clean stop <c>offline</c>), publishes each outbox message
/// and removes it only after a successful acknowledgement. It also subscribes for the <see cref="IMqttListener"/>s on every connect
/// and hands them their messages.
/// </summary>
public sealed partial class MqttPublisher : BackgroundService, IDeliveryState, IMqttLink
{
    private const int BatchSize = 100;
    private static readonly TimeSpan FlushConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly Outbox _outbox;
    private readonly AgentStatus _status;
    private readonly MidirEdgeOptions _agent;
    private readonly MqttOptions _options;
    private readonly MqttTopics _topics;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttPublisher> _logger;
    private readonly MqttQualityOfServiceLevel _qos;
    private readonly IMqttClient _client;
    private readonly AgentCredential _credential;
    private readonly ResiliencePipeline _retry;
    private readonly IMqttListener[] _listeners;
    private long _connections;
    private long _lastResultTicks;
    private CancellationTokenSource _wake = new();
    private int _statusDirty;
    private volatile bool _stopping;

    /// <summary>Creates the publisher.</summary>
    public MqttPublisher(Outbox outbox, AgentStatus status, IOptions<MidirEdgeOptions> agent, IOptions<MqttOptions> options,
        AgentCredential credential, TimeProvider time, AgentMetrics metrics, ILogger<MqttPublisher> logger, IEnumerable<IMqttListener> listeners)
    {
        ArgumentNullException.ThrowIfNull(listeners);
        _listeners = [.. listeners];
        _credential = credential;
        _outbox = outbox;
        _status = status;
        _agent = agent.Value;
        _options = options.Value;
        _topics = MqttTopics.Resolve(_agent, _options);
        _time = time;
        _logger = logger;
        _qos = (MqttQualityOfServiceLevel)_options.Qos;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageReceivedAsync;
        _status.Changed += OnStatusChanged;
        // Every failure is retried (an unexpected one is logged with its stack trace); only the stop ends delivery.
        _retry = Backoff.Pipeline(new RetryPlan("mqtt", _options.ReconnectMinDelay, _options.ReconnectMaxDelay), _ => true, time, metrics,
            args => OnRetryAsync(args.Outcome.Exception!, args.RetryDelay));
    }

    /// <summary>Whether the client currently holds a connection to the broker.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <inheritdoc />
    public string BrokerHost => _options.UsesEmbeddedBroker ? "embedded" : _options.Host;

    /// <inheritdoc />
    public int BrokerPort => _options.Port;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.UsesEmbeddedBroker && _options.Username.Length > 0 && !_options.UseTls)
            LogPlainTextCredentials(_options.Host, _options.Port);
        while (!stoppingToken.IsCancellationRequested)
        {
            // A fresh wake source before looking at the state: a disconnect or status change from here on
            // cancels it, and one that came earlier is seen by the checks below, so no wake-up is lost.
            var wake = new CancellationTokenSource();
            Interlocked.Exchange(ref _wake, wake).Dispose();
            try
            {
                // Back-off starts over only once the backlog went out, so a broker that accepts the connection
                // but refuses a message is retried ever more slowly rather than every second.
                await _retry.ExecuteAsync(static (publisher, token) => publisher.DeliverAsync(token), this, stoppingToken).ConfigureAwait(false);
                await WaitForWorkAsync(wake.Token, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Connects if needed, republishes a changed status and empties the outbox.</summary>
    private async ValueTask DeliverAsync(CancellationToken stoppingToken)
    {
        if (!_client.IsConnected)
            await ConnectAsync(stoppingToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _statusDirty, 0) == 1)
            await PublishStatusAsync("online", stoppingToken).ConfigureAwait(false);
        await DrainAsync(stoppingToken).ConfigureAwait(false);
    }

    /// <summary>Logs a failed delivery and lets go of the connection before the back-off delay.</summary>
    private async ValueTask OnRetryAsync(Exception ex, TimeSpan delay)
    {
        var broker = _options.UsesEmbeddedBroker ? "embedded" : _options.Host;
        // A broker that is away is routine for an edge device: one line per retry, not a stack trace.
        if (ex is MqttCommunicationException or MqttDeliveryException or SocketException or IOException or TimeoutException or OperationCanceledException)
            LogDeliveryFailed(broker, _options.Port, Describe(ex), _outbox.Depth, delay);
        else
            LogDeliveryFailedUnexpectedly(ex, broker, _options.Port, _outbox.Depth, delay);
        if (_client.IsConnected)
            await DisconnectQuietlyAsync(MqttClientDisconnectOptionsReason.UnspecifiedError).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops delivering after one last attempt to empty the outbox (connecting if needed), bounded by the host's shutdown
    /// timeout; what does not go out stays in the outbox for the next start. Then says <c>offline</c> and disconnects.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (!_client.IsConnected) return;
        try
        {
            await PublishStatusAsync("offline", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogOfflineStatusFailed(ex);
        }
        await DisconnectQuietlyAsync(MqttClientDisconnectOptionsReason.NormalDisconnection).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _status.Changed -= OnStatusChanged;
        _client.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>The messages of an exception and its inner exceptions, each once: "Error while authenticating. Connection refused".</summary>
    private static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var message = e.Message.Trim().TrimEnd('.');
            if (message.Length > 0 && !messages.Contains(message)) messages.Add(message);
        }
        return string.Join(". ", messages);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var waiting = _outbox.Depth;
        if (waiting == 0) return;
        try
        {
            if (!_client.IsConnected)
            {
                // A broker that does not answer must not hold the stop for the whole shutdown timeout.
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connect.CancelAfter(FlushConnectTimeout);
                await ConnectAsync(connect.Token).ConfigureAwait(false);
            }
            await DrainAsync(cancellationToken).ConfigureAwait(false);
            LogFlushed(waiting);
        }
        catch (Exception ex)
        {
            // Shutdown timeout, or the broker is away: nothing is lost, the next start delivers it.
            LogFlushFailed(ex, _outbox.Depth);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _connections);
        var will = MqttConnection.Status("lost", _agent, _status, _time.GetUtcNow(), sequence, _outbox.Depth, LastResult);
        var result = await _client.ConnectAsync(MqttConnection.Build(_options, _topics, will, _credential), cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
            throw new MqttDeliveryException($"Broker refused the connection: {result.ResultCode} {result.ReasonString}");
        await SubscribeListenersAsync(cancellationToken).ConfigureAwait(false);
        LogConnected(_options.UsesEmbeddedBroker ? "embedded" : _options.Host, _options.Port, _topics.ClientId, result.IsSessionPresent, _outbox.Depth);
        Volatile.Write(ref _statusDirty, 1);
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = _outbox.PeekOldest(BatchSize);
            if (batch.Count == 0) return;
            foreach (var message in batch)
            {
                var application = new MqttApplicationMessageBuilder()
                    .WithTopic(message.Topic)
                    .WithPayload(message.Payload)
                    .WithQualityOfServiceLevel(_qos)
                    .WithRetainFlag(message.Retain)
                    .WithContentType("application/json")
                    .Build();
                var result = await _client.PublishAsync(application, cancellationToken).ConfigureAwait(false);
                if (!result.IsSuccess)
                    throw new MqttDeliveryException(
                        $"Broker did not accept outbox message {message.Sequence} on '{message.Topic}': {result.ReasonCode} {result.ReasonString}");
                _outbox.Remove(message.Sequence);
                if (message.Topic == _topics.Result) Interlocked.Exchange(ref _lastResultTicks, _time.GetUtcNow().UtcTicks);
                LogPublished(message.Sequence, message.Topic);
            }
        }
    }

    private async Task WaitForWorkAsync(CancellationToken wake, CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, wake);
        try
        {
            await _outbox.WaitForMessagesAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Woken by a disconnect or a status change; the loop re-examines the state.
        }
    }

    private async Task PublishStatusAsync(string state, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(_topics.Status)
            .WithPayload(MqttConnection.Status(state, _agent, _status, _time.GetUtcNow(), Interlocked.Read(ref _connections), _outbox.Depth, LastResult))
            .WithQualityOfServiceLevel(_qos)
            .WithRetainFlag(true)
            .WithContentType("application/json")
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            throw new MqttDeliveryException($"Broker did not accept the status message: {result.ReasonCode} {result.ReasonString}");
    }

    /// <summary>When the broker last acknowledged a result, if it has since the start.</summary>
    private DateTimeOffset? LastResult => Interlocked.Read(ref _lastResultTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <inheritdoc />
    public async Task ReplyAsync(string topic, byte[] payload, byte[]? correlationData, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json");
        if (correlationData is not null) message.WithCorrelationData(correlationData);
        var result = await _client.PublishAsync(message.Build(), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            throw new MqttDeliveryException($"Broker did not accept the reply on '{topic}': {result.ReasonCode} {result.ReasonString}");
    }

    /// <inheritdoc />
    public void RepublishStatus() => OnStatusChanged();

    /// <summary>Subscribes to every listener's filters; a retained message on them (the desired models) comes with each subscription.</summary>
    private async Task SubscribeListenersAsync(CancellationToken cancellationToken)
    {
        var filters = _listeners.SelectMany(l => l.TopicFilters).Distinct(StringComparer.Ordinal).ToArray();
        if (filters.Length == 0) return;
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in filters)
            subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        var result = await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        // A refused subscription (an ACL that does not let the instrument read its commands) costs the commands, never the results.
        foreach (var item in result.Items.Where(i => (int)i.ResultCode > (int)MqttClientSubscribeResultCode.GrantedQoS2))
            LogSubscriptionRefused(item.TopicFilter.Topic, item.ResultCode);
    }

    private Task OnMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var m = e.ApplicationMessage;
        var message = new ListenedMessage(m.Topic, m.Payload.ToArray(), m.Retain, m.ResponseTopic, m.CorrelationData?.ToArray());
        foreach (var listener in _listeners)
            if (listener.TopicFilters.Any(f => MqttTopicFilterComparer.Compare(m.Topic, f) == MqttTopicFilterCompareResult.IsMatch))
                listener.OnMessage(message, this);
        return Task.CompletedTask;
    }

    private async Task DisconnectQuietlyAsync(MqttClientDisconnectOptionsReason reason)
    {
        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(reason).Build(), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogDisconnectFailed(ex);
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        // Our own disconnect on the way out is no news.
        if (e.ClientWasConnected && !_stopping)
            LogDisconnected(e.Reason, e.ReasonString);
        CancelWake();
        return Task.CompletedTask;
    }

    private void OnStatusChanged()
    {
        Volatile.Write(ref _statusDirty, 1);
        CancelWake();
    }

    private void CancelWake()
    {
        try
        {
            Volatile.Read(ref _wake).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Replaced by a newer connection's source or disposed at shutdown: nothing to wake.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to MQTT broker {Host}:{Port} as {ClientId} (session present: {SessionPresent}); {Depth} message(s) waiting")]
    private partial void LogConnected(string host, int port, string clientId, bool sessionPresent, int depth);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT credentials (MidirEdge:Mqtt:Username and Password) go to {Host}:{Port} over plain TCP, readable on the way; set MidirEdge:Mqtt:UseTls")]
    private partial void LogPlainTextCredentials(string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT disconnected ({Reason}: {ReasonString})")]
    private partial void LogDisconnected(MqttClientDisconnectReason reason, string? reasonString);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT delivery to {Host}:{Port} failed ({Reason}); {Depth} message(s) kept in the outbox, retrying in {Delay}")]
    private partial void LogDeliveryFailed(string host, int port, string reason, int depth, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT delivery to {Host}:{Port} failed unexpectedly; {Depth} message(s) kept in the outbox, retrying in {Delay}")]
    private partial void LogDeliveryFailedUnexpectedly(Exception exception, string host, int port, int depth, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published outbox message {Sequence} to {Topic}")]
    private partial void LogPublished(long sequence, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered the {Count} message(s) left in the outbox before stopping")]
    private partial void LogFlushed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {Depth} message(s) in the outbox; they go out after the next start")]
    private partial void LogFlushFailed(Exception exception, int depth);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the offline status before disconnecting")]
    private partial void LogOfflineStatusFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker refused the subscription to {Topic} ({Code}); messages there do not reach the agent")]
    private partial void LogSubscriptionRefused(string topic, MqttClientSubscribeResultCode code);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT disconnect did not complete cleanly")]
    private partial void LogDisconnectFailed(Exception exception);
}

/// <summary>The broker refused a connection or did not acknowledge a publish with success.</summary>
public sealed class MqttDeliveryException(string message) : Exception(message);
