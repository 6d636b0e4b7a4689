using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MidirEdge.Tests;

/// <summary>
/// The real demo bundles (demo/models) with their manifest edited as a careless or hostile author would: artefacts
/// re-hashed when an edit touches them, and the manifest signed with a throw-away key when one is given.
/// </summary>
internal static class DemoBundles
{
    /// <summary>The files of a demo bundle, by name.</summary>
    public static Dictionary<string, byte[]> Files(string name = "demo-yamsys-C.zip")
    {
        using var zip = ZipFile.OpenRead(Fixtures.RepositoryPath($"demo/models/{name}"));
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[entry.FullName] = copy.ToArray();
        }
        return files;
    }

    /// <summary>A demo bundle whose manifest <paramref name="edit"/> changed (and artefacts, re-hashed, when <paramref name="artefacts"/> is given).</summary>
    public static Dictionary<string, byte[]> Edit(Action<JsonObject> edit, ECDsa? key = null, Action<Dictionary<string, byte[]>>? artefacts = null,
        string name = "demo-yamsys-C.zip")
    {
        var files = Files(name);
        var manifest = JsonNode.Parse(files["manifest.json"])!.AsObject();
        if (artefacts is not null)
        {
            artefacts(files);
            var hashes = new JsonObject();
            foreach (var (file, data) in files.Where(f => f.Key is not ("manifest.json" or "manifest.sig")).OrderBy(f => f.Key, StringComparer.Ordinal))
                hashes[file] = Convert.ToHexStringLower(SHA256.HashData(data));
            manifest["files"] = hashes;
        }
        edit(manifest);
        files["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        files.Remove("manifest.sig");
        if (key is not null)
            files["manifest.sig"] = Encoding.ASCII.GetBytes(Convert.ToBase64String(key.SignData(files["manifest.json"], HashAlgorithmName.SHA256)) + "\n");
        return files;
    }

    /// <summary>Writes <paramref name="files"/> as a .zip at <paramref name="path"/> and returns the path.</summary>
    public static string WriteZip(Dictionary<string, byte[]> files, string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (file, data) in files)
        {
            using var stream = zip.CreateEntry(file).Open();
            stream.Write(data);
        }
        return path;
    }

    /// <summary>The model's scattering set to J = 24, Q = 256/256 with a small T: a filter bank of gigabytes from a 160 KB bundle.</summary>
    public static void ScatteringBomb(JsonObject manifest) =>
        manifest["models"]![0]!["features"]!["scattering"] = new JsonObject { ["j"] = 24, ["q"] = new JsonArray(256, 256), ["t"] = 16 };

    /// <summary>The input grid replaced by <paramref name="points"/> evenly spaced points over the same range.</summary>
    public static void Grid(JsonObject manifest, int points)
    {
        var grid = new JsonArray();
        for (var i = 0; i < points; i++) grid.Add(3997.4 - i * (3997.4 - 499.7) / (points - 1));
        manifest["input"]!["grid"] = grid;
    }
}
