using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Delivery;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Mqtt;

namespace MidirEdge.Agent;

/// <summary>Registers the delivery end of the agent: cache, outbox, embedded broker and MQTT publisher.</summary>
public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>MidirEdge</c>, <c>MidirEdge:Mqtt</c> and <c>MidirEdge:Cache</c> (validated on start) and registers
    /// <see cref="AgentCache"/>, <see cref="Outbox"/>, <see cref="DiskFloor"/>, <see cref="AgentStatus"/>, <see cref="ResultDelivery"/>, the <see cref="IDeliveryState"/> health reads, and the hosted
    /// <see cref="EmbeddedBroker"/>, <see cref="MqttPublisher"/> and <see cref="CacheRetentionService"/>.
    /// </summary>
    public static IServiceCollection AddMidirEdgeDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MidirEdgeOptions>().Bind(configuration.GetSection(MidirEdgeOptions.SectionName)).ValidateOnStart();
        services.AddOptions<MqttOptions>().Bind(configuration.GetSection(MqttOptions.SectionName)).ValidateOnStart();
        services.AddOptions<CacheOptions>().Bind(configuration.GetSection(CacheOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MidirEdgeOptions>, MidirEdgeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CacheOptions>, CacheOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => AgentCache.Open(
            Path.Combine(sp.GetRequiredService<IOptions<MidirEdgeOptions>>().Value.DataDir,
                sp.GetRequiredService<IOptions<CacheOptions>>().Value.FileName),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AgentCache>>(), sp.GetRequiredService<AgentMetrics>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<AgentCache>().Outbox);
        services.TryAddSingleton<AgentMetrics>();
        services.TryAddSingleton<DiskFloor>();
        services.TryAddSingleton<AgentStatus>();
        services.TryAddSingleton<AgentCredential>();
        services.TryAddSingleton<ResultDelivery>();

        // Registration order is start order: the embedded broker listens before the publisher connects.
        services.AddHostedService<EmbeddedBroker>();
        services.TryAddSingleton<MqttPublisher>();
        services.TryAddSingleton<IDeliveryState>(sp => sp.GetRequiredService<MqttPublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<MqttPublisher>());
        services.AddHostedService<CacheRetentionService>();
        return services;
    }
}
