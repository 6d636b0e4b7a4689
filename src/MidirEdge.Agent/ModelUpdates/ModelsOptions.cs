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
    [ExistingFile]
    public List<string> TrustedKeys { get; set; } = [];

    /// <summary>Refuse bundles without a valid signature from a trusted key.</summary>
    public bool RequireSignature { get; set; }

    /// <summary>How long the directory must be quiet before a change is loaded.</summary>
    [Positive]
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The models directory, resolved against the data directory.</summary>
    public string ResolvedPath(string dataDir) => System.IO.Path.GetFullPath(Path.Length > 0 ? Path : System.IO.Path.Combine(dataDir, "models"));
}

/// <summary>Checks each <see cref="ModelsOptions"/> field against its annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class ModelsOptionsFields : IValidateOptions<ModelsOptions>;

/// <summary>Checks <see cref="ModelsOptions"/> on start: its fields, and that a required signature has a key to verify it.</summary>
internal sealed class ModelsOptionsValidator : SettingsValidator<ModelsOptions, ModelsOptionsFields>
{
    protected override string Section(ModelsOptions options) => ModelsOptions.SectionName;

    protected override void CheckRules(ModelsOptions options, string section, List<string> failures)
    {
        if (options.RequireSignature && options.TrustedKeys.Count == 0)
            failures.Add($"{section}:RequireSignature is true but {section}:TrustedKeys lists no key.");
    }
}
