using Microsoft.Extensions.FileSystemGlobbing;

namespace MidirEdge.Cli.Commands;

/// <summary>
/// What a path on the command line names when it may be more than one file: the file itself, the files in a folder, or the
/// files a glob matches (<c>spectra/*.0</c>, <c>runs/**/*.jdx</c>; quoted, so the shell leaves it alone, or on Windows).
/// </summary>
internal static class PathPatterns
{
    /// <summary>Whether <paramref name="path"/> holds a wildcard: <c>*</c> within a name, <c>**</c> for any depth of folders.</summary>
    public static bool IsGlob(string path) => path.Contains('*', StringComparison.Ordinal);

    /// <summary>The files a glob matches, in ordinal order of their full paths.</summary>
    public static IReadOnlyList<string> Glob(string pattern)
    {
        var full = Path.GetFullPath(pattern.Replace('\\', '/'));
        var segments = full.Split('/');
        var fixedCount = Array.FindIndex(segments, IsGlob);
        var root = string.Join('/', segments[..fixedCount]);
        if (root.Length == 0) root = "/";
        if (!Directory.Exists(root)) return [];
        var matcher = new Matcher(OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        matcher.AddInclude(string.Join('/', segments[fixedCount..]));
        return [.. matcher.GetResultsInFullPath(root).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every path given as a file, a folder's files (by <paramref name="folder"/>; an unpacked bundle stays one path) or a glob's
    /// matches, each once, in the order given.
    /// </summary>
    public static List<string> Expand(IEnumerable<string> paths, Func<string, IReadOnlyList<string>> folder) =>
        [.. paths.SelectMany(p => IsGlob(p) ? Glob(p)
            : Directory.Exists(p) && !File.Exists(Path.Combine(p, "manifest.json")) ? folder(p)
            : [Path.GetFullPath(p)]).Distinct(StringComparer.Ordinal)];

    /// <summary>The files directly in <paramref name="folder"/> (hidden ones left out), in ordinal order.</summary>
    public static IReadOnlyList<string> FilesIn(string folder) =>
        [.. new DirectoryInfo(folder).EnumerateFiles().Where(f => !f.Attributes.HasFlag(FileAttributes.Hidden)).Select(f => f.FullName).Order(StringComparer.Ordinal)];

    /// <summary>The bundles in <paramref name="folder"/>: its <c>.zip</c> files and the unpacked bundles (folders with a <c>manifest.json</c>).</summary>
    public static IReadOnlyList<string> BundlesIn(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.zip")
            .Concat(Directory.EnumerateDirectories(folder).Where(d => File.Exists(Path.Combine(d, "manifest.json"))))
            .Select(Path.GetFullPath).Order(StringComparer.Ordinal)];
}
