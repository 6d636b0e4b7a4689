using System.Globalization;
using System.Text.Json;

namespace MidirEdge.Agent.Profiles;

/// <summary>
/// One JSON object of a profile, read key by key: every read records the key, and <see cref="EndObject"/>
/// rejects the keys nobody asked for, so a misspelt key is an error rather than a silently ignored setting.
/// </summary>
internal sealed class ProfileSection
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ProfileSection(string file, string path, JsonElement element)
    {
        File = file;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
            throw new DeviceProfileException(file, path, $"must be a JSON object (got {Describe(element)})");
        _element = element;
    }

    public string File { get; }

    public string Path { get; }

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public DeviceProfileException Error(string key, string reason) => new(File, KeyPath(key), reason);

    public string RequiredString(string key) =>
        OptionalString(key) ?? throw Error(key, "is required");

    public string? OptionalString(string key)
    {
        if (!TryGet(key, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String) throw Error(key, $"must be a string (got {Describe(v)})");
        var s = v.GetString()!;
        if (s.Length == 0) throw Error(key, "must not be empty");
        return s;
    }

    public int Int(string key, int fallback, int min, int max)
    {
        if (!TryGet(key, out var v)) return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n))
            throw Error(key, $"must be a whole number (got {Describe(v)})");
        if (n < min || n > max) throw Error(key, $"must be between {min} and {max} (got {n})");
        return n;
    }

    public int? OptionalInt(string key, int min, int max) => TryGet(key, out _) ? Int(key, 0, min, max) : null;

    public double Double(string key, double fallback) => OptionalDouble(key) ?? fallback;

    public double RequiredDouble(string key) => OptionalDouble(key) ?? throw Error(key, "is required");

    public double? OptionalDouble(string key)
    {
        if (!TryGet(key, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
            throw Error(key, $"must be a finite number (got {Describe(v)})");
        return d;
    }

    public TimeSpan? OptionalDuration(string key)
    {
        var s = OptionalString(key);
        if (s is null) return null;
        if (!Durations.TryParse(s, out var d) || d == TimeSpan.Zero)
            throw Error(key, $"must be a positive duration such as \"500ms\", \"2s\", \"5m\" or \"00:00:02\" (got \"{s}\")");
        return d;
    }

    /// <summary>Reads one of the names in <paramref name="names"/>; the error lists them.</summary>
    public T Enum<T>(string key, IReadOnlyDictionary<string, T> names, T? fallback = null) where T : struct
    {
        var s = OptionalString(key);
        if (s is null) return fallback ?? throw Error(key, $"is required (one of {List(names.Keys)})");
        return names.TryGetValue(s, out var value) ? value
            : throw Error(key, $"must be one of {List(names.Keys)} (got \"{s}\")");
    }

    public IReadOnlyList<string> Strings(string key)
    {
        if (!TryGet(key, out var v)) return [];
        if (v.ValueKind != JsonValueKind.Array) throw Error(key, $"must be an array of strings (got {Describe(v)})");
        var list = new List<string>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } s)
                throw Error($"{key}[{i}]", $"must be a non-empty string (got {Describe(item)})");
            list.Add(s);
            i++;
        }
        return list;
    }

    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        if (!TryGet(key, out var v)) return new Dictionary<string, string>();
        if (v.ValueKind != JsonValueKind.Object) throw Error(key, $"must be an object of strings (got {Describe(v)})");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString() is not { Length: > 0 } s)
                throw Error($"{key}.{p.Name}", $"must be a non-empty string (got {Describe(p.Value)})");
            map[p.Name] = s;
        }
        return map;
    }

    public ProfileSection? OptionalSection(string key) =>
        TryGet(key, out var v) ? new ProfileSection(File, KeyPath(key), v) : null;

    public ProfileSection RequiredSection(string key) => OptionalSection(key) ?? throw Error(key, "is required");

    /// <summary>The object under <paramref name="key"/>, unread, for a reader elsewhere.</summary>
    public JsonElement RequiredElement(string key) => RequiredSection(key)._element;

    /// <summary>Fails on the first key that was never read.</summary>
    public void EndObject()
    {
        foreach (var p in _element.EnumerateObject())
            if (!_read.Contains(p.Name))
                throw Error(p.Name, "is not a known key (misspelt, or in the wrong section?)");
    }

    /// <summary>Marks <paramref name="key"/> as known without reading it (e.g. <c>$schema</c>, comments).</summary>
    public void Ignore(string key) => _read.Add(key);

    private bool TryGet(string key, out JsonElement value)
    {
        _read.Add(key);
        return _element.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;
    }

    private static string List(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{v.GetString()}\"",
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => v.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
