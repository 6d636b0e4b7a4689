using System.Text.Json;

namespace MidirEdge.Agent.Profiles;

/// <summary>
/// How to capture from one kind of instrument, loaded from <c>device-profiles/*.json</c>: the adapter kind and that kind's
/// own section, which the kind reads (<see cref="Section{T}"/>). The profile knows no adapter kind: each kind reads its section.
/// </summary>
public sealed record DeviceProfile
{
    /// <summary>Profile name: the file name without <c>.json</c>.</summary>
    public required string Name { get; init; }

    /// <summary>File the profile was loaded from.</summary>
    public required string File { get; init; }

    /// <summary>What the profile is for.</summary>
    public required string Description { get; init; }

    /// <summary>The adapter kind the profile is for, as the agent's settings name it (e.g. <c>file-watch</c>).</summary>
    public required string Adapter { get; init; }

    /// <summary>The kind's section (its key is the kind in camelCase: <c>fileWatch</c> for <c>file-watch</c>), kept for the kind to read.</summary>
    private JsonElement Settings { get; init; }

    /// <summary>
    /// Reads the section of adapter kind <paramref name="kind"/> with <paramref name="read"/>, which must read every key it
    /// knows and end with <see cref="ProfileSection.EndObject"/>; a profile for another kind, or a broken section, throws a
    /// <see cref="DeviceProfileException"/> naming the file and key.
    /// </summary>
    internal T Section<T>(string kind, Func<ProfileSection, T> read)
    {
        if (!string.Equals(Adapter, kind, StringComparison.Ordinal))
            throw new DeviceProfileException(File, "adapter", $"is \"{Adapter}\", not \"{kind}\"");
        return read(new ProfileSection(File, SectionKey(kind), Settings));
    }

    /// <summary>The key of a kind's section: the kind in camelCase (<c>file-watch</c> → <c>fileWatch</c>).</summary>
    private static string SectionKey(string kind)
    {
        var words = kind.Split('-', StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(words.Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
    }

    /// <summary>Loads one profile and checks its common keys; throws <see cref="DeviceProfileException"/> naming the file and key.</summary>
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

    /// <summary>Parses profile JSON and checks its common keys; <paramref name="file"/> names it in errors and gives <see cref="Name"/>.</summary>
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
            var description = root.RequiredString("description");
            var adapter = root.RequiredString("adapter");
            // The section stays unread here: the kind reads it, and refuses the keys it does not know.
            var settings = root.RequiredElement(SectionKey(adapter));
            root.EndObject();
            return new DeviceProfile
            {
                Name = Path.GetFileNameWithoutExtension(file),
                File = file,
                Description = description,
                Adapter = adapter,
                Settings = settings.Clone(),
            };
        }
    }
}

/// <summary>Loads every profile of a folder.</summary>
public static class DeviceProfiles
{
    /// <summary>Loads every <c>*.json</c> in <paramref name="directory"/>, by name; the first broken file stops it with a <see cref="DeviceProfileException"/>.</summary>
    internal static IReadOnlyDictionary<string, DeviceProfile> LoadAll(string directory)
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
    /// Where a profile name is looked up, in order: <c>device-profiles</c> beside the binary (the shipped ones), then
    /// <c>device-profiles</c> in the working folder. Every command and the agent resolve names the same way.
    /// </summary>
    public static IReadOnlyList<string> SearchFolders =>
        [Path.Combine(AppContext.BaseDirectory, "device-profiles"), Path.Combine(Environment.CurrentDirectory, "device-profiles")];

    /// <summary>Loads the profile <paramref name="nameOrPath"/> names, looking names up in <see cref="SearchFolders"/>.</summary>
    public static DeviceProfile LoadNamed(string nameOrPath) => LoadNamed(nameOrPath, SearchFolders);

    /// <summary>
    /// Loads the profile <paramref name="nameOrPath"/> names: an existing file or a path ending in <c>.json</c> as is,
    /// otherwise <c>NAME.json</c> in the first of <paramref name="folders"/> that has it. A name found nowhere is refused
    /// naming the folders searched and the profiles they hold.
    /// </summary>
    public static DeviceProfile LoadNamed(string nameOrPath, params IReadOnlyList<string> folders)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        ArgumentNullException.ThrowIfNull(folders);
        if (File.Exists(nameOrPath) || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return File.Exists(nameOrPath) ? DeviceProfile.Load(nameOrPath) : throw new DeviceProfileException(nameOrPath, "", "does not exist");
        var searched = folders.Select(Path.GetFullPath).Distinct().ToArray();
        foreach (var folder in searched)
        {
            var path = Path.Combine(folder, nameOrPath + ".json");
            if (File.Exists(path)) return DeviceProfile.Load(path);
        }
        var known = searched.Where(Directory.Exists).SelectMany(f => Directory.EnumerateFiles(f, "*.json")).Select(Path.GetFileNameWithoutExtension)
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        throw new DeviceProfileException(nameOrPath, "",
            $"no such profile in {string.Join(" or ", searched)}; {(known.Length > 0 ? "known: " + string.Join(", ", known) : "none is there")}");
    }
}
