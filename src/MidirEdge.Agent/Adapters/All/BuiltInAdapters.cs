using Microsoft.Extensions.DependencyInjection;
using MidirEdge.Agent.Adapters.FileWatch;
using MidirEdge.Agent.Adapters.Serial;

namespace MidirEdge.Agent.Adapters.All;

/// <summary>The adapter kinds the agent ships, as Telegraf's <c>plugins/inputs/all</c>: one line per folder under <c>Adapters/</c>.</summary>
internal static class BuiltInAdapters
{
    /// <summary>Registers every shipped adapter kind.</summary>
    internal static IServiceCollection AddBuiltInCaptureAdapters(this IServiceCollection services) => services
        .AddFileWatchAdapter()
        .AddSerialAdapter();
}
