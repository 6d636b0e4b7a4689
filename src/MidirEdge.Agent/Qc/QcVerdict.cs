using System.Collections.Immutable;
using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent.Qc;

/// <summary>How bad a spectrum or one check of it is.</summary>
public enum QcLevel
{
    /// <summary>Clean.</summary>
    Pass,
    /// <summary>Predictions are made but flagged.</summary>
    Warn,
    /// <summary>No prediction can be made.</summary>
    Fail,
}

/// <summary>One quality check: what was measured, against which limit, and what it means.</summary>
/// <param name="Kind">What the check looks at.</param>
/// <param name="Level">Outcome of this check.</param>
/// <param name="Value">Measured value, or null when the check compares no number (e.g. a unit mismatch).</param>
/// <param name="Threshold">The limit <paramref name="Value"/> was compared with, or null.</param>
/// <param name="Message">Short human-readable explanation.</param>
public sealed record QcCheck(QcCheckKind Kind, QcLevel Level, double? Value, double? Threshold, string Message)
{
    /// <summary>The bundle a <see cref="QcCheckKind.Coverage"/> check is about; null for the others.</summary>
    public string? BundleId { get; init; }

    /// <summary>The flag this check becomes in a result when it warns or fails.</summary>
    public QcFlag Flag => new(Kind, BundleId);
}

/// <summary>The quality-control verdict on one spectrum: the worst level, every check made, and the bundles that can run.</summary>
/// <param name="Level">The worst level of <paramref name="Checks"/>.</param>
/// <param name="Checks">Every check made, in a fixed order.</param>
/// <param name="RunnableBundles">Ids of the bundles whose input contract the spectrum meets.</param>
public sealed record QcVerdict(QcLevel Level, ImmutableArray<QcCheck> Checks, ImmutableArray<string> RunnableBundles)
{
    /// <summary>True unless the verdict is <see cref="QcLevel.Fail"/>.</summary>
    public bool CanPredict => Level != QcLevel.Fail;

    /// <summary>Whether the bundle with this id can run on the spectrum.</summary>
    public bool CanRun(string bundleId) => CanPredict && RunnableBundles.Contains(bundleId, StringComparer.Ordinal);

    /// <summary>The checks that warned or failed.</summary>
    public IEnumerable<QcCheck> Flagged => Checks.Where(c => c.Level != QcLevel.Pass);

    /// <summary>The summary carried in a result: passed when clean, flags naming the checks that warned or failed.</summary>
    public QcSummary ToSummary() => new(Level == QcLevel.Pass, [.. Flagged.Select(c => c.Flag)]);
}
