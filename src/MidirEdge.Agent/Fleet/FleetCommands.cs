using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.ModelUpdates;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Models;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Store;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Fleet;

/// <summary>
/// Model deployment over MQTT: installs signed bundles sent on <c>…/cmd/models/install</c>, rolls back on
/// <c>…/cmd/models/rollback</c>, republishes the status on <c>…/cmd/status</c>, answering each on its MQTT 5 response topic;
/// and reconciles the retained desired models on every (re)connect from the bundles it holds. Commands run one at a time.
/// </summary>
/// <remarks>
/// Bundles are installed with <see cref="ModelStore.Install"/>, as <c>midir-edge models install</c> does, but must carry a signature
/// from a trusted key whatever <c>MidirEdge:Models:RequireSignature</c> says; a refused one leaves the running models untouched.
/// Each installed bundle is kept in <c>{DataDir}/fleet/</c> under its manifest's SHA-256, so the desired models can name it later,
/// until it is neither desired nor active.
/// </remarks>
public sealed partial class FleetCommands : BackgroundService, IMqttListener
{
    private const string Install = "models/install";
    private const string Rollback = "models/rollback";
    private const string Status = "status";
    private const int QueueLength = 16;

    private readonly ModelStore _store;
    private readonly AgentStatus _status;
    private readonly MidirEdgeOptions _agent;
    private readonly ILogger<FleetCommands> _logger;
    private readonly BundleTrust _signedOnly;
    private readonly string _commands;
    private readonly string _desiredTopic;
    private readonly string _held;
    private readonly Channel<(ListenedMessage Message, IMqttLink Link)> _queue =
        Channel.CreateBounded<(ListenedMessage, IMqttLink)>(new BoundedChannelOptions(QueueLength) { SingleReader = true });
    private DesiredModels? _desired;

    /// <summary>Creates the listener; its folder of held bundles is created on start.</summary>
    public FleetCommands(ModelStore store, AgentStatus status, IOptions<MidirEdgeOptions> agent, IOptions<FleetOptions> fleet,
        IOptions<ModelsOptions> models, ILogger<FleetCommands> logger)
    {
        _store = store;
        _status = status;
        _agent = agent.Value;
        _logger = logger;
        _signedOnly = BundleTrust.FromPem(models.Value.TrustedKeys.Select(File.ReadAllText), requireSignature: true);
        string Fill(string template) => template
            .Replace("{site}", _agent.Site, StringComparison.Ordinal)
            .Replace("{instrument}", _agent.Instrument, StringComparison.Ordinal);
        _commands = Fill(fleet.Value.CommandTopic).TrimEnd('/');
        _desiredTopic = Fill(fleet.Value.DesiredTopic);
        _held = Path.Combine(_agent.DataDir, "fleet");
        TopicFilters = [$"{_commands}/{Install}", $"{_commands}/{Rollback}", $"{_commands}/{Status}", _desiredTopic];
    }

    /// <inheritdoc />
    public IReadOnlyList<string> TopicFilters { get; }

    /// <inheritdoc />
    public void OnMessage(ListenedMessage message, IMqttLink link)
    {
        ArgumentNullException.ThrowIfNull(message);
        // Commands are rare; a flood beyond the queue is dropped rather than held in memory (each may be a bundle).
        if (!_queue.Writer.TryWrite((message, link)))
            LogQueueFull(message.Topic, QueueLength);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(_held);
        await foreach (var (message, link) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await HandleAsync(message, link, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogCommandFailed(ex, message.Topic);
            }
        }
    }

    private async Task HandleAsync(ListenedMessage message, IMqttLink link, CancellationToken cancellationToken)
    {
        if (message.Topic == _desiredTopic)
        {
            Desire(message.Payload);
            Reconcile(cancellationToken);
            return;
        }
        var command = message.Topic[(_commands.Length + 1)..];
        if (command == Status)
        {
            link.RepublishStatus();
            await ReplyAsync(message, link, Reply(command, "accepted"), cancellationToken).ConfigureAwait(false);
            return;
        }
        await ReplyAsync(message, link, Reply(command, "accepted"), cancellationToken).ConfigureAwait(false);
        var answer = command == Install ? InstallBundle(message.Payload, cancellationToken) : RollbackBundle(message.Payload);
        LogAnswered(command, answer.Outcome, answer.Id, answer.Version, answer.Reason);
        await ReplyAsync(message, link, answer, cancellationToken).ConfigureAwait(false);
        Reconcile(cancellationToken);
    }

    private FleetReply InstallBundle(byte[] payload, CancellationToken cancellationToken)
    {
        var incoming = Path.Combine(_held, $"incoming-{Guid.NewGuid():N}.zip");
        try
        {
            File.WriteAllBytes(incoming, payload);
            var installed = _store.Install(incoming, cancellationToken, _signedOnly);
            File.Move(incoming, HeldPath(installed.ManifestSha256), overwrite: true);
            var active = _store.Active.FirstOrDefault(b => b.Id == installed.Id);
            return active?.ManifestSha256 == installed.ManifestSha256
                ? Reply(Install, "active") with { Id = installed.Id, Version = installed.Version, Sha256 = installed.ManifestSha256 }
                : Reply(Install, "accepted") with
                {
                    Id = installed.Id, Version = installed.Version, Sha256 = installed.ManifestSha256,
                    Reason = $"installed, but {installed.Id} {active?.Version} stays active (a higher version)",
                };
        }
        catch (Exception ex) when (ex is ModelException or IOException or UnauthorizedAccessException)
        {
            return Reply(Install, "refused") with { Reason = Describe(ex) };
        }
        finally
        {
            File.Delete(incoming);
        }
    }

