using System.Globalization;
using System.Text;
using MidirEdge.Models.Prediction;

namespace MidirEdge.Agent.Domain;

/// <summary>A result's values as one line for people: the agent's log and the demo's console print the same.</summary>
public static class ResultText
{
    /// <summary>
    /// Each prediction as <c>target=value [lower–upper] unit</c> with its flags (<c>outside domain</c>, <c>indicative</c>),
    /// then the QC flags of a spectrum that did not pass: <c>C=12.5 [9.6–15.4] g/kg, pH=6.1 (outside domain); QC: noise</c>.
    /// </summary>
    public static string Values(IReadOnlyList<Prediction> predictions, QcSummary qc)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(qc);
        var line = new StringBuilder();
        foreach (var p in predictions)
        {
            if (line.Length > 0) line.Append(", ");
            line.Append(CultureInfo.InvariantCulture, $"{p.Target}={p.Value:0.##}");
            if (p.Interval is { } i) line.Append(CultureInfo.InvariantCulture, $" [{i.Lower:0.##}–{i.Upper:0.##}]");
            // A unit equal to the target's name (pH in pH) says nothing.
            if (p.Unit is { Length: > 0 } unit && unit != p.Target) line.Append(' ').Append(unit);
            var flags = new List<string>(2);
            if (!p.InDomain) flags.Add("outside domain");
            if (p.Quality == PredictionQuality.Indicative) flags.Add("indicative");
            if (flags.Count > 0) line.Append(" (").AppendJoin(", ", flags).Append(')');
        }
        if (predictions.Count == 0) line.Append("no predictions");
        if (!qc.Passed) line.Append("; QC: ").AppendJoin(", ", qc.Flags.Select(f => f.Name));
        return line.ToString();
    }
}
