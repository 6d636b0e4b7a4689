using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Dashboard;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Telemetry;

namespace MidirEdge.Agent;

/// <summary>Registers the health and metrics endpoint.</summary>
public static class HealthServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>MidirEdge:Health</c> (validated on start) and registers <see cref="AgentMetrics"/>, <see cref="PipelineLiveness"/>,
    /// the dashboard's <see cref="LiveFeed"/> and endpoints, and the hosted <see cref="HealthServer"/>; under systemd with
    /// <c>WatchdogSec=</c> (<see cref="WatchdogSettings.FromEnvironment"/>) also the hosted <see cref="SystemdWatchdog"/>. With
    /// <see cref="DeliveryServiceCollectionExtensions.AddMidirEdgeDelivery"/> also called, the outbox and MQTT connection state
    /// are reported and judged.
    /// </summary>
    public static IServiceCollection AddMidirEdgeHealth(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AgentMetrics>();
        services.TryAddSingleton<PipelineLiveness>();
        services.TryAddSingleton<LiveFeed>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebEndpoints, DashboardEndpoints>());
        services.TryAddSingleton<HealthServer>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthServer>());
        if (WatchdogSettings.FromEnvironment() is { } watchdog)
        {
            services.TryAddSingleton(watchdog);
            services.AddHostedService<SystemdWatchdog>();
        }
        return services;
    }
}
