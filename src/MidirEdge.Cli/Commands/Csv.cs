namespace MidirEdge.Cli.Commands;

/// <summary>RFC 4180 quoting for values written to CSV output.</summary>
internal static class Csv
{
    /// <summary>Quotes a value when it holds a comma, quote or line break.</summary>
    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
