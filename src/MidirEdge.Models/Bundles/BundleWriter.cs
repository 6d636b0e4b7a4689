using System.Collections.Immutable;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace MidirEdge.Models.Bundles;

/// <summary>Writes a bundle: artefacts, a manifest listing their SHA-256, and optionally an ECDSA P-256 signature.</summary>
public static class BundleWriter
{
    /// <summary>Serialises an artefact record as bundle JSON.</summary>
    public static byte[] ToJson<T>(T artefact) => JsonSerializer.SerializeToUtf8Bytes(artefact, BundleManifest.JsonOptions);

    /// <summary>Writes a .zip bundle; the manifest's <see cref="BundleManifest.Files"/> is filled in from <paramref name="artefacts"/>.</summary>
    public static BundleManifest WriteZip(string path, BundleManifest manifest, IReadOnlyDictionary<string, byte[]> artefacts, ECDsa? signingKey = null)
    {
        var files = Files(manifest, artefacts, signingKey, out var complete);
        var temporary = path + ".tmp";
        using (var zip = ZipFile.Open(temporary, ZipArchiveMode.Create))
        {
            foreach (var (name, data) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(data);
            }
        }
        File.Move(temporary, path, overwrite: true);
        return complete;
    }

    /// <summary>The bundle's files (name → bytes), manifest and signature included.</summary>
    public static Dictionary<string, byte[]> Files(BundleManifest manifest, IReadOnlyDictionary<string, byte[]> artefacts, ECDsa? signingKey, out BundleManifest complete)
    {
        foreach (var name in artefacts.Keys)
            if (name is BundleFiles.Manifest or BundleFiles.Signature || name.Contains('/') || name.Contains('\\'))
                throw new ArgumentException($"'{name}' cannot be an artefact name.", nameof(artefacts));
        complete = manifest with
        {
            Format = BundleManifest.CurrentFormat,
            Files = artefacts.ToImmutableSortedDictionary(a => a.Key, a => BundleFiles.Sha256(a.Value), StringComparer.Ordinal),
        };
        var manifestBytes = ToJson(complete);
        var files = new Dictionary<string, byte[]>(artefacts, StringComparer.Ordinal) { [BundleFiles.Manifest] = manifestBytes };
        if (signingKey is not null)
            files[BundleFiles.Signature] = System.Text.Encoding.ASCII.GetBytes(
                Convert.ToBase64String(signingKey.SignData(manifestBytes, HashAlgorithmName.SHA256)) + "\n");
        return files;
    }
}
