using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Domain;
using MidirEdge.Models.Store;

namespace MidirEdge.Agent.ModelUpdates;

/// <summary>Loads the model directory at start, reloads it on change, and keeps the published status's model list current.</summary>
/// <remarks>Stopping the agent cancels a load in progress, so a slow bundle never holds up a shutdown.</remarks>
public sealed class ModelStoreService(ModelStore store, AgentStatus status, IOptions<ModelsOptions> options) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        store.Changed += (_, _) => Publish();
        store.Reload(starting.Token);
        Publish();
        store.Watch(options.Value.ReloadDelay, _stopping.Token);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private void Publish() =>
        status.UpdateModels([.. store.Active.Select(b => new ModelInfo(b.Id, b.Version, [.. b.Manifest.Targets.Select(t => t.Name)], b.ManifestSha256))]);
}
