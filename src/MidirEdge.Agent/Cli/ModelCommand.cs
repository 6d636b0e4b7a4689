using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using MidirEdge.Models;
using MidirEdge.Models.Building;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Pls;
using MidirEdge.Spectra;
using Spectre.Console;

namespace MidirEdge.Agent.Cli;

/// <summary><c>midir-edge model build | evaluate | compare</c>: build bundles from a spectral table and judge them.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Build model bundles from spectral tables, evaluate and compare them");
        command.Subcommands.Add(CreateBuild());
        command.Subcommands.Add(CreateEvaluate());
        command.Subcommands.Add(CreateCompare());
        return command;
    }

    private static Command CreateBuild()
    {
        var data = DataOption();
        var targets = new Option<string[]>("--target") { Description = "Lab value column to model (repeatable)", Required = true, AllowMultipleArgumentsPerToken = false };
        var group = GroupOption();
        var pipeline = new Option<string?>("--pipeline") { Description = $"One pipeline: {string.Join(", ", CandidatePipeline.Auto.Select(p => p.Name))}" };
        var auto = new Option<bool>("--auto") { Description = "Try every pipeline and keep the best per target (the default)" };
        var output = new Option<FileInfo>("--out") { Description = "Bundle file to write (.zip)", Required = true };
        var id = new Option<string?>("--id") { Description = "Bundle id (default: the output file name)" };
        var version = new Option<string>("--version") { Description = "Bundle version", DefaultValueFactory = _ => "1.0.0" };
        var description = new Option<string?>("--description") { Description = "What the bundle is for and where it is valid" };
        var units = new Option<string[]>("--unit") { Description = "Unit of a target as TARGET=UNIT (repeatable)" };
        var authors = new Option<string[]>("--author") { Description = "Author recorded in the manifest (repeatable; default: the user name)" };
        var command = new Command("build", "Build a PLS model bundle, choosing preprocessing and components by grouped cross-validation")
            { data, targets, group, pipeline, auto, output, id, version, description, units, authors };
        command.Validators.Add(r =>
        {
            if (r.GetValue(pipeline) is not null && r.GetValue(auto)) r.AddError("--pipeline and --auto cannot be used together.");
        });
        command.SetAction((parse, cancellationToken) =>
        {
            try
            {
                var candidates = parse.GetValue(pipeline) is { } name ? [CandidatePipeline.Named(name)] : CandidatePipeline.Auto;
                var table = TableFile.Read(parse.GetRequiredValue(data).FullName);
                var builder = new ModelBuilder(table, parse.GetRequiredValue(group));
                var built = BuildAll(builder, parse.GetRequiredValue(targets), candidates);
                var outFile = parse.GetRequiredValue(output);
                var identity = new BundleIdentity(
                    parse.GetValue(id) ?? Path.GetFileNameWithoutExtension(outFile.Name),
                    $"PLS of {string.Join(", ", built.Select(b => b.Target))}",
                    parse.GetRequiredValue(version), parse.GetValue(description),
                    parse.GetValue(authors) is { Length: > 0 } names ? [.. names] : [Environment.UserName],
                    ParseUnits(parse.GetValue(units) ?? []));
                var (manifest, artefacts) = BundleComposer.Compose(identity, table, parse.GetRequiredValue(group), built, DateTimeOffset.UtcNow);
                BundleWriter.WriteZip(outFile.FullName, manifest, artefacts);
                PrintScores(built.Select(b => (b.Target, b.Best)));
                Console.WriteLine($"Wrote {outFile.FullName}");
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is SpectrumFormatException or IOException or ArgumentException or ModelException)
            {
                return Task.FromResult(CliErrors.Fail("model build", ex));
            }
        });
        return command;
    }

    private static Command CreateEvaluate()
    {
        var model = new Option<FileInfo>("--model") { Description = "Model bundle (.zip or directory)", Required = true };
        var data = DataOption();
        var plot = new Option<FileInfo?>("--plot") { Description = "Write an observed-vs-predicted plot (PNG)" };
        var command = new Command("evaluate", "Predict a table with lab values and report RMSE, R², bias and RPIQ per target") { model, data, plot };
        command.SetAction((parse, cancellationToken) =>
        {
            try
            {
                using var bundle = ModelBundle.Load(parse.GetRequiredValue(model).FullName);
                var table = TableFile.Read(parse.GetRequiredValue(data).FullName);
                var evaluation = Evaluation.Run(bundle, table);
                var grid = new Table().AddColumns("target", "n", "RMSE", "R²", "bias", "RPD", "RPIQ", "in domain");
                foreach (var t in evaluation)
                    grid.AddRow(t.Target, Num(t.Statistics.Count, "0"), Num(t.Statistics.Rmse), Num(t.Statistics.R2, "0.000"),
                        Num(t.Statistics.Bias), Num(t.Statistics.Rpd, "0.00"), Num(t.Statistics.Rpiq, "0.00"), $"{t.InDomain}/{t.Statistics.Count}");
                AnsiConsole.Write(grid);
                if (parse.GetValue(plot) is { } png)
                {
                    ObservedPredictedPlot.Save(png.FullName, bundle.Manifest.Name, evaluation, bundle.Manifest.Targets.ToDictionary(t => t.Name, t => t.Unit));
                    Console.WriteLine($"Wrote {png.FullName}");
                }
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is SpectrumFormatException or IOException or ArgumentException or ModelException)
            {
                return Task.FromResult(CliErrors.Fail("model evaluate", ex));
            }
        });
        return command;
    }

    private static Command CreateCompare()
    {
        var data = DataOption();
        var target = new Option<string>("--target") { Description = "Lab value column", Required = true };
        var group = GroupOption();
        var command = new Command("compare", "Grouped-CV error of PLS on preprocessed spectra vs scattering-based pipelines") { data, target, group };
        command.SetAction((parse, cancellationToken) =>
        {
            try
            {
                var table = TableFile.Read(parse.GetRequiredValue(data).FullName);
                var builder = new ModelBuilder(table, parse.GetRequiredValue(group));
                var built = BuildAll(builder, [parse.GetRequiredValue(target)], CandidatePipeline.Auto)[0];
                PrintScores(built.Scores.Select(s => (s.Pipeline.Name, s)));
                Console.WriteLine($"Best: {built.Best.Pipeline.Name} ({built.Samples} spectra of {built.Groups} {parse.GetRequiredValue(group)} groups, {built.Folds}-fold grouped CV)");
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is SpectrumFormatException or IOException or ArgumentException)
            {
                return Task.FromResult(CliErrors.Fail("model compare", ex));
            }
        });
        return command;
    }

    private static List<BuiltModel> BuildAll(ModelBuilder builder, IReadOnlyList<string> targets, IReadOnlyList<CandidatePipeline> candidates)
    {
        var built = new List<BuiltModel>();
        AnsiConsole.Progress().AutoClear(true).Start(context =>
        {
            var task = context.AddTask("cross-validating", maxValue: targets.Count * candidates.Count);
            foreach (var target in targets) built.Add(builder.Build(target, candidates, new SynchronousProgress(step => { task.Description = step; task.Increment(1); })));
        });
        return built;
    }

    private static void PrintScores(IEnumerable<(string Name, PipelineScore Score)> rows)
    {
        var grid = new Table().AddColumns("", "pipeline", "components", "RMSECV", "R²", "bias", "RPD", "RPIQ");
        foreach (var (name, s) in rows)
            grid.AddRow(name, s.Pipeline.Name, s.Components.ToString(CultureInfo.InvariantCulture), Num(s.Statistics.Rmse),
                Num(s.Statistics.R2, "0.000"), Num(s.Statistics.Bias), Num(s.Statistics.Rpd, "0.00"), Num(s.Statistics.Rpiq, "0.00"));
        AnsiConsole.Write(grid);
    }

    private static ImmutableDictionary<string, string> ParseUnits(string[] pairs) =>
        pairs.Select(p => p.Split('=', 2)).ToImmutableDictionary(
            p => p.Length == 2 ? p[0] : throw new ArgumentException($"--unit '{p[0]}' is not TARGET=UNIT."), p => p[1]);

    private static Option<FileInfo> DataOption() =>
        new("--data") { Description = "Wide CSV table: one spectrum per row, numeric headers are wavenumbers", Required = true };

    private static Option<string> GroupOption() =>
        new("--group") { Description = "Column identifying the soil sample; replicates stay in one fold", Required = true };

    private static string Num(double value, string format = "0.####") => value.ToString(format, CultureInfo.InvariantCulture);

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
