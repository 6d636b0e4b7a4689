namespace MidirEdge.Cli.Failures;

/// <summary>The command was right but its input does not allow it to finish (exit <see cref="ExitCodes.Failed"/>), e.g. a model too weak to write.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
