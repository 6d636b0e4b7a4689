using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.ModelUpdates;

/// <summary>Where model bundles live and which signatures are trusted (section <c>MidirEdge:Models</c>).</summary>
public sealed class ModelsOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "MidirEdge:Models";

    /// <summary>Directory of bundles; default <c>{DataDir}/models</c>.</summary>
    public string Path { get; set; } = "";

    /// <summary>PEM files of trusted ECDSA P-256 public keys.</summary>
    public List<string> TrustedKeys { get; set; } = [];

    /// <summary>Refuse bundles without a valid signature from a trusted key.</summary>
    public bool RequireSignature { get; set; }

    /// <summary>How long the directory must be quiet before a change is loaded.</summary>
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The models directory, resolved against the data directory.</summary>
    public string ResolvedPath(string dataDir) => System.IO.Path.GetFullPath(Path.Length > 0 ? Path : System.IO.Path.Combine(dataDir, "models"));
}

/// <summary>Checks <see cref="ModelsOptions"/> on start, naming the key at fault.</summary>
internal sealed class ModelsOptionsValidator : IValidateOptions<ModelsOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelsOptions options)
    {
        var failures = new List<string>();
        if (options.RequireSignature && options.TrustedKeys.Count == 0)
            failures.Add($"{ModelsOptions.SectionName}:RequireSignature is true but {ModelsOptions.SectionName}:TrustedKeys lists no key.");
        foreach (var key in options.TrustedKeys.Where(k => !File.Exists(k)))
            failures.Add($"{ModelsOptions.SectionName}:TrustedKeys: '{key}' does not exist.");
        if (options.ReloadDelay <= TimeSpan.Zero)
            failures.Add($"{ModelsOptions.SectionName}:ReloadDelay must be positive (got {options.ReloadDelay}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
