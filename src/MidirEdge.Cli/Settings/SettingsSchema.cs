using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using MidirEdge.Agent;
using MidirEdge.Agent.Adapters;

namespace MidirEdge.Cli.Settings;

/// <summary>
/// The keys the agent reads under <c>MidirEdge</c>, derived by reflection from its options types: every type with a
/// <c>SectionName</c> constant is bound from that section and its public settable properties are its keys (lists and
/// dictionaries take any child key); a named adapter <c>MidirEdge:Adapters:NAME</c> takes the keys of the adapter options
/// type whose <c>AdapterKind</c> constant is its <c>Kind</c>.
/// </summary>
internal sealed class SettingsSchema
{
    /// <summary>The root section.</summary>
    public const string Root = "MidirEdge";

    private SettingsSchema(Section root, IReadOnlyDictionary<string, Section> adapterKinds)
    {
        Top = root;
        AdapterKinds = adapterKinds;
    }

    /// <summary>The agent's settings, as its assembly and the executable's (the log file) define them.</summary>
    public static SettingsSchema Agent { get; } = Build([typeof(AgentHost).Assembly, typeof(SettingsSchema).Assembly]);

    /// <summary>The <c>MidirEdge</c> section.</summary>
    public Section Top { get; }

    /// <summary>The keys of an adapter instance by its <c>Kind</c> (ignoring case).</summary>
    public IReadOnlyDictionary<string, Section> AdapterKinds { get; }

    /// <summary>A section's keys: each named one, or any key (a list index, a dictionary key), or a value with no keys below it.</summary>
    public sealed class Section
    {
        /// <summary>Named keys and the section each holds.</summary>
        public Dictionary<string, Section> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>What any child key holds, for lists and dictionaries; null when only <see cref="Keys"/> are valid.</summary>
        public Section? AnyKey { get; set; }

        /// <summary>Whether this is the adapters section, whose children are named instances typed by their <c>Kind</c>.</summary>
        public bool HoldsAdapters { get; set; }

        /// <summary>Whether the key holds a value rather than keys.</summary>
        public bool IsValue { get; init; }
    }

    private static SettingsSchema Build(Assembly[] assemblies)
    {
        var root = new Section();
        var kinds = new Dictionary<string, Section>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()).Where(t => t is { IsClass: true, IsAbstract: false }))
        {
            if (Constant(type, "SectionName") is { } name && (name == Root || name.StartsWith(Root + ":", StringComparison.Ordinal)))
                Merge(At(root, name), Of(type, 0));
            if (type.IsSubclassOf(typeof(CaptureAdapterOptions)) && Constant(type, "AdapterKind") is { } kind)
                kinds[kind] = Of(type, 0);
        }
        At(root, CaptureAdapterServiceCollectionExtensions.SectionName).HoldsAdapters = true;
        return new SettingsSchema(root, kinds);
    }

    private static string? Constant(Type type, string name) =>
        type.GetField(name, BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field ? field.GetRawConstantValue() as string : null;

    // The section at PATH below the root ("MidirEdge:Adapters:FileWatch"), created on the way.
    private static Section At(Section root, string path)
    {
        var section = root;
        foreach (var key in path.Split(':').Skip(1))
        {
            if (!section.Keys.TryGetValue(key, out var next)) section.Keys[key] = next = new Section();
            section = next;
        }
        return section;
    }

    private static void Merge(Section into, Section from)
    {
        foreach (var (key, section) in from.Keys) into.Keys[key] = section;
    }

    // The keys the configuration binder fills in TYPE: public properties it can set, and collections and objects it fills in place.
    private static Section Of(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsValue(type) || depth > 8) return new Section { IsValue = true };
        if (type.IsArray) return new Section { AnyKey = Of(type.GetElementType()!, depth + 1) };
        if (Generic(type, typeof(IDictionary<,>)) is { } dictionary) return new Section { AnyKey = Of(dictionary[1], depth + 1) };
        if (Generic(type, typeof(IEnumerable<>)) is { } list) return new Section { AnyKey = Of(list[0], depth + 1) };
        var section = new Section();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is not { IsPublic: true }) continue;
            if (property.SetMethod is not { IsPublic: true } && IsValue(property.PropertyType)) continue;
            var key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
            section.Keys[key] = Of(property.PropertyType, depth + 1);
        }
        return section;
    }

    private static bool IsValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri)
            || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));
    }

    private static Type[]? Generic(Type type, Type definition) =>
        (type.IsGenericType && type.GetGenericTypeDefinition() == definition ? type : null)?.GetGenericArguments()
        ?? type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition)?.GetGenericArguments();
}
