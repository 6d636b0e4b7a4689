using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.FileProviders;

namespace MidirEdge.Cli.Check;

/// <summary>The agent's settings as they take effect (every <c>MidirEdge:</c> key that is set, with where its value came from), secrets masked.</summary>
internal static class EffectiveSettings
{
    private const string Mask = "****";

    /// <summary>One line per key, <c>KEY = VALUE (SOURCE)</c>, in key order.</summary>
    public static IEnumerable<string> Lines(IConfigurationRoot configuration) =>
        configuration.AsEnumerable()
            .Where(e => e.Value is not null && e.Key.StartsWith("MidirEdge:", StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase)
            .Select(e => $"{e.Key} = {Shown(e.Key, e.Value!)} ({Source(configuration, e.Key)})");

    private static string Shown(string key, string value) => value.Length == 0 ? "\"\"" : IsSecret(key) ? Mask : value;

    /// <summary>Whether the value of <paramref name="key"/> is a secret: a password, a secret or a token (not a key file's path).</summary>
    public static bool IsSecret(string key)
    {
        var name = key[(key.LastIndexOf(':') + 1)..];
        return name.Contains("Password", StringComparison.OrdinalIgnoreCase)
            || name.Contains("Secret", StringComparison.OrdinalIgnoreCase)
            || name.Contains("Token", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The full path of a JSON settings file.</summary>
    public static string FileOf(JsonConfigurationProvider json) =>
        json.Source.FileProvider is PhysicalFileProvider files && json.Source.Path is { } path ? Path.Combine(files.Root, path) : json.Source.Path ?? "settings file";

    // The last provider that sets the key wins, as in the configuration itself.
    private static string Source(IConfigurationRoot configuration, string key)
    {
        foreach (var provider in configuration.Providers.Reverse())
            if (provider.TryGet(key, out _))
                return provider switch
                {
                    JsonConfigurationProvider json => FileOf(json),
                    EnvironmentVariablesConfigurationProvider => "environment",
                    CommandLineConfigurationProvider => "command line",
                    MemoryConfigurationProvider => "default",
                    _ => provider.ToString() ?? "settings",
                };
        return "settings";
    }
}
