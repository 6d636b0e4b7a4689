using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MidirEdge.Tests;

namespace MidirEdge.Faults.Tests;

/// <summary>
/// A seeded corpus of hostile model bundles made from the real demo C bundle (a stack of three PLS): null and mistyped manifest fields,
/// traversal ids, resource bombs, wrong hashes, bad signatures and malformed zips. Every one of them must be refused.
/// </summary>
internal sealed class BundleCorpus
{
    private static readonly string[] NullPaths =
    [
        "files", "input", "models.0.domain", "targets.0", "models.0", "models.0.model", "models.0.features", "input.grid", "id",
        "version", "format", "models.0.targets", "models.0.features.preprocessing", "targets.0.name", "models.0.model.kind",
    ];

    private readonly Dictionary<string, byte[]> _files;
    private readonly ECDsa _stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _escape;
    private byte[]? _zipBomb;

    /// <summary>Reads the demo C bundle; traversal ids that are absolute point into <paramref name="escapeFolder"/>.</summary>
    public BundleCorpus(string escapeFolder)
    {
        _escape = escapeFolder;
        _files = DemoBundles.Files();
    }

    /// <summary>Writes hostile bundle <paramref name="index"/> into <paramref name="folder"/>; returns its file name.</summary>
    public string Write(string folder, int index, int seed)
    {
        var random = new Random(HashCode.Combine(seed, index, 7));
        var (bytes, kind) = Make(random, index);
        var name = $"hostile-{index:D4}-{kind}.zip";
        File.WriteAllBytes(Path.Combine(folder, name), bytes);
        return name;
    }

    private (byte[] Bytes, string Kind) Make(Random random, int index)
    {
        var manifest = Manifest();
        // Half claim to be a newer C, so one that slipped through would replace a serving model and show in the status.
        if (random.Next(2) == 0) manifest["version"] = $"9.{index}.0";
        else manifest["id"] = $"hostile-{index}";
        switch (random.Next(8))
        {
            case 0:
            {
                var path = NullPaths[random.Next(NullPaths.Length)];
                Set(manifest, path, null);
                return (Zip(manifest), "null-" + path.Replace('.', '_'));
            }
            case 1:
            {
                (string Path, JsonNode? Value)[] wrong =
                [
                    ("files", 5), ("targets", "C"), ("input.grid", "abc"), ("models.0.domain.confidence", "x"), ("version", 3),
                    ("models", true), ("input.grid", new JsonArray(1, "a")), ("models.0.domain.confidence", 7),
                    ("input.interpolation", "sideways"), ("input.xUnit", "furlongs"), ("created", "yesterday"),
                ];
                var (path, value) = wrong[random.Next(wrong.Length)];
                Set(manifest, path, value);
                return (Zip(manifest), "type-" + path.Replace('.', '_'));
            }
            case 2:
            {
                string[] ids =
                [
                    $"../../escape/evil-{index}", Path.Combine(_escape, $"evil-{index}"), "..", $"a/../../../b{index}", $"evil\0{index}",
                    "", new string('a', 5000), $"x\\..\\..\\y{index}", $"./{index}", $"ok/{index}",
                ];
                manifest["id"] = ids[random.Next(ids.Length)];
                return (Zip(manifest), "id");
            }
            case 3:
            {
                var bomb = random.Next(4);
                JsonNode features = manifest["models"]![0]!["features"]!;
                switch (bomb)
                {
                    case 0: DemoBundles.ScatteringBomb(manifest); break;
                    case 1: features["scattering"] = new JsonObject { ["j"] = 8, ["q"] = new JsonArray(1000, 1000) }; break;
                    case 2: DemoBundles.Grid(manifest, 100_000); break;
                    default: features["scattering"] = new JsonObject { ["j"] = 6, ["q"] = new JsonArray(8, 1), ["t"] = int.MaxValue }; break;
                }
                return (Zip(manifest), "bomb" + bomb);
            }
            case 4:
            {
                var files = new Dictionary<string, byte[]>(_files, StringComparer.Ordinal);
                switch (random.Next(3))
                {
                    case 0: files["C.member0.pls.json"] = [.. files["C.member0.pls.json"].Select((b, i) => i == 100 ? (byte)(b ^ 1) : b)]; break;
                    case 1: files.Remove("C.domain.json"); break;
                    default: files["extra.bin"] = [1, 2, 3]; break;
                }
                files["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
                return (Zip(files), "hash");
            }
            case 5:
            {
                var files = new Dictionary<string, byte[]>(_files, StringComparer.Ordinal) { ["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString()) };
                files["manifest.sig"] = random.Next(3) switch
                {
                    0 => Encoding.ASCII.GetBytes("not base64 at all\n"),
                    1 => Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)) + "\n"),
                    _ => Encoding.ASCII.GetBytes(Convert.ToBase64String(_stranger.SignData(files["manifest.json"], HashAlgorithmName.SHA256)) + "\n"),
                };
                return (Zip(files), "signature");
            }
            case 6:
            {
                manifest["version"] = new[] { "1.0", "banana", "999999999999999999999.0.0", "-1.0.0" }[random.Next(4)];
                return (Zip(manifest), "version");
            }
            default:
                return random.Next(5) switch
                {
                    0 => (Zip(manifest).AsSpan(0, random.Next(22, 2000)).ToArray(), "zip-truncated"),
                    1 => (ZipBomb(), "zip-bomb"),
                    2 => (Zip(new Dictionary<string, byte[]>(_files, StringComparer.Ordinal) { ["../evil.json"] = [1] }), "zip-traversal"),
                    3 => (ManyEntries(), "zip-many"),
                    _ => (RandomNumberGenerator.GetBytes(random.Next(1, 4096)), "zip-garbage"),
                };
        }
    }

    private JsonObject Manifest() => JsonNode.Parse(_files["manifest.json"])!.AsObject();

    private byte[] Zip(JsonObject manifest) =>
        Zip(new Dictionary<string, byte[]>(_files, StringComparer.Ordinal) { ["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString()) });

    private static byte[] Zip(IReadOnlyDictionary<string, byte[]> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, data) in files)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(data);
            }
        return buffer.ToArray();
    }

    // A valid manifest beside a 512 MB member artefact of zeros that deflates to half a megabyte.
    private byte[] ZipBomb() => _zipBomb ??= Zip(new Dictionary<string, byte[]>(_files, StringComparer.Ordinal) { ["C.member0.pls.json"] = new byte[512 << 20] });

    private byte[] ManyEntries()
    {
        var files = new Dictionary<string, byte[]>(_files, StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++) files[$"f{i}"] = [];
        return Zip(files);
    }

    // Sets a dotted path (object keys and array indices) to a value.
    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonNode node = root;
        foreach (var part in parts[..^1]) node = int.TryParse(part, out var i) ? node[i]! : node[part]!;
        if (int.TryParse(parts[^1], out var index)) node.AsArray()[index] = value;
        else node.AsObject()[parts[^1]] = value;
    }
}
