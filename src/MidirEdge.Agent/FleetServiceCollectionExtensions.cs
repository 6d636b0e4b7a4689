using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Fleet;
using MidirEdge.Agent.Mqtt;

namespace MidirEdge.Agent;

/// <summary>Registers model deployment over MQTT (commands and desired models), when <c>MidirEdge:Fleet:Enabled</c> is true.</summary>
public static class FleetServiceCollectionExtensions
{
    /// <summary>Binds <c>MidirEdge:Fleet</c> (validated on start); when enabled registers <see cref="FleetCommands"/> as a hosted service and an <see cref="IMqttListener"/>.</summary>
    public static IServiceCollection AddMidirEdgeFleet(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(FleetOptions.SectionName);
        services.AddOptions<FleetOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FleetOptions>, FleetOptionsValidator>());
        if (!section.GetValue<bool>(nameof(FleetOptions.Enabled))) return services;
        services.TryAddSingleton<FleetCommands>();
        services.AddSingleton<IMqttListener>(sp => sp.GetRequiredService<FleetCommands>());
        services.AddHostedService(sp => sp.GetRequiredService<FleetCommands>());
        return services;
    }
}
