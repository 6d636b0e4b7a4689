using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Profiles;

namespace MidirEdge.Agent.Adapters;

/// <summary>Registers adapter kinds and the adapter instances configured under <c>MidirEdge:Adapters</c>.</summary>
public static class CaptureAdapterServiceCollectionExtensions
{
    /// <summary>The section holding one subsection per adapter instance: <c>MidirEdge:Adapters:NAME:{Kind, Profile, …}</c>.</summary>
    public const string SectionName = "MidirEdge:Adapters";

    /// <summary>
    /// Registers adapter kind <paramref name="kind"/>: <see cref="AddCaptureAdapters"/> then adds a <typeparamref name="TAdapter"/>
    /// for every <c>MidirEdge:Adapters:NAME</c> section whose <c>Kind</c> is <paramref name="kind"/>, and for the compatibility
    /// section <c>MidirEdge:Adapters:<paramref name="compatibilitySection"/></c> (no <c>Kind</c>) once its
    /// <paramref name="compatibilityKey"/> is set. The adapter is built with its named <typeparamref name="TOptions"/>
    /// (validated on start by the <see cref="IValidateOptions{TOptions}"/> registered for it) and services from the container.
    /// </summary>
    public static IServiceCollection AddCaptureAdapter<TAdapter, TOptions>(this IServiceCollection services, string kind,
        string? compatibilitySection = null, string? compatibilityKey = null)
        where TAdapter : class, ICaptureAdapter
        where TOptions : CaptureAdapterOptions, new() =>
        services.AddCaptureAdapter<TAdapter, TOptions>(kind, compatibilitySection, compatibilityKey, BindByReflection);

    /// <summary>As the public overload, with options bound by <paramref name="bind"/>: the shipped kinds pass generated binding.</summary>
    internal static IServiceCollection AddCaptureAdapter<TAdapter, TOptions>(this IServiceCollection services, string kind,
        string? compatibilitySection, string? compatibilityKey, Action<IConfiguration, TOptions> bind)
        where TAdapter : class, ICaptureAdapter
        where TOptions : CaptureAdapterOptions, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        services.AddSingleton(new CaptureAdapterKind(kind, compatibilitySection, compatibilityKey,
            (s, k, section, compatible) => AddInstance<TAdapter, TOptions>(s, k, section, compatible, bind)));
        return services;
    }

    // A plug-in kind's options type is known only where the kind is registered, out of the binding generator's sight.
    private static void BindByReflection<TOptions>(IConfiguration section, TOptions options) where TOptions : class =>
        new ConfigureFromConfigurationOptions<TOptions>(section).Configure(options);

    /// <summary>
    /// Adds every adapter instance configured under <c>MidirEdge:Adapters</c> for the kinds registered so far, and the
    /// <see cref="AdapterSupervisor"/> that runs them. A section naming no known kind fails validation on start.
    /// </summary>
    internal static IServiceCollection AddCaptureAdapters(this IServiceCollection services, IConfiguration configuration)
    {
        var kinds = services.Where(d => d.ServiceType == typeof(CaptureAdapterKind)).Select(d => (CaptureAdapterKind)d.ImplementationInstance!).ToList();
        var known = string.Join(", ", kinds.Select(k => k.Kind));
        var problems = new List<string>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            CaptureAdapterKind? kind;
            var compatible = false;
            if (section["Kind"] is { Length: > 0 } kindName)
            {
                kind = kinds.FirstOrDefault(k => string.Equals(k.Kind, kindName.Trim(), StringComparison.OrdinalIgnoreCase));
                if (kind is null)
                {
                    problems.Add($"{section.Path}:Kind must be one of {known} (got '{kindName}').");
                    continue;
                }
            }
            else
            {
                kind = kinds.FirstOrDefault(k => string.Equals(k.CompatibilitySection, section.Key, StringComparison.OrdinalIgnoreCase));
                if (kind is null)
                {
                    problems.Add($"{section.Path}:Kind must name the adapter kind ({known}).");
                    continue;
                }
                // As before named instances: the compatibility section is off until its main key is set.
                if (string.IsNullOrWhiteSpace(section[kind.CompatibilityKey!])) continue;
                compatible = true;
            }
            var name = kind.AddInstance(services, kind.Kind, section, compatible);
            if (!names.TryAdd(name, section.Path))
                problems.Add($"{section.Path} names adapter '{name}', as {names[name]} does; adapter names must differ.");
        }
        services.AddOptions<AdapterSectionsChecked>().ValidateOnStart()
            .Validate(_ => problems.Count == 0, string.Join(" ", problems));
        services.AddSingleton<AdapterSupervisor>();
        return services;
    }

    private static string AddInstance<TAdapter, TOptions>(IServiceCollection services, string kind, IConfigurationSection section, bool compatible,
        Action<IConfiguration, TOptions> bind)
        where TAdapter : class, ICaptureAdapter
        where TOptions : CaptureAdapterOptions, new()
    {
        // The instance is named by its section's key; a compatibility section by its Name key, as before.
        var name = compatible ? (section["Name"] is { Length: > 0 } configured ? configured : new TOptions().Name) : section.Key;
        services.AddOptions<TOptions>(name)
            .Configure(o =>
            {
                bind(section, o);
                o.Name = name;
                o.Kind = kind;
                o.Section = section.Path;
            })
            .PostConfigure(o =>
            {
                if (o.Profile is { Length: > 0 } profile)
                    o.ApplyProfile(DeviceProfiles.LoadNamed(profile));
            })
            .ValidateOnStart();
        services.AddSingleton<ICaptureAdapter>(sp => ActivatorUtilities.CreateInstance<TAdapter>(sp, sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name)));
        services.AddSingleton(new AdapterInstance(name, kind));
        return name;
    }

    /// <summary>Stands for the <c>MidirEdge:Adapters</c> section as a whole, so its problems fail validation on start like any setting.</summary>
    private sealed class AdapterSectionsChecked;
}

/// <summary>A registered adapter kind and how to add one instance of it.</summary>
internal sealed record CaptureAdapterKind(string Kind, string? CompatibilitySection, string? CompatibilityKey,
    Func<IServiceCollection, string, IConfigurationSection, bool, string> AddInstance);

/// <summary>A configured adapter instance: its name and kind.</summary>
/// <param name="Name">Instance name.</param>
/// <param name="Kind">Adapter kind.</param>
public sealed record AdapterInstance(string Name, string Kind);
