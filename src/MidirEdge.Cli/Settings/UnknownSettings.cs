using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using MidirEdge.Cli.Failures;

namespace MidirEdge.Cli.Settings;

/// <summary>
/// Refuses settings the agent would silently ignore: a key under <c>MidirEdge</c> that no options type has (a typo, a
/// misspelt section) and a top-level section that is nearly <c>MidirEdge</c> or <c>Logging</c>, each named with the file
/// (or the environment, or the command line) it came from and the nearest valid key.
/// </summary>
internal static class UnknownSettings
{
    private static readonly string[] TopSections = [SettingsSchema.Root, "Logging"];

    /// <summary>Throws a <see cref="UsageException"/> naming every unknown key in <paramref name="configuration"/>.</summary>
    public static void Check(IConfigurationRoot configuration, SettingsSchema schema)
    {
        var problems = new List<string>();
        foreach (var provider in configuration.Providers)
        {
            foreach (var top in ChildKeys(provider, null))
            {
                if (string.Equals(top, SettingsSchema.Root, StringComparison.OrdinalIgnoreCase))
                    Walk(new Walker(provider, configuration, schema, problems), schema.Top, top);
                // The environment holds every program's variables; a file or the command line holds settings for this one.
                else if (provider is not EnvironmentVariablesConfigurationProvider && Nearest.To(top, TopSections) is { } section
                    && !TopSections.Contains(top, StringComparer.OrdinalIgnoreCase))
                    Report(new Walker(provider, configuration, schema, problems), top, section);
            }
        }
        if (problems.Count > 0) throw new UsageException(string.Join(" ", problems.Distinct()));
    }

    private sealed record Walker(IConfigurationProvider Provider, IConfiguration Merged, SettingsSchema Schema, List<string> Problems);

    private static void Walk(Walker walker, SettingsSchema.Section section, string path)
    {
        foreach (var key in ChildKeys(walker.Provider, path))
        {
            var child = $"{path}:{key}";
            if (section.HoldsAdapters)
            {
                // A named instance has the keys of its Kind; one without a Kind is a compatibility section (FileWatch, Serial).
                // A section with neither is refused by the agent's own check, which names the missing Kind.
                var kind = walker.Merged[$"{child}:Kind"];
                var instance = kind is { Length: > 0 } ? walker.Schema.AdapterKinds.GetValueOrDefault(kind.Trim()) : section.Keys.GetValueOrDefault(key);
                if (instance is not null) Walk(walker, instance, child);
                else if (kind is not { Length: > 0 } && Nearest.To(key, section.Keys.Keys) is { } compatible) Report(walker, child, $"{path}:{compatible}");
                continue;
            }
            if ((section.Keys.GetValueOrDefault(key) ?? section.AnyKey) is { } known)
                Walk(walker, known, child);
            else
                Report(walker, child, Nearest.To(key, section.Keys.Keys) is { } nearest ? $"{path}:{nearest}" : null);
        }
    }

    // Names the first key below an unknown section (MidirEdge:Mqt:Port rather than MidirEdge:Mqt) and where it was set.
    private static void Report(Walker walker, string unknown, string? suggestion)
    {
        var leaf = unknown;
        while (ChildKeys(walker.Provider, leaf).FirstOrDefault() is { } below) leaf = $"{leaf}:{below}";
        var rest = leaf[unknown.Length..];
        walker.Problems.Add($"unknown setting {leaf} {Where(walker.Provider, leaf)}" +
            (suggestion is null ? "." : $"; did you mean {suggestion}{rest}?"));
    }

    private static string Where(IConfigurationProvider provider, string key) => provider switch
    {
        FileConfigurationProvider file => $"in {file.Source.FileProvider?.GetFileInfo(file.Source.Path ?? "").PhysicalPath ?? file.Source.Path}",
        EnvironmentVariablesConfigurationProvider => $"in the environment ({key.Replace(":", "__", StringComparison.Ordinal)})",
        CommandLineConfigurationProvider => "on the command line",
        _ => "in the built-in settings",
    };

    private static IEnumerable<string> ChildKeys(IConfigurationProvider provider, string? path) =>
        provider.GetChildKeys([], path).Distinct(StringComparer.OrdinalIgnoreCase);
}
