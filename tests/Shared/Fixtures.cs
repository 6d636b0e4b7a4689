using System.IO.Compression;
using System.Text.Json;

namespace MidirEdge.Tests;

/// <summary>Locates and opens files under tests/fixtures (gzipped files are opened transparently).</summary>
internal static class Fixtures
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>Absolute path of tests/fixtures.</summary>
    public static string Root => RootPath.Value;

    /// <summary>Absolute path of a file in the repository, given its path relative to the repository root.</summary>
    public static string RepositoryPath(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, "..", "..", relative));

    /// <summary>Absolute path of a fixture, given its path relative to tests/fixtures.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>Every file in a fixture folder (relative to tests/fixtures), sorted by name.</summary>
    public static string[] Files(string folder, string pattern = "*") =>
        Directory.GetFiles(Path(folder), pattern).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Bytes of a fixture; a name ending in .gz is decompressed.</summary>
    public static byte[] ReadBytes(string relativeOrAbsolute)
    {
        var path = System.IO.Path.IsPathRooted(relativeOrAbsolute) ? relativeOrAbsolute : Path(relativeOrAbsolute);
        if (!path.EndsWith(".gz", StringComparison.Ordinal)) return File.ReadAllBytes(path);
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gz.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Parses a JSON fixture (gzipped or not).</summary>
    public static JsonDocument ReadJson(string relativeOrAbsolute) => JsonDocument.Parse(ReadBytes(relativeOrAbsolute));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "fixtures");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/fixtures not found above {AppContext.BaseDirectory}");
    }
}
