using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Profiles;
using MidirEdge.Cli.Benchmarking;
using MidirEdge.Models;
using MidirEdge.Models.Prediction;
using MidirEdge.Spectra;

namespace MidirEdge.Cli.Failures;

/// <summary>
/// The one mapping from what went wrong to what the user sees: one line <c>midir-edge COMMAND: message</c> on stderr and
/// an exit code (<see cref="ExitCodes"/>), the stack trace only with <c>--verbose</c>. Commands just throw.
/// </summary>
internal static class Failure
{
    /// <summary>Prints the failure of <paramref name="command"/> (e.g. <c>model build</c>) to <paramref name="stderr"/> and returns its exit code.</summary>
    public static int Report(string command, Exception error, bool verbose, TextWriter stderr)
    {
        var (message, exitCode) = Describe(error);
        // Messages may quote the bytes of a bad input file: one line on the terminal, never its escape sequences.
        stderr.WriteLine($"midir-edge{(command.Length > 0 ? " " : "")}{command}: {OneLine.Of(message)}");
        if (verbose) stderr.WriteLine(error);
        return exitCode;
    }

    /// <summary>The one-line message and the exit code for <paramref name="error"/>.</summary>
    public static (string Message, int ExitCode) Describe(Exception error) => error switch
    {
        UsageException => (error.Message, ExitCodes.Usage),
        CommandFailedException or AgentBenchmarkException => (error.Message, ExitCodes.Failed),

        // Settings: a wrong value, a value of the wrong type, a broken settings file or device profile.
        OptionsValidationException invalid => (InvalidSettings(invalid.Failures), ExitCodes.Usage),
        AggregateException many when many.Flatten().InnerExceptions.All(e => e is OptionsValidationException) =>
            (InvalidSettings(many.Flatten().InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)), ExitCodes.Usage),
        // Work done in parallel (a table predicted row by row): the first failure names the problem.
        AggregateException many => Describe(many.Flatten().InnerExceptions[0]),
        // The binder's conversion failure, thrown by the binding code generated into the agent (no longer from the binder's assembly).
        InvalidOperationException { InnerException: FormatException or NotSupportedException or ArgumentException } when SettingsFailure.IsWrongType(error) =>
            ("invalid settings: " + SettingsFailure.WrongType(error.Message), ExitCodes.Usage),
        InvalidOperationException { Source: "Microsoft.Extensions.Logging.Configuration" } =>
            ("invalid settings: " + SettingsFailure.LogLevel(error.Message), ExitCodes.Usage),
        InvalidDataException when SettingsFailure.IsSettingsFile(error) => (SettingsFailure.MalformedFile(error), ExitCodes.Usage),
        DeviceProfileException => ("invalid device profile: " + error.Message, ExitCodes.Usage),
        // A listening port that start-up checks did not catch (taken between the check and the start).
        _ when SocketErrorOf(error) is SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable => (error.Message, ExitCodes.Usage),

        // Input that cannot be read or used, and I/O.
        SpectrumFormatException or ModelException or InputContractException => (error.Message, ExitCodes.Failed),
        IOException or UnauthorizedAccessException => (error.Message, ExitCodes.Failed),

        // A parameter value the libraries refuse (a scattering J too large, a column that does not exist).
        ArgumentException argument => (ParameterMessage(argument), ExitCodes.Usage),
        OperationCanceledException => ("interrupted", ExitCodes.Interrupted),
        _ => ($"unexpected {error.GetType().Name}: {error.Message} (--verbose prints where it happened)", ExitCodes.Failed),
    };

    /// <summary>The message of a parameter error without the framework's "(Parameter 'x')" and "Actual value" suffixes.</summary>
    private static string ParameterMessage(ArgumentException e)
    {
        var message = e.Message;
        var suffix = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (suffix >= 0) message = message[..suffix];
        var actual = message.IndexOf(Environment.NewLine + "Actual value", StringComparison.Ordinal);
        return actual >= 0 ? message[..actual] : message;
    }

    private static string InvalidSettings(IEnumerable<string> failures) => "invalid settings: " + string.Join(" ", failures);

    private static SocketError? SocketErrorOf(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
            if (e is SocketException socket) return socket.SocketErrorCode;
        return null;
    }
}
