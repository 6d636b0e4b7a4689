using System.ComponentModel.DataAnnotations;

namespace MidirEdge.Agent.Domain;

/// <summary>Agent-wide settings bound from the <c>MidirEdge</c> configuration section.</summary>
public sealed class MidirEdgeOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MidirEdge";

    /// <summary>Site name used in topics and payloads (<c>MidirEdge:Site</c>).</summary>
    [TopicLevel]
    public string Site { get; set; } = "default";

    /// <summary>Instrument name used in topics and payloads (<c>MidirEdge:Instrument</c>).</summary>
    [TopicLevel]
    public string Instrument { get; set; } = "instrument";

    /// <summary>Directory holding the cache file (<c>MidirEdge:DataDir</c>).</summary>
    [Required(ErrorMessage = "must name a directory for the cache.")]
    public string DataDir { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "midir-edge");
}

/// <summary>A value that becomes one level of an MQTT topic: not empty, and none of <c>/</c>, <c>+</c>, <c>#</c> or NUL.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TopicLevelAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => Problem(value as string) is null;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        Problem(value as string) is { } problem ? new ValidationResult(problem, validationContext.MemberName is { } member ? [member] : null) : ValidationResult.Success;

    private static string? Problem(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "must not be empty."
        : value.AsSpan().IndexOfAny("/+#\0") >= 0 ? $"must not contain '/', '+', '#' or NUL because it becomes an MQTT topic level (got '{value}')."
        : null;
}
