using System.Reflection;

namespace MidirEdge.Agent.Domain;

/// <summary>What the agent has loaded, reported in the retained status message; the pipeline updates it.</summary>
public sealed class AgentStatus
{
    private volatile Snapshot _current = new([], []);

    /// <summary>Raised after <see cref="Update"/> so the publisher can republish the status.</summary>
    public event Action? Changed;

    /// <summary>Agent version reported in status messages.</summary>
    public static string Version { get; } =
        typeof(AgentStatus).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(AgentStatus).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>Loaded models.</summary>
    public IReadOnlyList<ModelInfo> Models => _current.Models;

    /// <summary>Active input adapters.</summary>
    public IReadOnlyList<string> Adapters => _current.Adapters;

    /// <summary>Replaces the lists of loaded models and active adapters.</summary>
    public void Update(IReadOnlyList<ModelInfo> models, IReadOnlyList<string> adapters)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(adapters);
        _current = new Snapshot([.. models], [.. adapters]);
        Changed?.Invoke();
    }

    private sealed record Snapshot(ModelInfo[] Models, string[] Adapters);
}

/// <summary>A loaded model as listed in the status message.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Targets">Properties the model predicts.</param>
public sealed record ModelInfo(string Name, string Version, IReadOnlyList<string> Targets);
