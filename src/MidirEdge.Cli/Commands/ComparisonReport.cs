using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MidirEdge.Models.Building;
using ScottPlot;

namespace MidirEdge.Cli.Commands;

/// <summary>
/// Writes <c>model compare --report</c>: a self-contained HTML page (plots as inline SVG, no scripts, no network) answering
/// the four questions — prediction power, small data, reproducibility, interpretability — and a JSON file of every number.
/// </summary>
internal static class ComparisonReport
{
    /// <summary>Writes the page to <paramref name="html"/> and the numbers to <paramref name="json"/>.</summary>
    public static void Write(string html, string json, ComparisonResult result, string table)
    {
        File.WriteAllBytes(json, JsonSerializer.SerializeToUtf8Bytes(result, ReportJson.Default.ComparisonResult));
        File.WriteAllText(html, Page(result, table, Path.GetFileName(json)), Encoding.UTF8);
    }

    private static string Page(ComparisonResult r, string table, string jsonName)
    {
        var page = new StringBuilder();
        page.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>MidirEdge model comparison: {{H(r.Target)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 1em auto; padding: 0 1em; color: #222; }
            table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            tr.best { background: #e6f4e6; font-weight: bold; }
            .verdict { padding: 0.5em 1em; background: #f3f3f8; border-left: 4px solid #557; }
            .plot svg { max-width: 100%; height: auto; }
            </style></head><body>
            <h1>Which model for {{H(r.Target)}}?</h1>
            <p>Table <code>{{H(table)}}</code>: {{r.Samples}} spectra of {{r.Groups}} soils; {{r.Repeats}} × grouped {{r.Folds}}-fold cross-validation
            (replicates of a soil always in one fold; repeat <i>i</i> seeded {{r.Seed}} + <i>i</i>; every candidate on the same folds).
            Best: <b>{{H(r.Best)}}</b>. Every number of this page is in <code>{{H(jsonName)}}</code>.</p>
            """);

        page.Append("<h2 id=\"prediction-power\">1. Prediction power</h2>");
        page.Append("<p>Every pipeline × learner, mean ± sd over the repeats. <i>log1p</i>: fitted on ln(1 + y), statistics in the target's unit. Setting: chosen by the one-sigma rule.</p>");
        page.Append("<table><tr><th>candidate</th><th>setting</th><th>RMSE</th><th>R²</th><th>RPIQ</th><th>CCC</th></tr>");
        foreach (var c in r.Candidates.OrderBy(c => c.Rmse.Mean))
            page.Append(CultureInfo.InvariantCulture,
                $"<tr{(c.Name == r.Best ? " class=\"best\"" : "")}><td>{H(c.Name)}</td><td>{H(c.Setting)}</td><td>{S(c.Rmse)}</td><td>{S(c.R2, "0.000")}</td><td>{S(c.Rpiq, "0.00")}</td><td>{S(c.Ccc, "0.000")}</td></tr>");
        page.Append("</table>");
        page.Append(Svg(RmsePlot(r), 1100, 60 + 22 * r.Candidates.Count));

        page.Append("<h2 id=\"small-data\">2. Small-data regime</h2>");
        if (r.Curves.Count == 0) page.Append("<p>No learning curve.</p>");
        else
        {
            page.Append("<p>Grouped-CV RMSE when each fold trains on only <i>n</i> of its soils (a seeded random subset; the test soils stay the same), "
                + "for the best PLS and the best hybrid (best other learner), each with the setting chosen on all soils. Mean ± sd over the repeats.</p>");
            page.Append("<table><tr><th>soils</th>");
            foreach (var curve in r.Curves) page.Append(CultureInfo.InvariantCulture, $"<th>{H(curve.Candidate)}</th>");
            page.Append("</tr>");
            for (var k = 0; k < r.Curves[0].Soils.Length; k++)
            {
                page.Append(CultureInfo.InvariantCulture, $"<tr><td>{r.Curves[0].Soils[k]}</td>");
                foreach (var curve in r.Curves) page.Append(CultureInfo.InvariantCulture, $"<td>{S(curve.Rmse[k])}</td>");
                page.Append("</tr>");
            }
            page.Append("</table>");
            page.Append(Svg(CurvePlot(r), 800, 420));
        }

        page.Append("<h2 id=\"reproducibility\">3. Reproducibility</h2>");
        page.Append("<p>The sd columns above are the spread over repeats (each repeat a different seeded fold assignment).</p>");
        if (r.Paired is { } p)
        {
            var pls = r.Candidates.First(c => c.Name == p.Pls);
            var hybrid = r.Candidates.First(c => c.Name == p.Hybrid);
            page.Append("<table><tr><th>repeat</th>");
            page.Append(CultureInfo.InvariantCulture, $"<th>{H(p.Pls)}</th><th>{H(p.Hybrid)}</th><th>difference</th></tr>");
            for (var i = 0; i < p.Differences.Length; i++)
                page.Append(CultureInfo.InvariantCulture, $"<tr><td>{i + 1}</td><td>{N(pls.RepeatRmse[i])}</td><td>{N(hybrid.RepeatRmse[i])}</td><td>{N(p.Differences[i])}</td></tr>");
            page.Append(CultureInfo.InvariantCulture, $"<tr><td>mean ± sd</td><td>{S(pls.Rmse)}</td><td>{S(hybrid.Rmse)}</td><td>{N(p.MeanDifference)} ± {N(p.SdDifference)}</td></tr></table>");
            page.Append(CultureInfo.InvariantCulture, $"<p class=\"verdict\">{H(p.Statement)}</p>");
            page.Append(Svg(RepeatPlot(pls, hybrid), 700, 380));
        }
        else page.Append("<p>No paired comparison: it needs PLS and at least one other learner (<code>--learner all</code>).</p>");

        page.Append("<h2 id=\"interpretability\">4. Interpretability</h2>");
        if (r.Spectral is { } s)
        {
            page.Append(CultureInfo.InvariantCulture, $"<p>{H(s.Candidate)} refitted on all soils: regression coefficients and VIP (variable importance in projection; above 1 is more than average) over the wavenumber.</p>");
            page.Append(Svg(SpectralPlot(s), 1100, 520));
        }
        if (r.Paths.Count > 0)
        {
            page.Append($"<p>{H(r.ScatteringCandidate!)} refitted on all soils: importance of each scattering path (root mean square VIP over its positions), "
                + "its scale (period of its wavelet in cm⁻¹: the width of the spectral features it responds to) and the band of its most important position. The 15 most important paths:</p>");
            page.Append("<table><tr><th>order</th><th>scale (cm⁻¹)</th><th>first-order scale (cm⁻¹)</th><th>band (cm⁻¹)</th><th>importance</th></tr>");
            foreach (var path in r.Paths.OrderByDescending(x => x.Importance).Take(15))
                page.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{path.Order}</td><td>{path.ScaleCm:0.#}</td><td>{(path.ParentScaleCm is { } parent ? parent.ToString("0.#", CultureInfo.InvariantCulture) : "")}</td><td>{path.PeakFrom:0}–{path.PeakTo:0}</td><td>{path.Importance:0.00}</td></tr>");
            page.Append("</table>");
            page.Append(Svg(PathPlot(r), 800, 420));
        }
        if (r.Spectral is null && r.Paths.Count == 0) page.Append("<p>No PLS candidate to interpret.</p>");
        page.Append("</body></html>\n");
        return page.ToString();
    }

    private static Plot RmsePlot(ComparisonResult r)
    {
        var plot = new Plot();
        var ordered = r.Candidates.OrderByDescending(c => c.Rmse.Mean).ToArray();
        var bars = ordered.Select((c, i) => new Bar { Position = i, Value = c.Rmse.Mean, Error = c.Rmse.Sd, FillColor = c.Name == r.Best ? Colors.SeaGreen : Colors.SteelBlue }).ToArray();
        var series = plot.Add.Bars(bars);
        series.Horizontal = true;
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, ordered.Length).Select(i => (double)i)], [.. ordered.Select(c => c.Name)]);
        plot.Axes.Margins(left: 0);
        plot.XLabel($"RMSE of {r.Target} (mean ± sd over repeats)");
        return plot;
    }

    private static Plot CurvePlot(ComparisonResult r)
    {
        var plot = new Plot();
        foreach (var curve in r.Curves)
        {
            var xs = curve.Soils.Select(s => (double)s).ToArray();
            var scatter = plot.Add.Scatter(xs, curve.Rmse.Select(m => m.Mean).ToArray());
            scatter.LegendText = curve.Candidate;
            var bars = plot.Add.ErrorBar(xs, curve.Rmse.Select(m => m.Mean).ToArray(), curve.Rmse.Select(m => m.Sd).ToArray());
            bars.Color = scatter.Color;
        }
        plot.XLabel("training soils per fold");
        plot.YLabel($"RMSE of {r.Target}");
        plot.ShowLegend();
        return plot;
    }

    private static Plot RepeatPlot(CandidateResult pls, CandidateResult hybrid)
    {
        var plot = new Plot();
        var repeats = pls.RepeatRmse.Select((_, i) => i + 1.0).ToArray();
        var a = plot.Add.Scatter(repeats, pls.RepeatRmse);
        a.LegendText = pls.Name;
        var b = plot.Add.Scatter(repeats, hybrid.RepeatRmse);
        b.LegendText = hybrid.Name;
        plot.XLabel("repeat (seeded fold assignment)");
        plot.YLabel("RMSE");
        plot.ShowLegend();
        return plot;
    }

    private static Multiplot SpectralPlot(SpectralImportance s)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var coefficients = multiplot.GetPlot(0);
        coefficients.Add.ScatterLine(s.Wavenumber, s.Coefficients);
        coefficients.YLabel("coefficient");
        var vip = multiplot.GetPlot(1);
        vip.Add.ScatterLine(s.Wavenumber, s.Vip);
        vip.Add.HorizontalLine(1, pattern: LinePattern.Dashed);
        vip.YLabel("VIP");
        vip.XLabel("wavenumber (cm⁻¹)");
        foreach (var plot in new[] { coefficients, vip }) plot.Axes.SetLimitsX(s.Wavenumber.Max(), s.Wavenumber.Min());
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        return multiplot;
    }

    private static Plot PathPlot(ComparisonResult r)
    {
        var plot = new Plot();
        foreach (var order in new[] { 0, 1, 2 })
        {
            var paths = r.Paths.Where(p => p.Order == order).ToArray();
            if (paths.Length == 0) continue;
            var points = plot.Add.ScatterPoints(paths.Select(p => p.ScaleCm).ToArray(), paths.Select(p => p.Importance).ToArray());
            points.LegendText = $"order {order}";
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic();
        plot.XLabel("scale: period of the wavelet (cm⁻¹)");
        plot.YLabel("importance (RMS VIP)");
        plot.ShowLegend();
        return plot;
    }

    private static string Svg(Plot plot, int width, int height) => $"<div class=\"plot\">{plot.GetSvgHtml(width, height)}</div>";

    private static string Svg(Multiplot plot, int width, int height) =>
        $"<div class=\"plot\"><img alt=\"coefficients and VIP\" src=\"data:image/png;base64,{Convert.ToBase64String(plot.Render(width, height).GetImageBytes(ImageFormat.Png))}\"></div>";

    private static string S(Spread s, string format = "0.####") =>
        $"{s.Mean.ToString(format, CultureInfo.InvariantCulture)} ± {s.Sd.ToString(format, CultureInfo.InvariantCulture)}";

    private static string N(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string H(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>Source-generated JSON of the comparison report (camelCase, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ComparisonResult))]
internal sealed partial class ReportJson : JsonSerializerContext;
