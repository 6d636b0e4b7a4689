namespace MidirEdge.Cli.Failures;

/// <summary>What was typed or configured is wrong (exit <see cref="ExitCodes.Usage"/>); the message names the option, path, key or port.</summary>
internal sealed class UsageException(string message) : Exception(message);
