using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Domain;

/// <summary>Agent-wide settings bound from the <c>MidirEdge</c> configuration section.</summary>
public sealed class MidirEdgeOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MidirEdge";

    /// <summary>Site name used in topics and payloads (<c>MidirEdge:Site</c>).</summary>
    public string Site { get; set; } = "default";

    /// <summary>Instrument name used in topics and payloads (<c>MidirEdge:Instrument</c>).</summary>
    public string Instrument { get; set; } = "instrument";

    /// <summary>Directory holding the cache file (<c>MidirEdge:DataDir</c>).</summary>
    public string DataDir { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "midir-edge");
}

/// <summary>Validates <see cref="MidirEdgeOptions"/> with messages that name the offending key.</summary>
internal sealed class MidirEdgeOptionsValidator : IValidateOptions<MidirEdgeOptions>
{
    public ValidateOptionsResult Validate(string? name, MidirEdgeOptions options)
    {
        var failures = new List<string>();
        TopicSegment.Check(options.Site, "MidirEdge:Site", failures);
        TopicSegment.Check(options.Instrument, "MidirEdge:Instrument", failures);
        if (string.IsNullOrWhiteSpace(options.DataDir))
            failures.Add("MidirEdge:DataDir must name a directory for the cache.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Rules for a value that becomes one level of an MQTT topic.</summary>
internal static class TopicSegment
{
    public static void Check(string? value, string key, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
            failures.Add($"{key} must not be empty.");
        else if (value.AsSpan().IndexOfAny("/+#\0") >= 0)
            failures.Add($"{key} must not contain '/', '+', '#' or NUL because it becomes an MQTT topic level (got '{value}').");
    }
}
