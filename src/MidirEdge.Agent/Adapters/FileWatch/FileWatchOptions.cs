using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Profiles;

namespace MidirEdge.Agent.Adapters.FileWatch;

/// <summary>What happens to a file once the pipeline has processed and stored it.</summary>
public enum AfterProcessing
{
    /// <summary>Move it to <see cref="FileWatchOptions.ArchivePath"/>, in a subfolder per UTC day.</summary>
    Archive,
    /// <summary>Leave it where it is; it is remembered by hash for the rest of the run.</summary>
    Leave,
}

/// <summary>Folder-watch settings of one adapter instance, bound from <c>MidirEdge:Adapters:NAME</c> with <c>Kind</c> <c>file-watch</c>.</summary>
public sealed class FileWatchOptions : CaptureAdapterOptions
{
    /// <summary>The adapter kind.</summary>
    public const string AdapterKind = "file-watch";

    /// <summary>The compatibility section of a single file-watch adapter (no <c>Kind</c>; named by its <c>Name</c>, <c>inbox</c> by default).</summary>
    public const string SectionName = "MidirEdge:Adapters:FileWatch";

    /// <summary>Creates the options with the compatibility section's defaults.</summary>
    public FileWatchOptions() : base(SectionName) => Name = "inbox";

    /// <summary>Folder the instrument software writes into.</summary>
    public string Path { get; set; } = "";

    /// <summary>Include globs relative to <see cref="Path"/> (<c>*.0</c>, <c>**/*.jdx</c>), matched ignoring case.</summary>
    public List<string> Include { get; set; } = [];

    /// <summary>Exclude globs; a file matching one is never emitted.</summary>
    public List<string> Exclude { get; set; } = [];

    /// <summary>How long size and last-write time must stay unchanged before a file counts as complete.</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the whole folder is listed, for events the watcher missed (network shares).</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether to use file-system notifications; off leaves discovery to the rescan alone.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>What to do with a processed file.</summary>
    public AfterProcessing AfterProcessing { get; set; } = AfterProcessing.Archive;

    /// <summary>Archive folder; empty means <c>archive</c> inside <see cref="Path"/>.</summary>
    public string ArchivePath { get; set; } = "";

    /// <summary>Quarantine folder for unreadable files; empty means <c>quarantine</c> inside <see cref="Path"/>.</summary>
    public string QuarantinePath { get; set; } = "";

    /// <summary>The archive folder, resolved.</summary>
    public string ResolvedArchivePath => System.IO.Path.GetFullPath(ArchivePath.Length > 0 ? ArchivePath : System.IO.Path.Combine(Path, "archive"));

    /// <summary>The quarantine folder, resolved.</summary>
    public string ResolvedQuarantinePath => System.IO.Path.GetFullPath(QuarantinePath.Length > 0 ? QuarantinePath : System.IO.Path.Combine(Path, "quarantine"));

    /// <inheritdoc />
    internal override void ApplyProfile(DeviceProfile profile) =>
        Apply(profile.FileWatch ?? throw new DeviceProfileException(profile.File, "adapter", "is not a file-watch profile"));

    /// <summary>Fills what the configuration left open from a file-watch device profile: globs when none are configured, and the stable window.</summary>
    public void Apply(FileWatchProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (Include.Count == 0) Include = [.. profile.Include];
        if (Exclude.Count == 0) Exclude = [.. profile.Exclude];
        if (profile.StableFor is { } stable) StableFor = stable;
    }
}

/// <summary>Validates <see cref="FileWatchOptions"/> with messages that name the offending key.</summary>
internal sealed class FileWatchOptionsValidator : IValidateOptions<FileWatchOptions>
{
    public ValidateOptionsResult Validate(string? name, FileWatchOptions o)
    {
        var key = o.Section;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Name))
            failures.Add($"{key}:Name must not be empty.");
        if (string.IsNullOrWhiteSpace(o.Path))
            failures.Add($"{key}:Path must name the folder the instrument writes into.");
        if (o.Include.Count == 0)
            failures.Add($"{key}:Include must hold at least one glob (e.g. \"*.0\"), or a device profile must supply them.");
        if (o.Include.Concat(o.Exclude).Any(string.IsNullOrWhiteSpace))
            failures.Add($"{key}:Include and Exclude must not contain empty globs.");
        if (o.StableFor <= TimeSpan.Zero)
            failures.Add($"{key}:StableFor must be positive (got {o.StableFor}).");
        if (o.RescanInterval <= TimeSpan.Zero)
            failures.Add($"{key}:RescanInterval must be positive (got {o.RescanInterval}).");
        if (!Enum.IsDefined(o.AfterProcessing))
            failures.Add($"{key}:AfterProcessing must be Archive or Leave (got {o.AfterProcessing}).");
        if (failures.Count == 0)
        {
            var path = System.IO.Path.GetFullPath(o.Path);
            if (o.AfterProcessing == AfterProcessing.Archive && SameFolder(o.ResolvedArchivePath, path))
                failures.Add($"{key}:ArchivePath must not be the watched folder itself.");
            if (SameFolder(o.ResolvedQuarantinePath, path))
                failures.Add($"{key}:QuarantinePath must not be the watched folder itself.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(System.IO.Path.TrimEndingDirectorySeparator(a), System.IO.Path.TrimEndingDirectorySeparator(b), StringComparison.OrdinalIgnoreCase);
}

/// <summary>Registers the file-watch adapter kind.</summary>
internal static class FileWatchAdapterRegistration
{
    /// <summary>Adds kind <c>file-watch</c>, its validator, and the compatibility section <c>MidirEdge:Adapters:FileWatch</c> (on once <c>Path</c> is set).</summary>
    public static IServiceCollection AddFileWatchAdapter(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileWatchOptions>, FileWatchOptionsValidator>());
        return services.AddCaptureAdapter<FileWatchAdapter, FileWatchOptions>(FileWatchOptions.AdapterKind, "FileWatch", nameof(FileWatchOptions.Path));
    }
}
