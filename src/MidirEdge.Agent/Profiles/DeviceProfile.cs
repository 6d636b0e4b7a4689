using System.Text.Json;

namespace MidirEdge.Agent.Profiles;

/// <summary>Which adapter captures from a device.</summary>
public enum AdapterKind
{
    /// <summary>Instrument software writes files into a folder (<c>file-watch</c>).</summary>
    FileWatch,
    /// <summary>The instrument sends spectra over a serial port (<c>serial</c>).</summary>
    Serial,
}

/// <summary>How to capture from one kind of instrument: the adapter and its settings, loaded from <c>device-profiles/*.json</c>.</summary>
public sealed record DeviceProfile
{
    /// <summary>Profile name: the file name without <c>.json</c>.</summary>
    public required string Name { get; init; }

    /// <summary>File the profile was loaded from.</summary>
    public required string File { get; init; }

    /// <summary>What the profile is for.</summary>
    public required string Description { get; init; }

    /// <summary>Adapter kind.</summary>
    public required AdapterKind Adapter { get; init; }

    /// <summary>File-watch settings; set when <see cref="Adapter"/> is <see cref="AdapterKind.FileWatch"/>.</summary>
    public FileWatchProfile? FileWatch { get; init; }

    /// <summary>Serial settings; set when <see cref="Adapter"/> is <see cref="AdapterKind.Serial"/>.</summary>
    public SerialProfile? Serial { get; init; }

    private static readonly Dictionary<string, AdapterKind> AdapterNames = new() { ["file-watch"] = AdapterKind.FileWatch, ["serial"] = AdapterKind.Serial };

    /// <summary>Loads and validates one profile; throws <see cref="DeviceProfileException"/> naming the file and key.</summary>
    public static DeviceProfile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DeviceProfileException(path, "", $"cannot be read: {ex.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>Parses and validates profile JSON; <paramref name="file"/> names it in errors and gives <see cref="Name"/>.</summary>
    public static DeviceProfile Parse(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new DeviceProfileException(file, "", $"is not valid JSON: line {ex.LineNumber + 1}: {ex.Message}");
        }
        using (document)
        {
            var root = new ProfileSection(file, "", document.RootElement);
            root.Ignore("$schema");
            var adapter = root.Enum("adapter", AdapterNames);
            var profile = new DeviceProfile
            {
                Name = Path.GetFileNameWithoutExtension(file),
                File = file,
                Description = root.RequiredString("description"),
                Adapter = adapter,
                FileWatch = adapter == AdapterKind.FileWatch ? FileWatchProfile.Read(root.RequiredSection("fileWatch")) : null,
                Serial = adapter == AdapterKind.Serial ? SerialProfile.Read(root.RequiredSection("serial")) : null,
            };
            root.EndObject();
            return profile;
        }
    }
}

/// <summary>Loads every profile of a folder.</summary>
public static class DeviceProfiles
{
    /// <summary>Loads every <c>*.json</c> in <paramref name="directory"/>, by name; the first broken file stops it with a <see cref="DeviceProfileException"/>.</summary>
    public static IReadOnlyDictionary<string, DeviceProfile> LoadAll(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Device profile folder '{directory}' does not exist.");
        var profiles = new SortedDictionary<string, DeviceProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var profile = DeviceProfile.Load(file);
            if (!profiles.TryAdd(profile.Name, profile))
                throw new DeviceProfileException(file, "", $"has the same name as {profiles[profile.Name].File} (names ignore case)");
        }
        return profiles;
    }

    /// <summary>
    /// Loads the profile <paramref name="nameOrPath"/> names: an existing file or a path ending in <c>.json</c> as is,
    /// otherwise <c>NAME.json</c> in <paramref name="directory"/> (the configured <c>device-profiles</c> folder).
    /// </summary>
    public static DeviceProfile LoadNamed(string nameOrPath, string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        ArgumentNullException.ThrowIfNull(directory);
        var path = File.Exists(nameOrPath) || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? nameOrPath
            : Path.Combine(directory, nameOrPath + ".json");
        if (!File.Exists(path))
            throw new DeviceProfileException(path, "", $"does not exist (profile '{nameOrPath}')");
        return DeviceProfile.Load(path);
    }
}
