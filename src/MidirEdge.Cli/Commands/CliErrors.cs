using MidirEdge.Agent.Capturing;
using MidirEdge.Spectra;

namespace MidirEdge.Cli.Commands;

/// <summary>One clear line on stderr and a non-zero exit code for a failed command.</summary>
internal static class CliErrors
{
    /// <summary>Exit code for input that could not be read or processed.</summary>
    public const int InputError = 1;

    /// <summary>Exit code for bad parameters.</summary>
    public const int UsageError = 2;

    /// <summary>Prints <c>midir-edge COMMAND: message</c> to stderr and returns <see cref="InputError"/>.</summary>
    public static int Fail(string command, Exception error) => Fail(command, error.Message, InputError);

    /// <summary>Prints <c>midir-edge COMMAND: message</c> to stderr and returns <paramref name="exitCode"/>.</summary>
    public static int Fail(string command, string message, int exitCode)
    {
        // Messages may quote the bytes of a bad input file: one line on the terminal, never its escape sequences.
        Console.Error.WriteLine($"midir-edge {command}: {OneLine.Of(message)}");
        return exitCode;
    }
}
