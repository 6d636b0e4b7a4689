using MidirEdge.Agent.Profiles;

namespace MidirEdge.Agent.Adapters.FileWatch;

/// <summary>Which files of a watched folder are instrument files.</summary>
public sealed record FileWatchProfile
{
    /// <summary>Include globs relative to the watched folder (<c>*.0</c>, <c>**/*.jdx</c>).</summary>
    public required IReadOnlyList<string> Include { get; init; }

    /// <summary>Exclude globs.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>How long size and write time must stay unchanged before a file counts as complete; null keeps the configured value.</summary>
    public TimeSpan? StableFor { get; init; }

    /// <summary>Reads the <c>fileWatch</c> section of a <c>file-watch</c> profile.</summary>
    /// <exception cref="DeviceProfileException">The profile is for another kind, or its section is broken.</exception>
    public static FileWatchProfile From(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Section(FileWatchOptions.AdapterKind, Read);
    }

    private static FileWatchProfile Read(ProfileSection s)
    {
        var include = s.Strings("include");
        if (include.Count == 0) throw s.Error("include", "is required: at least one glob");
        var profile = new FileWatchProfile { Include = include, Exclude = s.Strings("exclude"), StableFor = s.OptionalDuration("stableFor") };
        s.EndObject();
        return profile;
    }
}