    private FleetReply RollbackBundle(byte[] payload)
    {
        RollbackCommand? command;
        try
        {
            command = JsonSerializer.Deserialize(payload, FleetJson.Default.RollbackCommand);
        }
        catch (JsonException ex)
        {
            return Reply(Rollback, "refused") with { Reason = $"the payload is not {{\"id\": \"BUNDLE\"}}: {OneLine.Quote(ex.Message)}" };
        }
        if (command?.Id is not { Length: > 0 } id)
            return Reply(Rollback, "refused") with { Reason = "the payload names no bundle: {\"id\": \"BUNDLE\"}" };
        if (!_store.Active.Any(b => b.Id == id))
            return Reply(Rollback, "refused") with { Id = OneLine.Quote(id), Reason = $"no bundle {OneLine.Quote(id)} is installed" };
        if (!_store.Rollback(id))
            return Reply(Rollback, "refused") with { Id = id, Reason = $"{id} has no previous version to return to" };
        var active = _store.Active.First(b => b.Id == id);
        return Reply(Rollback, "active") with { Id = id, Version = active.Version, Sha256 = active.ManifestSha256 };
    }

    /// <summary>Takes the retained desired models; an empty payload (the retained message cleared) desires nothing.</summary>
    private void Desire(byte[] payload)
    {
        if (payload.Length == 0)
        {
            _desired = null;
            return;
        }
        try
        {
            var desired = JsonSerializer.Deserialize(payload, FleetJson.Default.DesiredModels);
            if (desired is null || desired.Bundles.Any(b => b is null || string.IsNullOrEmpty(b.Id) || !IsSha256(b.Sha256)))
                throw new JsonException("every bundle needs an id, a version and a 64-digit lower-case sha256");
            _desired = desired;
        }
        catch (JsonException ex)
        {
            LogDesiredRefused(_desiredTopic, OneLine.Quote(ex.Message));
        }
    }

    /// <summary>Activates each desired bundle the agent holds and does not run; reports the ones it cannot.</summary>
    private void Reconcile(CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var want in _desired?.Bundles ?? [])
        {
            if (_store.Active.Any(b => b.Id == want.Id && b.ManifestSha256 == want.Sha256)) continue;
            var held = HeldPath(want.Sha256);
            if (File.Exists(held))
            {
                try
                {
                    var installed = _store.Install(held, cancellationToken, _signedOnly);
                    if (_store.Active.Any(b => b.ManifestSha256 == want.Sha256))
                    {
                        LogReconciled(installed.Id, installed.Version);
                        continue;
                    }
                }
                catch (Exception ex) when (ex is ModelException or IOException or UnauthorizedAccessException)
                {
                    LogHeldRefused(held, ex.Message);
                }
            }
            missing.Add($"{want.Id}@{want.Version}");
        }
        if (!missing.SequenceEqual(_status.MissingBundles, StringComparer.Ordinal))
            _status.UpdateMissingBundles(missing);
        if (missing.Count > 0) LogMissing(string.Join(", ", missing));
        if (_desired is not null) ForgetUnwanted(_desired);
    }

    /// <summary>Deletes the held bundles neither desired nor active, so the folder does not grow with every roll-out.</summary>
    private void ForgetUnwanted(DesiredModels desired)
    {
        var keep = desired.Bundles.Select(b => b.Sha256).Concat(_store.Active.Select(b => b.ManifestSha256)).ToHashSet(StringComparer.Ordinal);
        foreach (var held in Directory.EnumerateFiles(_held, "*.zip").Where(f => IsSha256(Path.GetFileNameWithoutExtension(f))).ToArray())
        {
            if (keep.Contains(Path.GetFileNameWithoutExtension(held))) continue;
            try
            {
                File.Delete(held);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogForgetFailed(held, ex.Message);
            }
        }
    }

    private async Task ReplyAsync(ListenedMessage request, IMqttLink link, FleetReply reply, CancellationToken cancellationToken)
    {
        if (request.ResponseTopic is not { Length: > 0 } topic) return;
        try
        {
            await link.ReplyAsync(topic, JsonSerializer.SerializeToUtf8Bytes(reply, FleetJson.Default.FleetReply), request.CorrelationData, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogReplyFailed(OneLine.Quote(topic), Describe(ex));
        }
    }

    private FleetReply Reply(string command, string outcome) => new() { Command = command, Outcome = outcome, Site = _agent.Site, Instrument = _agent.Instrument };

    private string HeldPath(string sha256) => Path.Combine(_held, sha256 + ".zip");

    private static bool IsSha256(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigitLower);

    /// <summary>The reason alone for a bundle (its path is the agent's temporary file), else the exception in one line.</summary>
    private static string Describe(Exception ex) => ex is ModelException model ? model.Reason : OneLine.Quote($"{ex.GetType().Name}: {ex.Message}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet message on {Topic} dropped: {Length} commands already wait")]
    private partial void LogQueueFull(string topic, int length);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fleet message on {Topic} failed")]
    private partial void LogCommandFailed(Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet command {Command}: {Outcome} {Id} {Version} {Reason}")]
    private partial void LogAnswered(string command, string outcome, string? id, string? version, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Desired models on {Topic} ignored: {Reason}")]
    private partial void LogDesiredRefused(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Desired model {Id} {Version} activated from the bundles held")]
    private partial void LogReconciled(string id, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Held bundle {Path} refused: {Reason}")]
    private partial void LogHeldRefused(string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Desired models not held here, so not active: {Missing}")]
    private partial void LogMissing(string missing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the held bundle {Path}, no longer desired: {Reason}")]
    private partial void LogForgetFailed(string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not answer on {Topic}: {Reason}")]
    private partial void LogReplyFailed(string topic, string reason);
}
