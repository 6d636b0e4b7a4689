using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
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
    [Required(ErrorMessage = "must name the folder the instrument writes into.")]
    public string Path { get; set; } = "";

    /// <summary>Include globs relative to <see cref="Path"/> (<c>*.0</c>, <c>**/*.jdx</c>), matched ignoring case.</summary>
    [MinLength(1, ErrorMessage = "must hold at least one glob (e.g. \"*.0\"), or a device profile must supply them.")]
    [NoEmptyGlob]
    public List<string> Include { get; set; } = [];

    /// <summary>Exclude globs; a file matching one is never emitted.</summary>
    [NoEmptyGlob]
    public List<string> Exclude { get; set; } = [];

    /// <summary>How long size and last-write time must stay unchanged before a file counts as complete.</summary>
    [Positive]
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the whole folder is listed, for events the watcher missed (network shares).</summary>
    [Positive]
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether to use file-system notifications; off leaves discovery to the rescan alone.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>What to do with a processed file.</summary>
    [EnumDataType(typeof(AfterProcessing), ErrorMessage = "must be Archive or Leave.")]
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
    internal override void ApplyProfile(DeviceProfile profile) => Apply(FileWatchProfile.From(profile));

    /// <summary>Fills what the configuration left open from a file-watch device profile: globs when none are configured, and the stable window.</summary>
    public void Apply(FileWatchProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (Include.Count == 0) Include = [.. profile.Include];
        if (Exclude.Count == 0) Exclude = [.. profile.Exclude];
        if (profile.StableFor is { } stable) StableFor = stable;
    }
}

/// <summary>Checks each <see cref="FileWatchOptions"/> field against its annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class FileWatchOptionsFields : IValidateOptions<FileWatchOptions>;

/// <summary>Checks <see cref="FileWatchOptions"/>: its fields, then that neither the archive nor the quarantine is the watched folder.</summary>
internal sealed class FileWatchOptionsValidator : SettingsValidator<FileWatchOptions, FileWatchOptionsFields>
{
    protected override string Section(FileWatchOptions options) => options.Section;

    protected override void CheckRules(FileWatchOptions o, string section, List<string> failures)
    {
        if (failures.Count > 0) return;
        var path = System.IO.Path.GetFullPath(o.Path);
        if (o.AfterProcessing == AfterProcessing.Archive && SameFolder(o.ResolvedArchivePath, path))
            failures.Add($"{section}:ArchivePath must not be the watched folder itself.");
        if (SameFolder(o.ResolvedQuarantinePath, path))
            failures.Add($"{section}:QuarantinePath must not be the watched folder itself.");
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(System.IO.Path.TrimEndingDirectorySeparator(a), System.IO.Path.TrimEndingDirectorySeparator(b), StringComparison.OrdinalIgnoreCase);
}

/// <summary>A list of globs none of which is empty.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class NoEmptyGlobAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not IEnumerable<string> globs || !globs.Any(string.IsNullOrWhiteSpace);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success : SettingRangeAttribute.Failure(validationContext, "must not contain empty globs.");
}

/// <summary>Registers the file-watch adapter kind.</summary>
internal static class FileWatchAdapterRegistration
{
    /// <summary>Adds kind <c>file-watch</c>, its validator, and the compatibility section <c>MidirEdge:Adapters:FileWatch</c> (on once <c>Path</c> is set).</summary>
    public static IServiceCollection AddFileWatchAdapter(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileWatchOptions>, FileWatchOptionsValidator>());
        return services.AddCaptureAdapter<FileWatchAdapter, FileWatchOptions>(FileWatchOptions.AdapterKind, "FileWatch", nameof(FileWatchOptions.Path),
            (section, options) => section.Bind(options));
    }
}
