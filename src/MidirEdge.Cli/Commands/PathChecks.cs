using System.CommandLine;
using System.CommandLine.Parsing;

namespace MidirEdge.Cli.Commands;

/// <summary>
/// Checks of the paths given on the command line, made while it is parsed: a missing file, a folder where a file belongs
/// or an output that is a folder is a usage error (exit 2) naming the option and the path, before any work starts.
/// </summary>
internal static class PathChecks
{
    /// <summary>Each path given must be an existing file.</summary>
    public static T ExistingFile<T>(this T symbol) where T : Symbol => Add(symbol, path =>
        Directory.Exists(path) ? "is a folder, not a file"
        : File.Exists(path) ? null
        : "does not exist");

    /// <summary>The path given must be an existing folder.</summary>
    public static T ExistingFolder<T>(this T symbol) where T : Symbol => Add(symbol, path =>
        File.Exists(path) ? "is a file, not a folder"
        : Directory.Exists(path) ? null
        : "does not exist");

    /// <summary>The path given is a file to write: not a folder, and in a folder that exists.</summary>
    public static T FileToWrite<T>(this T symbol) where T : Symbol => Add(symbol, path =>
        Directory.Exists(path) ? "is a folder; name a file to write"
        : Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder && !Directory.Exists(folder) ? $"is in {folder}, which does not exist"
        : null);

    /// <summary>The path given is a model bundle: a file (.zip), or an unpacked bundle's folder holding <c>manifest.json</c>.</summary>
    public static T Bundle<T>(this T symbol) where T : Symbol => Add(symbol, path =>
        File.Exists(path) ? null
        : !Directory.Exists(path) ? "does not exist"
        : File.Exists(Path.Combine(path, "manifest.json")) ? null
        : Directory.GetFiles(path, "*.zip") is { Length: > 0 } zips
            ? $"is a folder of {zips.Length} bundle(s), not a bundle; name one of them, e.g. {zips.Order(StringComparer.Ordinal).First()}"
            : "is a folder without manifest.json, not a bundle; name a bundle .zip or an unpacked bundle's folder");

    /// <summary>Each path given is a file, a folder holding files, or a glob that matches at least one file.</summary>
    public static T ExistingFilesOrGlob<T>(this T symbol) where T : Symbol => Add(symbol, path =>
        PathPatterns.IsGlob(path) ? (PathPatterns.Glob(path).Count > 0 ? null : "matches no file")
        : File.Exists(path) ? null
        : Directory.Exists(path) ? (PathPatterns.FilesIn(path).Count > 0 ? null : "is a folder without files")
        : "does not exist");

    /// <summary>Each path given is a bundle, a folder of bundles, or a glob that matches at least one.</summary>
    public static T Bundles<T>(this T symbol) where T : Symbol => Add(symbol, path =>
        PathPatterns.IsGlob(path) ? (PathPatterns.Glob(path).Count > 0 ? null : "matches no file")
        : File.Exists(path) || File.Exists(Path.Combine(path, "manifest.json")) ? null
        : !Directory.Exists(path) ? "does not exist"
        : PathPatterns.BundlesIn(path).Count > 0 ? null
        : "is a folder without manifest.json or bundles; name a bundle .zip, an unpacked bundle's folder or a folder of bundles");

    private static T Add<T>(T symbol, Func<string, string?> problem) where T : Symbol
    {
        void Check(SymbolResult result)
        {
            foreach (var token in result.Tokens)
                if (problem(token.Value) is { } reason) result.AddError($"{symbol.Name} {token.Value} {reason}.");
        }
        switch (symbol)
        {
            case Option option: option.Validators.Add(Check); break;
            case Argument argument: argument.Validators.Add(Check); break;
            default: throw new ArgumentException($"{symbol.Name} is neither an option nor an argument.", nameof(symbol));
        }
        return symbol;
    }
}
