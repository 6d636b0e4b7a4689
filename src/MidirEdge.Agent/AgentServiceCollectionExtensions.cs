using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Adapters;
using MidirEdge.Agent.Adapters.All;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.ModelUpdates;
using MidirEdge.Agent.Pipeline;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Store;

namespace MidirEdge.Agent;

/// <summary>Registers the whole agent: delivery, health, QC, the model store, the adapters and the pipeline.</summary>
public static class AgentServiceCollectionExtensions
{
    /// <summary>Adds every part of the agent, configured from <paramref name="configuration"/> and validated on start.</summary>
    public static IServiceCollection AddMidirEdgeAgent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMidirEdgeDelivery(configuration);
        services.AddMidirEdgeHealth(configuration);
        services.AddMidirEdgeQc(configuration);

        services.AddOptions<ModelsOptions>().Bind(configuration.GetSection(ModelsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelsOptions>, ModelsOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var models = sp.GetRequiredService<IOptions<ModelsOptions>>().Value;
            var trust = models.TrustedKeys.Count == 0 ? BundleTrust.None : BundleTrust.FromPem(models.TrustedKeys.Select(File.ReadAllText), models.RequireSignature);
            return new ModelStore(models.ResolvedPath(sp.GetRequiredService<IOptions<MidirEdgeOptions>>().Value.DataDir), trust,
                sp.GetRequiredService<ILogger<ModelStore>>());
        });

        // Adapter kinds register themselves (Adapters/*); the instances come from MidirEdge:Adapters:NAME.
        services.AddBuiltInCaptureAdapters();
        services.AddCaptureAdapters(configuration);

        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>());
        services.TryAddSingleton(sp => Channel.CreateBounded<Capture>(new BoundedChannelOptions(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        }));
        services.TryAddSingleton<SpectrumProcessor>();
        services.AddHostedService<ModelStoreService>();
        services.AddHostedService<PipelineService>();
        services.AddMidirEdgeFleet(configuration);
        return services;
    }
}
