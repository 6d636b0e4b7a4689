using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Cache;

/// <summary>Cache settings bound from <c>MidirEdge:Cache</c>.</summary>
public sealed class CacheOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MidirEdge:Cache";

    /// <summary>File name of the LiteDB cache inside <c>MidirEdge:DataDir</c>.</summary>
    public string FileName { get; set; } = "midir-edge.db";

    /// <summary>Spectra and predictions older than this are deleted by retention.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Size in megabytes above which retention deletes the oldest spectra and predictions.</summary>
    public long MaxSizeMegabytes { get; set; } = 1024;

    /// <summary>How often the retention service runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Free space (MB) the data folder's file system must keep; below it no capture is taken until space returns.</summary>
    public long MinFreeMegabytes { get; set; } = 100;

    /// <summary>The free-space floor in bytes.</summary>
    internal long MinFreeBytes => MinFreeMegabytes * 1024 * 1024;

    /// <summary>The size limit in bytes.</summary>
    internal long MaxSizeBytes => MaxSizeMegabytes * 1024 * 1024;
}

/// <summary>Validates <see cref="CacheOptions"/> with messages that name the offending key.</summary>
internal sealed class CacheOptionsValidator : IValidateOptions<CacheOptions>
{
    public ValidateOptionsResult Validate(string? name, CacheOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.FileName) || options.FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            failures.Add($"MidirEdge:Cache:FileName must be a plain file name (got '{options.FileName}').");
        if (options.MaxAge <= TimeSpan.Zero)
            failures.Add($"MidirEdge:Cache:MaxAge must be positive (got {options.MaxAge}).");
        if (options.MaxSizeMegabytes <= 0)
            failures.Add($"MidirEdge:Cache:MaxSizeMegabytes must be positive (got {options.MaxSizeMegabytes}).");
        if (options.MinFreeMegabytes is < 1 or > 1024 * 1024)
            failures.Add($"MidirEdge:Cache:MinFreeMegabytes must be between 1 and 1048576 (got {options.MinFreeMegabytes}).");
        if (options.RetentionInterval <= TimeSpan.Zero)
            failures.Add($"MidirEdge:Cache:RetentionInterval must be positive (got {options.RetentionInterval}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
