using System.Text.Json;
using System.Text.RegularExpressions;
using MidirEdge.Agent;

namespace MidirEdge.Cli.Failures;

/// <summary>The configuration libraries' failures as one sentence naming the key, or the file, line and column.</summary>
internal static partial class SettingsFailure
{
    /// <summary>
    /// A value of the wrong type ("Port": "abc") as the key's own sentence, from the binder's message
    /// ("Failed to convert configuration value 'abc' at 'KEY' to type 'System.Int32'."); any other wording is kept as it is.
    /// </summary>
    public static string WrongType(string binderMessage)
    {
        var match = BinderFailure().Match(binderMessage);
        if (!match.Success) return binderMessage;
        var wanted = match.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" or "System.UInt32" or "System.UInt16" => "a whole number",
            "System.Double" => "a number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a duration such as 00:00:30",
            var type when typeof(AgentHost).Assembly.GetType(type) is { IsEnum: true } options => "one of " + string.Join(", ", Enum.GetNames(options)),
            var type => "a " + type[(type.LastIndexOf('.') + 1)..],
        };
        return $"{match.Groups["key"].Value} must be {wanted} (got '{match.Groups["value"].Value}').";
    }

    /// <summary>Whether <paramref name="error"/> is the binder's failure to convert a value to its key's type.</summary>
    public static bool IsWrongType(Exception error) => BinderFailure().IsMatch(error.Message);

    /// <summary>A log level that is none (the logging library's "Configuration value 'Loud' is not supported.").</summary>
    public static string LogLevel(string message) =>
        UnsupportedValue().Match(message) is { Success: true } match
            ? $"Logging:LogLevel values must be one of {string.Join(", ", Enum.GetNames<Microsoft.Extensions.Logging.LogLevel>())} (got '{match.Groups["value"].Value}')."
            : message;

    /// <summary>Whether <paramref name="error"/> is a settings file that could not be loaded (the JSON provider's wrapper).</summary>
    public static bool IsSettingsFile(Exception error) => error.InnerException is not null && SettingsFile().IsMatch(error.Message);

    /// <summary><c>FILE:LINE:COLUMN: not valid JSON: what</c>, or <c>FILE: what</c> when the parser gave no position (a duplicate key).</summary>
    public static string MalformedFile(Exception error)
    {
        var file = SettingsFile().Match(error.Message).Groups["file"].Value;
        var innermost = error;
        JsonException? json = null;
        for (var e = error.InnerException; e is not null; e = e.InnerException)
        {
            innermost = e;
            json ??= e as JsonException;
        }
        if (json is { LineNumber: { } line })
        {
            var what = json.Message;
            var position = what.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return $"{file}:{line + 1}:{json.BytePositionInLine + 1}: not valid JSON: {(position >= 0 ? what[..position] : what)}";
        }
        return $"{file}: {innermost.Message}";
    }

    [GeneratedRegex("value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BinderFailure();

    [GeneratedRegex("^Configuration value '(?<value>.*)' is not supported")]
    private static partial Regex UnsupportedValue();

    [GeneratedRegex("^Failed to load configuration from file '(?<file>.+)'\\.$")]
    private static partial Regex SettingsFile();
}
