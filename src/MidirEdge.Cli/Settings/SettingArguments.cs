using System.CommandLine;
using MidirEdge.Cli.Failures;

namespace MidirEdge.Cli.Settings;

/// <summary>
/// The settings <c>run</c> and <c>models</c> take after their own options (<c>--MidirEdge:Section:Key=value</c>,
/// <c>--MidirEdge:Section:Key value</c>, <c>--Logging:…</c>): anything else there is a mistyped option, refused with the nearest one.
/// </summary>
internal static class SettingArguments
{
    /// <summary>The command's unmatched tokens, checked to be settings, as the configuration's command-line source reads them.</summary>
    public static string[] Of(ParseResult parse)
    {
        var tokens = parse.UnmatchedTokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var key = token.StartsWith("--", StringComparison.Ordinal) ? token[2..]
                : token.StartsWith('/') ? token[1..]
                : !token.StartsWith('-') && token.Contains('=') ? token
                : throw Unknown(token, parse);
            if (key.IndexOf('=') is var equals and >= 0) key = key[..equals];
            else if (++i == tokens.Count) throw new UsageException($"{token} has no value; write {token}=VALUE.");
            if (!IsSetting(key)) throw Unknown(token, parse);
        }
        return [.. tokens];
    }

    private static bool IsSetting(string key) =>
        key.StartsWith(SettingsSchema.Root + ":", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase);

    private static UsageException Unknown(string token, ParseResult parse)
    {
        var name = token.Split('=')[0];
        if (!name.StartsWith('-') && !name.StartsWith('/')) return new UsageException($"unexpected argument {name}.");
        var key = name.TrimStart('-', '/');
        var first = key.Split(':')[0];
        if (key.Contains(':') && Nearest.To(first, [SettingsSchema.Root, "Logging"]) is { } section)
            return new UsageException($"unknown setting {key} on the command line; did you mean {section}{key[first.Length..]}?");
        return new UsageException(Nearest.To(name, CommandLine.OptionNames(parse.CommandResult)) is { } nearest
            ? $"unknown option {name}; did you mean {nearest}?"
            : $"unknown option {name}; settings are given as --MidirEdge:Section:Key=value.");
    }
}
