using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Health;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Store;

namespace MidirEdge.Agent.Dashboard;

/// <summary>The body of <c>/api/status</c>: what the agent runs and how its delivery and disk are doing.</summary>
/// <param name="Health">The <c>/healthz</c> report.</param>
/// <param name="Site">Site name.</param>
/// <param name="Instrument">Instrument name.</param>
/// <param name="Adapters">Active input adapters.</param>
/// <param name="Models">Loaded model bundles.</param>
/// <param name="Broker">Where results go; omitted when the agent has no publisher.</param>
/// <param name="Outbox">Messages waiting for the broker; omitted when the agent has no cache.</param>
/// <param name="Disk">The cache and the free space beside it; omitted when the agent has no cache.</param>
public sealed record DashboardStatus(HealthReport Health, string? Site, string? Instrument, IReadOnlyList<AdapterState> Adapters,
    IReadOnlyList<ModelState> Models, BrokerState? Broker, OutboxState? Outbox, DiskState? Disk)
{
    /// <summary>Gathers the status from the agent's services; each part is left out when its service is not registered.</summary>
    internal static DashboardStatus Gather(IServiceProvider services, HealthReport health, TimeProvider time)
    {
        var agent = services.GetService<IOptions<MidirEdgeOptions>>()?.Value;
        var adapters = services.GetServices<ICaptureAdapter>()
            .Select(a => new AdapterState(a.Name, a.GetType().Name.Replace("Adapter", "", StringComparison.Ordinal)))
            .ToArray();
        var models = services.GetService<ModelStore>()?.Active.Select(ModelState.Of).ToArray() ?? [];
        var broker = services.GetService<IDeliveryState>() is { } delivery
            ? new BrokerState(delivery.BrokerHost, delivery.BrokerPort, delivery.IsConnected)
            : null;
        var cache = services.GetService<AgentCache>();
        OutboxState? outbox = null;
        DiskState? disk = null;
        if (cache is not null)
        {
            var oldest = cache.Outbox.PeekOldest(1) is [var first] ? first.EnqueuedUtc : (DateTimeOffset?)null;
            outbox = new OutboxState(cache.Outbox.Depth, oldest, oldest is { } o ? (time.GetUtcNow() - o).TotalSeconds : null);
            var drive = new DriveInfo(Path.GetDirectoryName(cache.Path)!);
            disk = new DiskState(cache.Path, cache.SizeBytes, cache.ResultCount, drive.AvailableFreeSpace, drive.TotalSize);
        }
        return new DashboardStatus(health, agent?.Site, agent?.Instrument, adapters, models, broker, outbox, disk);
    }
}

/// <summary>An input adapter.</summary>
/// <param name="Name">Instance name.</param>
/// <param name="Kind">Adapter kind, e.g. <c>FileWatch</c> or <c>Serial</c>.</param>
public sealed record AdapterState(string Name, string Kind);

/// <summary>A loaded model bundle.</summary>
/// <param name="Id">Bundle id.</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="Version">Semantic version.</param>
/// <param name="Signed">Whether its signature was verified.</param>
/// <param name="Targets">What it predicts, with its validation skill where the bundle records it.</param>
public sealed record ModelState(string Id, string Name, string Version, bool Signed, IReadOnlyList<TargetSkill> Targets)
{
    internal static ModelState Of(ModelBundle bundle)
    {
        var manifest = bundle.Manifest;
        var targets = manifest.Targets.Select(t =>
        {
            var model = manifest.Models.FirstOrDefault(m => m.Targets.Contains(t.Name));
            var stats = model?.Training?.Statistics.GetValueOrDefault(t.Name);
            return new TargetSkill(t.Name, t.Unit, stats?.Rmse, stats?.R2, stats?.Rpd, model?.Training?.Validation);
        }).ToArray();
        return new ModelState(bundle.Id, manifest.Name, bundle.Version, bundle.IsSigned, targets);
    }
}

/// <summary>A predicted property and how well it validated.</summary>
/// <param name="Name">Target name.</param>
/// <param name="Unit">Unit, if declared.</param>
/// <param name="Rmse">Validation RMSE in <paramref name="Unit"/>.</param>
/// <param name="R2">Validation R².</param>
/// <param name="Rpd">Validation RPD.</param>
/// <param name="Validation">How the statistics were obtained.</param>
public sealed record TargetSkill(string Name, string? Unit, double? Rmse, double? R2, double? Rpd, string? Validation);

/// <summary>The broker results are published to.</summary>
/// <param name="Host">Host name, or <c>embedded</c> for the agent's own broker.</param>
/// <param name="Port">Port.</param>
/// <param name="Connected">Whether the publisher is connected.</param>
public sealed record BrokerState(string Host, int Port, bool Connected);

/// <summary>The delivery outbox.</summary>
/// <param name="Depth">Messages waiting.</param>
/// <param name="OldestUtc">When the oldest waiting message was enqueued.</param>
/// <param name="OldestAgeSeconds">How long it has waited.</param>
public sealed record OutboxState(int Depth, DateTimeOffset? OldestUtc, double? OldestAgeSeconds);

/// <summary>The cache file and the disk it is on.</summary>
/// <param name="CachePath">Cache file.</param>
/// <param name="CacheBytes">Bytes it occupies.</param>
/// <param name="CachedResults">Results it holds.</param>
/// <param name="FreeBytes">Bytes free for the agent on that disk.</param>
/// <param name="TotalBytes">Size of that disk.</param>
public sealed record DiskState(string CachePath, long CacheBytes, int CachedResults, long FreeBytes, long TotalBytes);
