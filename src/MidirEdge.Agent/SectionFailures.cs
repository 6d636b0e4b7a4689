using Microsoft.Extensions.Options;

namespace MidirEdge.Agent;

/// <summary>Puts the configuration section before the source-generated validators' failures (<c>Member: text</c>), so each names its key.</summary>
internal static class SectionFailures
{
    public static ValidateOptionsResult Prefix(ValidateOptionsResult result, string section) =>
        result.Failed ? ValidateOptionsResult.Fail(result.Failures.Select(f => $"{section}:{f}")) : result;
}
