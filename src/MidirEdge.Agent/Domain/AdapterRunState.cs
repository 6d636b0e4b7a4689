using System.Text.Json.Serialization;

namespace MidirEdge.Agent.Domain;

/// <summary>Where a supervised adapter stands.</summary>
public enum AdapterRunState
{
    /// <summary>Capturing.</summary>
    [JsonStringEnumMemberName("running")]
    Running,
    /// <summary>Failed; waiting out its back-off before it is started again.</summary>
    [JsonStringEnumMemberName("restarting")]
    Restarting,
    /// <summary>Failed several times in a row without capturing anything; still restarted with back-off, and the agent is unhealthy.</summary>
    [JsonStringEnumMemberName("faulted")]
    Faulted,
}

/// <summary>One adapter instance as <c>/healthz</c> and the status message report it.</summary>
/// <param name="Name">Instance name.</param>
/// <param name="Kind">Adapter kind, e.g. <c>file-watch</c>.</param>
/// <param name="State">Running, restarting or faulted.</param>
/// <param name="Reason">Why it last failed; omitted while it has not.</param>
/// <param name="LastCaptureUtc">When it last captured something; omitted before the first capture.</param>
/// <param name="Restarts">How often it was restarted after a failure.</param>
public sealed record AdapterReport(
    string Name,
    string Kind,
    [property: JsonConverter(typeof(JsonStringEnumConverter<AdapterRunState>))] AdapterRunState State,
    string? Reason,
    DateTimeOffset? LastCaptureUtc,
    int Restarts);

/// <summary>Names of <see cref="AdapterRunState"/> as they appear in payloads and metric labels.</summary>
internal static class AdapterRunStates
{
    public static string Name(AdapterRunState state) => state switch
    {
        AdapterRunState.Running => "running",
        AdapterRunState.Restarting => "restarting",
        _ => "faulted",
    };
}
