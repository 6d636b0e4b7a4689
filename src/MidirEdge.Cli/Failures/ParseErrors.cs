using System.CommandLine;
using System.CommandLine.Parsing;

namespace MidirEdge.Cli.Failures;

/// <summary>The command-line parser's errors as one line: each error, the option or command a mistyped token is nearest to, and where help is.</summary>
internal static class ParseErrors
{
    /// <summary>The errors of <paramref name="parse"/> in one line.</summary>
    public static string Describe(ParseResult parse)
    {
        var result = parse.CommandResult;
        var command = result.Command;
        var sentences = new List<string>();
        foreach (var error in parse.Errors)
        {
            var sentence = string.Join(' ', error.Message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            // "Argument 'half' not recognized" does not say which option it was given to.
            if ((error.SymbolResult as OptionResult ?? error.SymbolResult?.Parent as OptionResult) is { } option
                && !sentence.Contains(option.Option.Name, StringComparison.Ordinal))
                sentence = $"{option.Option.Name}: {sentence}";
            if (Mistyped(error.Message, parse.UnmatchedTokens) is { } token && Suggest(token, result) is { } suggestion)
                sentence += $" Did you mean {suggestion}?";
            if (!sentences.Contains(sentence)) sentences.Add(sentence);
        }
        if (command.Subcommands.Count > 0 && command.Action is null)
            sentences.Add($"Commands: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}.");
        var name = CommandLine.NameOf(result);
        return $"{string.Join(' ', sentences)} (see midir-edge {name}{(name.Length > 0 ? " " : "")}--help)";
    }

    private static string? Mistyped(string message, IReadOnlyList<string> unmatched) =>
        unmatched.FirstOrDefault(token => message.Contains($"'{token}'", StringComparison.Ordinal));

    // An option of the command (or a recursive one of its parents) for "--x", otherwise a subcommand.
    private static string? Suggest(string token, CommandResult result) =>
        token.StartsWith('-') ? Nearest.To(token, CommandLine.OptionNames(result)) : Nearest.To(token, result.Command.Subcommands.Select(c => c.Name));
}
