using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Cache;

/// <summary>Cache settings bound from <c>MidirEdge:Cache</c>.</summary>
public sealed class CacheOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MidirEdge:Cache";

    /// <summary>File name of the LiteDB cache inside <c>MidirEdge:DataDir</c>.</summary>
    [PlainFileName]
    public string FileName { get; set; } = "midir-edge.db";

    /// <summary>Spectra and predictions older than this are deleted by retention.</summary>
    [Positive]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Size in megabytes above which retention deletes the oldest spectra and predictions.</summary>
    [Positive]
    public long MaxSizeMegabytes { get; set; } = 1024;

    /// <summary>How often the retention service runs.</summary>
    [Positive]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Free space (MB) the data folder's file system must keep; below it no capture is taken until space returns.</summary>
    [SettingRange(typeof(long), "1", "1048576")]
    public long MinFreeMegabytes { get; set; } = 100;

    /// <summary>The free-space floor in bytes.</summary>
    internal long MinFreeBytes => MinFreeMegabytes * 1024 * 1024;

    /// <summary>The size limit in bytes.</summary>
    internal long MaxSizeBytes => MaxSizeMegabytes * 1024 * 1024;
}

/// <summary>Checks each <see cref="CacheOptions"/> field against its annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class CacheOptionsFields : IValidateOptions<CacheOptions>;

/// <summary>Checks <see cref="CacheOptions"/>, naming each key under <c>MidirEdge:Cache</c>.</summary>
internal sealed class CacheOptionsValidator : SettingsValidator<CacheOptions, CacheOptionsFields>
{
    protected override string Section(CacheOptions options) => CacheOptions.SectionName;
}

/// <summary>A file name with no folder in it and no character the file system refuses.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class PlainFileNameAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is string name && !string.IsNullOrWhiteSpace(name) && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success : SettingRangeAttribute.Failure(validationContext, $"must be a plain file name (got '{value}').");
}
