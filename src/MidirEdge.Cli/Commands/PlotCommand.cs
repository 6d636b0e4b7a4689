using System.CommandLine;
using MidirEdge.Agent.Pipeline;
using MidirEdge.Cli.Failures;
using MidirEdge.Scattering;
using MidirEdge.Spectra;
using ScottPlot;

namespace MidirEdge.Cli.Commands;

/// <summary><c>midir-edge plot spectrum|scalogram</c>: pictures of instrument files, as PNG or SVG (ScottPlot).</summary>
internal static class PlotCommand
{
    private const int Width = 1100;
    private const int Height = 550;

    /// <summary>Builds the command with its two subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("plot", "Draw spectra or their scattering scalogram as PNG or SVG");
        command.Subcommands.Add(CreateSpectrum());
        command.Subcommands.Add(CreateScalogram());
        return command;
    }

    private static Command CreateSpectrum()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "OPUS, JCAMP-DX or CSV files, drawn over each other", Arity = ArgumentArity.OneOrMore }.ExistingFile();
        var output = OutOption("spectrum.png");
        var command = new Command("spectrum", "Draw spectra over each other on a descending wavenumber axis, with a legend") { files, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spectra = new List<(string Name, Spectrum Spectrum)>();
            foreach (var file in parse.GetRequiredValue(files))
                spectra.Add((Path.GetFileName(file.Name), await ReadAsync(file, cancellationToken)));
            if (spectra.Select(s => (s.Spectrum.XUnit, s.Spectrum.YKind)).Distinct().Count() > 1)
                throw new CommandFailedException("the files hold different kinds of spectra (" +
                    string.Join(", ", spectra.Select(s => $"{s.Name}: {s.Spectrum.YKind} over {s.Spectrum.XUnit}")) + "); draw them separately");
            return Save(SpectrumPlot(spectra), parse.GetRequiredValue(output));
        });
        return command;
    }

    private static Command CreateScalogram()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "An OPUS, JCAMP-DX or CSV file" }.ExistingFile();
        var j = new Option<int>("--J") { Description = "Log2 of the largest wavelet scale", DefaultValueFactory = _ => 4 };
        var q = new Option<int>("--Q") { Description = "Wavelets per octave", DefaultValueFactory = _ => 12 };
        var output = OutOption("scalogram.png");
        var command = new Command("scalogram", "Draw the first-order scattering coefficients of a spectrum over wavenumber as a heat map") { file, j, q, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = parse.GetRequiredValue(file);
            var spectrum = await ReadAsync(source, cancellationToken);
            // Stride 1: one column per point of the spectrum, so the map lines up with its bands.
            var scattering = new Scattering1D(new ScatteringParameters(parse.GetValue(j), spectrum.Length, parse.GetValue(q), maxOrder: 1, stride: 1));
            return Save(ScalogramPlot(Path.GetFileName(source.Name), spectrum, scattering), parse.GetRequiredValue(output));
        });
        return command;
    }

    private static Option<FileInfo> OutOption(string fallback)
    {
        var option = new Option<FileInfo>("--out") { Description = $"Image to write, .png or .svg (default {fallback})", DefaultValueFactory = _ => new FileInfo(fallback) }.FileToWrite();
        option.Validators.Add(r =>
        {
            foreach (var token in r.Tokens.Where(t => !Directory.Exists(t.Value) && !IsSvg(t.Value) && !Path.GetExtension(t.Value).Equals(".png", StringComparison.OrdinalIgnoreCase)))
                r.AddError($"--out must end in .png or .svg (got '{Path.GetFileName(token.Value)}').");
        });
        return option;
    }

    private static bool IsSvg(string path) => Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase);

    // The spectrum the agent would pass to its models when no model is loaded: OPUS's ab block, else the first.
    private static async Task<Spectrum> ReadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        return SpectrumChoice.For([], await SpectrumFiles.ReadAsync(file.FullName, cancellationToken));
    }

    private static Plot SpectrumPlot(IReadOnlyList<(string Name, Spectrum Spectrum)> spectra)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < spectra.Count; i++)
        {
            var (name, spectrum) = spectra[i];
            var line = plot.Add.ScatterLine(spectrum.X.ToArray(), spectrum.Y.ToArray(), palette.GetColor(i));
            line.LegendText = spectrum.Metadata.SampleName is { } sample && sample != Path.GetFileNameWithoutExtension(name) ? $"{name} ({sample})" : name;
            line.LineWidth = 1.5f;
        }
        var first = spectra[0].Spectrum;
        plot.XLabel(AxisLabel(first.XUnit, first.Metadata.XUnitLabel));
        plot.YLabel(YLabel(first.YKind));
        plot.ShowLegend(Alignment.UpperLeft);
        Descending(plot, first.XUnit);
        return plot;
    }

    private static Plot ScalogramPlot(string name, Spectrum spectrum, Scattering1D scattering)
    {
        var coefficients = scattering.Transform(spectrum.Y.AsSpan());
        var time = scattering.TimeLength;
        var first = scattering.Paths.Select((p, i) => (Path: p, Index: i)).Where(p => p.Path.Order == 1).OrderByDescending(p => p.Path.Xi[0]).ToArray();
        // Rows from the finest wavelet (top) to the coarsest; log10, as the coefficients span decades.
        var map = new double[first.Length, time];
        for (var row = 0; row < first.Length; row++)
            for (var t = 0; t < time; t++)
                map[row, t] = Math.Log10(Math.Max(coefficients[first[row].Index * time + t], 1e-12));

        var x = spectrum.X.AsSpan();
        var step = (x[^1] - x[0]) / (x.Length - 1);
        var (left, right) = (x[0] - step / 2, x[0] + step * (time - 0.5));
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(map);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new CoordinateRect(Math.Min(left, right), Math.Max(left, right), 0, first.Length);
        // The map's columns run in file order; a descending file puts its first column on the right.
        heatmap.FlipHorizontally = step < 0;
        plot.Add.ColorBar(heatmap).Label = "log₁₀ first-order coefficient";

        // Each row is a wavelet; label it by the period it responds to, in the spectrum's x unit.
        var every = Math.Max(1, first.Length / 8);
        var rows = Enumerable.Range(0, first.Length).Where(r => r % every == 0).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. rows.Select(r => first.Length - r - 0.5)],
            [.. rows.Select(r => $"{Math.Abs(step) / first[r].Path.Xi[0]:0}")]);
        plot.XLabel(AxisLabel(spectrum.XUnit, spectrum.Metadata.XUnitLabel));
        plot.YLabel($"wavelet period ({Unit(spectrum.XUnit, spectrum.Metadata.XUnitLabel)})");
        var p = scattering.Parameters;
        plot.Title($"{name}: first-order scattering, J = {p.J}, Q = {p.Q1}");
        Descending(plot, spectrum.XUnit);
        return plot;
    }

    // Mid-infrared spectra are drawn with wavenumber falling to the right, as the field draws them.
    private static void Descending(Plot plot, XUnit unit)
    {
        plot.Axes.AutoScale();
        plot.Axes.Margins(horizontal: 0, vertical: plot.GetPlottables().OfType<ScottPlot.Plottables.Heatmap>().Any() ? 0 : 0.05);
        if (unit != XUnit.Wavenumber) return;
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimitsX(Math.Max(limits.Left, limits.Right), Math.Min(limits.Left, limits.Right));
    }

    private static string AxisLabel(XUnit unit, string? label) => unit switch
    {
        XUnit.Wavenumber => "Wavenumber (cm⁻¹)",
        XUnit.Micrometre => "Wavelength (µm)",
        XUnit.Nanometre => "Wavelength (nm)",
        XUnit.Points => "Data point",
        _ => label ?? "x",
    };

    private static string Unit(XUnit unit, string? label) => unit switch
    {
        XUnit.Wavenumber => "cm⁻¹",
        XUnit.Micrometre => "µm",
        XUnit.Nanometre => "nm",
        XUnit.Points => "points",
        _ => label ?? "x units",
    };

    private static string YLabel(YKind kind) => kind switch
    {
        YKind.Absorbance => "Absorbance",
        YKind.Transmittance => "Transmittance",
        YKind.Reflectance => "Reflectance",
        YKind.SingleChannel => "Single channel (a.u.)",
        YKind.Interferogram => "Interferogram (a.u.)",
        _ => kind.ToString(),
    };

    private static int Save(Plot plot, FileInfo target)
    {
        if (IsSvg(target.Name)) plot.SaveSvg(target.FullName, Width, Height);
        else plot.SavePng(target.FullName, Width, Height);
        Console.WriteLine($"Wrote {target.FullName}");
        return ExitCodes.Success;
    }
}
