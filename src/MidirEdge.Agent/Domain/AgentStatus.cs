using System.Reflection;

namespace MidirEdge.Agent.Domain;

/// <summary>What the agent has loaded and runs, reported in the retained status message; the model store and the adapter supervisor update it.</summary>
public sealed class AgentStatus
{
    private readonly Lock _lock = new();
    private volatile Snapshot _current = new([], [], []);

    /// <summary>Raised after <see cref="UpdateModels"/> and <see cref="UpdateAdapters"/> so the publisher can republish the status.</summary>
    public event Action? Changed;

    /// <summary>Agent version reported in status messages.</summary>
    public static string Version { get; } =
        typeof(AgentStatus).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(AgentStatus).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>Loaded models.</summary>
    public IReadOnlyList<ModelInfo> Models => _current.Models;

    /// <summary>Names of the adapters that are running (not waiting to be restarted).</summary>
    public IReadOnlyList<string> Adapters => [.. _current.Adapters.Where(a => a.State == AdapterRunState.Running).Select(a => a.Name)];

    /// <summary>Every configured adapter and its state.</summary>
    public IReadOnlyList<AdapterReport> AdapterStates => _current.Adapters;

    /// <summary>Bundles the desired models name (<c>id@version</c>) that the agent neither runs nor holds, so it cannot activate them.</summary>
    public IReadOnlyList<string> MissingBundles => _current.MissingBundles;

    /// <summary>Replaces the desired bundles the agent cannot activate.</summary>
    public void UpdateMissingBundles(IReadOnlyList<string> missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        lock (_lock) _current = _current with { MissingBundles = [.. missing] };
        Changed?.Invoke();
    }

    /// <summary>Replaces the list of loaded models.</summary>
    public void UpdateModels(IReadOnlyList<ModelInfo> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        lock (_lock) _current = _current with { Models = [.. models] };
        Changed?.Invoke();
    }

    /// <summary>Replaces the adapters and their states.</summary>
    public void UpdateAdapters(IReadOnlyList<AdapterReport> adapters)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        lock (_lock) _current = _current with { Adapters = [.. adapters] };
        Changed?.Invoke();
    }

    private sealed record Snapshot(ModelInfo[] Models, AdapterReport[] Adapters, string[] MissingBundles);
}

/// <summary>A loaded model as listed in the status message.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Targets">Properties the model predicts.</param>
/// <param name="Sha256">SHA-256 of the bundle's manifest, which lists the SHA-256 of every other file: the bundle's identity.</param>
public sealed record ModelInfo(string Name, string Version, IReadOnlyList<string> Targets, string? Sha256 = null);
