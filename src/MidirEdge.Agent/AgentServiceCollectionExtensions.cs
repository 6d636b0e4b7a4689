using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Adapters.FileWatch;
using MidirEdge.Agent.Adapters.Serial;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.ModelUpdates;
using MidirEdge.Agent.Pipeline;
using MidirEdge.Agent.Profiles;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Store;

namespace MidirEdge.Agent;

/// <summary>Registers the whole agent: delivery, health, QC, the model store, the adapters and the pipeline.</summary>
public static class AgentServiceCollectionExtensions
{
    /// <summary>Key naming the device profile (a name in <c>device-profiles/</c> or a path) the file-watch adapter follows; the serial adapter's is <c>MidirEdge:Adapters:Serial:Profile</c>.</summary>
    public const string FileWatchProfileKey = FileWatchOptions.SectionName + ":Profile";

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

        var fileWatch = configuration.GetSection(FileWatchOptions.SectionName);
        if (!string.IsNullOrWhiteSpace(fileWatch["Path"]))
        {
            services.AddOptions<FileWatchOptions>().Bind(fileWatch).ValidateOnStart()
                .PostConfigure(options =>
                {
                    if (configuration[FileWatchProfileKey] is { Length: > 0 } profile)
                        options.Apply(LoadProfile(profile).FileWatch ?? throw new DeviceProfileException(profile, "adapter", "is not a file-watch profile"));
                });
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileWatchOptions>, FileWatchOptionsValidator>());
            services.AddSingleton<ICaptureAdapter>(sp => new FileWatchAdapter(sp.GetRequiredService<IOptions<FileWatchOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FileWatchAdapter>>()));
        }

        var serial = configuration.GetSection(SerialOptions.SectionName);
        if (!string.IsNullOrWhiteSpace(serial["Port"]))
        {
            services.AddOptions<SerialOptions>().Bind(serial).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SerialOptions>, SerialOptionsValidator>());
            services.AddSingleton<ICaptureAdapter>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<SerialOptions>>().Value;
                var profile = LoadProfile(options.Profile).Serial ?? throw new DeviceProfileException(options.Profile, "adapter", "is not a serial profile");
                return new SerialAdapter(options, profile, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<AgentMetrics>(), sp.GetRequiredService<ILogger<SerialAdapter>>());
            });
        }

        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineOptions>());
        services.TryAddSingleton(sp => Channel.CreateBounded<Capture>(new BoundedChannelOptions(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        }));
        services.TryAddSingleton<SpectrumProcessor>();
        services.AddHostedService<ModelStoreService>();
        services.AddHostedService<PipelineService>();
        return services;
    }

    private static DeviceProfile LoadProfile(string nameOrPath) =>
        DeviceProfiles.LoadNamed(nameOrPath, Path.Combine(AppContext.BaseDirectory, "device-profiles"));
}
