using System.IO.Compression;
using System.Security.Cryptography;

namespace MidirEdge.Models.Bundles;

/// <summary>Reads the files of a bundle (a .zip or a directory) into memory, refusing anything that could not be a bundle.</summary>
internal static class BundleFiles
{
    public const string Manifest = "manifest.json";
    public const string Signature = "manifest.sig";

    // Bundles are megabytes; these bounds stop a hostile archive from exhausting memory.
    private const long MaxTotalBytes = 512L * 1024 * 1024;
    private const int MaxFiles = 256;

    public static Dictionary<string, byte[]> Read(string path)
    {
        if (Directory.Exists(path)) return ReadDirectory(path);
        if (File.Exists(path)) return ReadZip(path);
        throw new ModelException(path, "no such bundle file or directory");
    }

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static Dictionary<string, byte[]> ReadDirectory(string path)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        long total = 0;
        foreach (var file in Directory.EnumerateFiles(path))
        {
            if (files.Count >= MaxFiles) throw new ModelException(path, $"a bundle holds at most {MaxFiles} files");
            var info = new FileInfo(file);
            total += info.Length;
            if (total > MaxTotalBytes) throw new ModelException(path, $"the bundle is larger than {MaxTotalBytes >> 20} MiB");
            files[info.Name] = File.ReadAllBytes(file);
        }
        return files;
    }

    private static Dictionary<string, byte[]> ReadZip(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (zip.Entries.Count > MaxFiles) throw new ModelException(path, $"a bundle holds at most {MaxFiles} files");
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                if (entry.FullName.Contains('/') || entry.FullName.Contains('\\') || entry.FullName.StartsWith('.'))
                    throw new ModelException(path, $"entry '{entry.FullName}' is not a plain file name; bundles are flat");
                total += entry.Length;
                if (total > MaxTotalBytes) throw new ModelException(path, $"the bundle is larger than {MaxTotalBytes >> 20} MiB");
                using var stream = entry.Open();
                var data = new byte[entry.Length];
                stream.ReadExactly(data);
                if (!files.TryAdd(entry.FullName, data)) throw new ModelException(path, $"entry '{entry.FullName}' appears twice");
            }
            return files;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or EndOfStreamException)
        {
            throw new ModelException(path, $"not a readable bundle archive: {ex.Message}", ex);
        }
    }
}
