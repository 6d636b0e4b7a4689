namespace MidirEdge.Cli.Check;

/// <summary>How one check of <c>midir-edge check</c> came out.</summary>
internal enum CheckMark
{
    /// <summary>Fine (✔).</summary>
    Passed,
    /// <summary>Works, but worth a look (!); does not fail the check.</summary>
    Warning,
    /// <summary>Stands in the way of the agent doing its work (✖); the check exits 1.</summary>
    Failed,
}

/// <summary>One line of <c>midir-edge check</c>: a mark, what was checked, and what was found.</summary>
/// <param name="Mark">How it came out.</param>
/// <param name="Subject">What was checked, e.g. <c>broker</c> or <c>adapter inbox (file-watch)</c>.</param>
/// <param name="Finding">What was found, in one line.</param>
internal sealed record CheckLine(CheckMark Mark, string Subject, string Finding)
{
    /// <summary>A check that passed.</summary>
    public static CheckLine Passed(string subject, string finding) => new(CheckMark.Passed, subject, finding);

    /// <summary>A check that found something worth a look.</summary>
    public static CheckLine Warning(string subject, string finding) => new(CheckMark.Warning, subject, finding);

    /// <summary>A check that failed.</summary>
    public static CheckLine Failed(string subject, string finding) => new(CheckMark.Failed, subject, finding);

    /// <summary>The mark as printed: ✔, ! or ✖.</summary>
    public string Symbol => Mark switch { CheckMark.Passed => "✔", CheckMark.Warning => "!", _ => "✖" };
}
