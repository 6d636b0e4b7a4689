using System.ComponentModel.DataAnnotations;
using MidirEdge.Agent.Profiles;

namespace MidirEdge.Agent.Adapters;

/// <summary>Settings every adapter instance has, bound from <c>MidirEdge:Adapters:NAME</c>.</summary>
public abstract class CaptureAdapterOptions
{
    /// <summary>Creates options whose errors name keys under <paramref name="section"/> until they are bound from another one.</summary>
    protected CaptureAdapterOptions(string section) => Section = section;

    /// <summary>Instance name, copied into each capture: the section's key (the compatibility sections read it from <c>Name</c>).</summary>
    [Required(ErrorMessage = "must not be empty.")]
    public string Name { get; set; } = "";

    /// <summary>Adapter kind (<c>file-watch</c>, <c>serial</c>); the compatibility sections imply it.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Device profile: a file path, or a profile name in the <c>device-profiles</c> folder.</summary>
    public string Profile { get; set; } = "";

    /// <summary>The configuration section these options were bound from (e.g. <c>MidirEdge:Adapters:lab-a</c>); errors name keys under it.</summary>
    internal string Section { get; set; } = "";

    /// <summary>Takes what the configuration left open from <paramref name="profile"/>; a profile for another kind throws <see cref="DeviceProfileException"/>.</summary>
    internal abstract void ApplyProfile(DeviceProfile profile);
}
