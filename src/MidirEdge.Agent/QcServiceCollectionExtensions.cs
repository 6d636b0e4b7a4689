using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Qc;

namespace MidirEdge.Agent;

/// <summary>Registers the quality control that runs before prediction.</summary>
public static class QcServiceCollectionExtensions
{
    /// <summary>Binds <c>MidirEdge:Qc</c> (validated on start) and registers <see cref="SpectrumQc"/> as a singleton.</summary>
    public static IServiceCollection AddMidirEdgeQc(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<QcOptions>().Bind(configuration.GetSection(QcOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QcOptions>, QcOptionsValidator>());
        services.TryAddSingleton<SpectrumQc>();
        return services;
    }
}
