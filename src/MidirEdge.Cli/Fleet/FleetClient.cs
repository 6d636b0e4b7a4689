using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using MidirEdge.Agent.Fleet;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Cli.Failures;
using MQTTnet;
using MQTTnet.Protocol;

namespace MidirEdge.Cli.Fleet;

/// <summary>An instrument as its retained status describes it.</summary>
/// <param name="Site">Site name.</param>
/// <param name="Instrument">Instrument name.</param>
/// <param name="State"><c>online</c>, <c>offline</c> or <c>lost</c>.</param>
/// <param name="Version">Agent version.</param>
/// <param name="Models">Active bundles (id, version, SHA-256 when reported).</param>
/// <param name="OutboxDepth">Messages waiting in its outbox.</param>
/// <param name="LastResultUtc">When its last result was acknowledged, if known.</param>
/// <param name="Missing">Desired bundles it cannot activate.</param>
/// <param name="Sequence">Its connection count at that status.</param>
/// <param name="TimestampUtc">When the status was produced.</param>
internal sealed record InstrumentStatus(string Site, string Instrument, string State, string Version, IReadOnlyList<DesiredBundle> Models,
    int OutboxDepth, DateTimeOffset? LastResultUtc, IReadOnlyList<string> Missing, long Sequence, DateTimeOffset TimestampUtc)
{
    /// <summary><c>site/instrument</c>.</summary>
    public string Name => $"{Site}/{Instrument}";

    /// <summary>Reads a status payload; null when it is none.</summary>
    public static InstrumentStatus? Parse(ReadOnlySpan<byte> payload)
    {
        try
        {
            var json = JsonDocument.Parse(payload.ToArray()).RootElement;
            string Text(string name) => json.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
            var models = json.TryGetProperty("models", out var m) && m.ValueKind == JsonValueKind.Array
                ? m.EnumerateArray().Select(b => new DesiredBundle(b.GetProperty("name").GetString()!, b.GetProperty("version").GetString()!,
                    b.TryGetProperty("sha256", out var sha) ? sha.GetString() ?? "" : "")).ToArray()
                : [];
            var missing = json.TryGetProperty("missingBundles", out var mb) && mb.ValueKind == JsonValueKind.Array
                ? mb.EnumerateArray().Select(e => e.GetString() ?? "").ToArray()
                : [];
            return new InstrumentStatus(Text("site"), Text("instrument"), Text("state"), Text("version"), models,
                json.TryGetProperty("outboxDepth", out var d) ? d.GetInt32() : 0,
                json.TryGetProperty("lastResultUtc", out var r) ? r.GetDateTimeOffset() : null, missing,
                json.TryGetProperty("sequence", out var s) ? s.GetInt64() : 0,
                json.TryGetProperty("timestampUtc", out var t) ? t.GetDateTimeOffset() : DateTimeOffset.MinValue);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>One instrument's answer to a command, or its silence.</summary>
/// <param name="Target">The instrument as discovered.</param>
/// <param name="Outcome"><c>active</c>, <c>accepted</c>, <c>refused</c>, or <c>no answer</c> when the wait ran out.</param>
/// <param name="Reply">Its final reply, if any.</param>
internal sealed record CommandOutcome(InstrumentStatus Target, string Outcome, FleetReply? Reply);

/// <summary>
/// The technician's side of model deployment over MQTT: discovers instruments from their retained statuses, sends commands on
/// their command topics with an MQTT 5 response topic and correlation data, collects the answers, and keeps their desired models.
/// Topics are the agent's defaults (<c>midir/{site}/{instrument}/…</c>).
/// </summary>
internal sealed class FleetClient : IAsyncDisposable
{
    private const string Root = "midir";
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan DiscoveryLimit = TimeSpan.FromSeconds(10);

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly string _session = Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentDictionary<string, InstrumentStatus> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private long _lastStatusTicks;

    private FleetClient()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            OnMessage(e.ApplicationMessage);
            return Task.CompletedTask;
        };
    }

    /// <summary>Connects to the broker <paramref name="broker"/> describes (host, port, TLS, credentials).</summary>
    public static async Task<FleetClient> ConnectAsync(MqttOptions broker, CancellationToken cancellationToken)
    {
        var client = new FleetClient();
        try
        {
            var result = await client._client.ConnectAsync(BrokerClient.Options(broker, $"midir-fleet-{client._session}"), cancellationToken).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
                throw new CommandFailedException($"broker {broker.Host}:{broker.Port} refused the connection: {result.ResultCode} {result.ReasonString}");
            return client;
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException ex)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new CommandFailedException($"cannot connect to the broker {broker.Host}:{broker.Port}: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The instruments whose retained status matches <paramref name="pattern"/> (<c>site/+</c>, <c>+/+</c>, <c>site/instrument</c>), by name.</summary>
    public async Task<IReadOnlyList<InstrumentStatus>> DiscoverAsync(string pattern, CancellationToken cancellationToken)
    {
        await SubscribeAsync($"{Root}/{pattern}/status", cancellationToken).ConfigureAwait(false);
        await SubscribeAsync($"{Root}/+/+/reply/{_session}", cancellationToken).ConfigureAwait(false);
        // Retained statuses come right after the subscription; the discovery ends once they stop arriving (or none came) for a moment.
        var started = DateTime.UtcNow;
        Interlocked.Exchange(ref _lastStatusTicks, started.Ticks);
        while (DateTime.UtcNow - new DateTime(Interlocked.Read(ref _lastStatusTicks), DateTimeKind.Utc) < Settle && DateTime.UtcNow - started < DiscoveryLimit)
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        return Statuses(pattern);
    }

    /// <summary>The latest status of each instrument matching <paramref name="pattern"/>, by name.</summary>
    public IReadOnlyList<InstrumentStatus> Statuses(string pattern) =>
        [.. _statuses.Values.Where(s => Matches(pattern, s)).OrderBy(s => s.Name, StringComparer.Ordinal)];

    /// <summary>
    /// Sends <paramref name="command"/> (e.g. <c>models/install</c>) with <paramref name="payload"/> to each target, and waits up to
    /// <paramref name="wait"/> for every final answer; an instrument that is away gets it from its persistent session when it returns.
    /// </summary>
    public async Task<IReadOnlyList<CommandOutcome>> SendAsync(IReadOnlyList<InstrumentStatus> targets, string command, byte[] payload, TimeSpan wait,
        CancellationToken cancellationToken)
    {
        var waits = new List<(InstrumentStatus Target, Pending Pending)>();
        foreach (var target in targets)
        {
            var correlation = Guid.NewGuid().ToByteArray();
            var pending = new Pending(command);
            _pending[Convert.ToHexString(correlation)] = pending;
            waits.Add((target, pending));
            var message = new MqttApplicationMessageBuilder()
                .WithTopic($"{Root}/{target.Site}/{target.Instrument}/cmd/{command}")
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithResponseTopic($"{Root}/{target.Site}/{target.Instrument}/reply/{_session}")
                .WithCorrelationData(correlation)
                .Build();
            var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess)
                pending.Final.TrySetResult(new FleetReply
                {
                    Command = command, Outcome = "refused", Site = target.Site, Instrument = target.Instrument,
                    Reason = $"the broker refused the command: {result.ReasonCode} {result.ReasonString}",
                });
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        try
        {
            await Task.WhenAll(waits.Select(w => w.Pending.Final.Task)).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The wait ran out: whoever did not answer is reported as such.
        }
        return [.. waits.Select(w => w.Pending.Final.Task.IsCompletedSuccessfully
            ? new CommandOutcome(w.Target, w.Pending.Final.Task.Result.Outcome, w.Pending.Final.Task.Result)
            : new CommandOutcome(w.Target, "no answer", null))];
    }

    /// <summary>
    /// Sends the bundle <paramref name="payload"/> (<paramref name="sent"/> names it) to each target and waits up to <paramref name="wait"/>
    /// for the answers; then retains it as desired for every target that did not refuse it: whoever took it, or may take it from its
    /// session when back, should run it from now on, while a refusal changes nothing.
    /// </summary>
    public async Task<IReadOnlyList<CommandOutcome>> DeployAsync(IReadOnlyList<InstrumentStatus> targets, byte[] payload, DesiredBundle sent, TimeSpan wait,
        CancellationToken cancellationToken)
    {
        var outcomes = await SendAsync(targets, "models/install", payload, wait, cancellationToken).ConfigureAwait(false);
        foreach (var o in outcomes.Where(o => o.Outcome != "refused"))
            await PublishDesiredAsync(o.Target, Desired(o.Target, sent.Id, sent), cancellationToken).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>Retains <paramref name="desired"/> on the instrument's desired-models topic, for it to reconcile on every (re)connect.</summary>
    public async Task PublishDesiredAsync(InstrumentStatus target, DesiredModels desired, CancellationToken cancellationToken)
    {
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"{Root}/{target.Site}/{target.Instrument}/models/desired")
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(desired, FleetJson.Default.DesiredModels))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(true)
            .WithContentType("application/json")
            .Build(), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            throw new CommandFailedException($"the broker refused the desired models of {target.Name}: {result.ReasonCode} {result.ReasonString}");
    }

    /// <summary>The instrument's active models (as its status reports them) with <paramref name="id"/> set to <paramref name="bundle"/>, or left out when null.</summary>
    public static DesiredModels Desired(InstrumentStatus target, string id, DesiredBundle? bundle) => new()
    {
        Bundles = [.. target.Models.Where(m => m.Id != id && m.Sha256.Length == 64), .. bundle is null ? [] : new[] { bundle }],
    };

    /// <summary>Whether <paramref name="pattern"/> (two topic levels, each a name or <c>+</c>) is valid.</summary>
    public static bool IsPattern(string pattern) =>
        pattern.Split('/') is [var site, var instrument] && IsLevel(site) && IsLevel(instrument);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build()).ConfigureAwait(false);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // Gone already: nothing to close.
        }
        _client.Dispose();
    }

    private static bool IsLevel(string level) => level == "+" || (level.Length > 0 && level.AsSpan().IndexOfAny("+#\0") < 0);

    private static bool Matches(string pattern, InstrumentStatus status) =>
        MqttTopicFilterComparer.Compare(status.Name, pattern) == MqttTopicFilterCompareResult.IsMatch;

    private async Task SubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken).ConfigureAwait(false);
        if (result.Items.Any(i => (int)i.ResultCode > (int)MqttClientSubscribeResultCode.GrantedQoS2))
            throw new CommandFailedException($"the broker refused the subscription to {filter}: {result.Items.First().ResultCode}");
    }

    private void OnMessage(MqttApplicationMessage message)
    {
        var levels = message.Topic.Split('/');
        if (levels is [Root, _, _, "status"])
        {
            if (InstrumentStatus.Parse(message.Payload.ToArray()) is { Site.Length: > 0, Instrument.Length: > 0 } status)
                _statuses.AddOrUpdate(status.Name, status, (_, old) => status.TimestampUtc >= old.TimestampUtc ? status : old);
            Interlocked.Exchange(ref _lastStatusTicks, DateTime.UtcNow.Ticks);
            return;
        }
        if (message.CorrelationData is not { } correlation || !_pending.TryGetValue(Convert.ToHexString(correlation), out var pending)) return;
        FleetReply? reply;
        try
        {
            reply = JsonSerializer.Deserialize(message.Payload.ToArray(), FleetJson.Default.FleetReply);
        }
        catch (JsonException)
        {
            return;
        }
        // "accepted" with no bundle says the command was taken; the final answer follows (except for status).
        if (reply is not null && (reply.Outcome != "accepted" || reply.Id is not null || pending.Command == "status"))
            pending.Final.TrySetResult(reply);
    }

    /// <summary>Formats a timestamp for tables: UTC, to the second.</summary>
    public static string Format(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    private sealed class Pending(string command)
    {
        public string Command { get; } = command;

        public TaskCompletionSource<FleetReply> Final { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

