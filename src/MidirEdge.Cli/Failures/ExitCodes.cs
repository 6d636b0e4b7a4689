namespace MidirEdge.Cli.Failures;

/// <summary>The exit codes of <c>midir-edge</c>, as README.md documents them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The command was right but could not be carried out: unreadable input, a refused bundle, I/O, an unreachable broker.</summary>
    public const int Failed = 1;

    /// <summary>What was typed or configured is wrong (an option, a path, a setting, a taken port): repeating cannot help, so systemd stops restarting.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl+C before it finished, as shells report SIGINT.</summary>
    public const int Interrupted = 130;
}
