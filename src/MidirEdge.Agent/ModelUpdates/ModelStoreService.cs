using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Models.Store;

namespace MidirEdge.Agent.ModelUpdates;

/// <summary>Loads the model directory at start, reloads it on change, and keeps the published status's model list current.</summary>
public sealed class ModelStoreService(ModelStore store, AgentStatus status, IOptions<ModelsOptions> options) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Changed += (_, _) => Publish();
        store.Reload();
        Publish();
        store.Watch(options.Value.ReloadDelay);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Publish() =>
        status.Update([.. store.Active.Select(b => new ModelInfo(b.Id, b.Version, [.. b.Manifest.Targets.Select(t => t.Name)]))], status.Adapters);
}
