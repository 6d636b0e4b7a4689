using System.IO.Compression;
using System.Security.Cryptography;
using MidirEdge.Spectra;

namespace MidirEdge.Models.Bundles;

/// <summary>Reads the files of a bundle (a .zip or a directory) into memory, refusing anything that could not be a bundle.</summary>
internal static class BundleFiles
{
    public const string Manifest = "manifest.json";
    public const string Signature = "manifest.sig";

    /// <summary>The files of the bundle at <paramref name="path"/>, each checked against <see cref="BundleLimits"/> before it is read.</summary>
    public static Dictionary<string, byte[]> Read(string path, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(path)) return ReadDirectory(path, cancellationToken);
        if (File.Exists(path)) return ReadZip(path, cancellationToken);
        throw new ModelException(path, "no such bundle file or directory");
    }

    /// <summary>Writes <paramref name="files"/> as a .zip at <paramref name="path"/>.</summary>
    public static void WriteZip(IReadOnlyDictionary<string, byte[]> files, string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, data) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
            stream.Write(data);
        }
    }

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static Dictionary<string, byte[]> ReadDirectory(string path, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var budget = new Budget(path);
        foreach (var file in Directory.EnumerateFiles(path))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(file);
            budget.Take(info.Name, info.Length, files.Count);
            files[info.Name] = File.ReadAllBytes(file);
        }
        return files;
    }

    private static Dictionary<string, byte[]> ReadZip(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (zip.Entries.Count > BundleLimits.MaxFiles)
                throw new ModelException(path, $"holds {zip.Entries.Count} entries (limit {BundleLimits.MaxFiles})");
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var budget = new Budget(path);
            foreach (var entry in zip.Entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // The declared size bounds what is read: a zip bomb is refused by its header, and an entry that
                // inflates beyond its header ends the read there.
                budget.Take(entry.FullName, entry.Length, files.Count);
                using var stream = entry.Open();
                var data = new byte[entry.Length];
                stream.ReadExactly(data);
                if (!files.TryAdd(entry.FullName, data))
                    throw new ModelException(path, $"entry {OneLine.Quote(entry.FullName)} appears twice");
            }
            return files;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or EndOfStreamException)
        {
            throw new ModelException(path, $"not a readable bundle archive: {LibraryMessage.Of(ex.Message)}", ex);
        }
    }

    /// <summary>Counts files and bytes against the limits, refusing an entry before it is read.</summary>
    private sealed class Budget(string path)
    {
        private long _total;

        public void Take(string name, long length, int count)
        {
            if (!BundleLimits.IsPlainFileName(name))
                throw new ModelException(path, $"entry {OneLine.Quote(name)} is not a plain file name; bundles are flat");
            if (count >= BundleLimits.MaxFiles) throw new ModelException(path, $"holds more than {BundleLimits.MaxFiles} files (limit {BundleLimits.MaxFiles})");
            if (length > BundleLimits.MaxFileBytes)
                throw new ModelException(path, $"entry {OneLine.Quote(name)} is {length >> 20} MiB (limit {BundleLimits.MaxFileBytes >> 20} MiB per file)");
            _total += length;
            if (_total > BundleLimits.MaxTotalBytes)
                throw new ModelException(path, $"the bundle is larger than {BundleLimits.MaxTotalBytes >> 20} MiB (limit)");
        }
    }
}
