using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using MidirEdge.Cli.Failures;
using MidirEdge.Models.Building;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Learners;
using MidirEdge.Models.Prediction;
using MidirEdge.Models.Trees;
using Spectre.Console;

namespace MidirEdge.Cli.Commands;

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
        var pipeline = new Option<string?>("--pipeline") { Description = $"One pipeline: {string.Join(", ", CandidatePipeline.Known.Select(p => p.Name))}" };
        pipeline.AcceptOnlyFromAmong([.. CandidatePipeline.Known.Select(p => p.Name)]);
        var auto = new Option<bool>("--auto") { Description = "Try every pipeline and keep the best per target (the default)" };
        var output = new Option<FileInfo>("--out") { Description = "Bundle file to write (.zip)", Required = true }.FileToWrite();
        var id = new Option<string?>("--id") { Description = "Bundle id (default: the output file name)" };
        var version = new Option<string>("--version") { Description = "Bundle version", DefaultValueFactory = _ => "1.0.0" };
        var description = new Option<string?>("--description") { Description = "What the bundle is for and where it is valid" };
        var units = new Option<string[]>("--unit") { Description = "Unit of a target as TARGET=UNIT (repeatable)" };
        units.Validators.Add(r =>
        {
            foreach (var token in r.Tokens.Where(t => !t.Value.Contains('=')))
                r.AddError($"--unit {token.Value} is not TARGET=UNIT (e.g. --unit C=%).");
        });
        var authors = new Option<string[]>("--author") { Description = "Author recorded in the manifest (repeatable; default: the user name)" };
        var learner = LearnerOption(DefaultLearner);
        var allowWeak = new Option<bool>("--allow-weak")
            { Description = $"Write a model below the skill thresholds (CV R² < {ModelSkill.MinR2}, RPIQ < {ModelSkill.MinRpiq}); its predictions are flagged indicative" };
        var command = new Command("build", "Build a model bundle, choosing preprocessing, learner and its settings by repeated grouped cross-validation")
            { data, targets, group, pipeline, auto, learner, allowWeak, output, id, version, description, units, authors };
        command.Validators.Add(r =>
        {
            // Whether given, not their values: a value that failed its own check cannot be read here.
            if (r.GetResult(pipeline) is not null && r.GetResult(auto) is not null) r.AddError("--pipeline and --auto cannot be used together.");
        });
        command.SetAction(parse =>
        {
            var candidates = parse.GetValue(pipeline) is { } name ? [CandidatePipeline.Named(name)] : CandidatePipeline.Auto;
            var unitsOf = ParseUnits(parse.GetValue(units) ?? []);
            var table = TableFile.Read(parse.GetRequiredValue(data).FullName);
            var groupColumn = parse.GetRequiredValue(group);
            TableFile.RequireColumn(table, groupColumn, "--group");
            foreach (var target in parse.GetRequiredValue(targets)) TableFile.RequireColumn(table, target, "--target");
            var builder = new ModelBuilder(table, groupColumn);
            var built = BuildAll(builder, parse.GetRequiredValue(targets), candidates, Learners(parse.GetValue(learner) ?? []));
            PrintScores(built.Select(b => (b.Target, b.Best)));
            if (!parse.GetValue(allowWeak) && built.FirstOrDefault(b => b.Quality == PredictionQuality.Indicative) is { } weak)
                throw new CommandFailedException(Weak(weak));
            var outFile = parse.GetRequiredValue(output);
            var identity = new BundleIdentity(
                parse.GetValue(id) ?? Path.GetFileNameWithoutExtension(outFile.Name),
                $"{string.Join(", ", built.Select(b => $"{b.Best.Learner.Name.ToUpperInvariant()} of {b.Target}"))}",
                parse.GetRequiredValue(version), parse.GetValue(description),
                parse.GetValue(authors) is { Length: > 0 } names ? [.. names] : [Environment.UserName],
                unitsOf);
            var (manifest, artefacts) = BundleComposer.Compose(identity, table, groupColumn, built, DateTimeOffset.UtcNow);
            BundleWriter.WriteZip(outFile.FullName, manifest, artefacts);
            Console.WriteLine($"Wrote {outFile.FullName}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateEvaluate()
    {
        var model = new Option<FileInfo>("--model") { Description = "Model bundle (.zip or directory)", Required = true }.Bundle();
        var data = DataOption();
        var plot = new Option<FileInfo?>("--plot") { Description = "Write an observed-vs-predicted plot (PNG)" }.FileToWrite();
        var command = new Command("evaluate", "Predict a table with lab values and report RMSE, R², bias and RPIQ per target") { model, data, plot };
        command.SetAction(parse =>
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
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateCompare()
    {
        var data = DataOption();
        var target = new Option<string>("--target") { Description = "Lab value column", Required = true };
        var group = GroupOption();
        var learner = LearnerOption("all");
        var pipelines = new Option<string[]>("--pipeline")
            { Description = $"Pipelines to compare (repeatable; default those of --auto: {string.Join(", ", CandidatePipeline.Auto.Select(p => p.Name))})" };
        pipelines.AcceptOnlyFromAmong([.. CandidatePipeline.Known.Select(p => p.Name)]);
        var repeats = new Option<int>("--repeats") { Description = "Repeats of the grouped 5-fold cross-validation", DefaultValueFactory = _ => 5 };
        var report = new Option<FileInfo?>("--report")
            { Description = "Write a self-contained HTML report (prediction power, small data, reproducibility, interpretability) and a .json of every number beside it" }.FileToWrite();
        var command = new Command("compare", "Repeated grouped-CV error of every pipeline and learner, PLS on preprocessed spectra to hybrids on scattering")
            { data, target, group, learner, pipelines, repeats, report };
        // An option's validator runs only when the option is given (a command validator saw 0 without it).
        repeats.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 50) r.AddError("--repeats must be between 1 and 50.");
        });
        command.SetAction(parse =>
        {
            var tablePath = parse.GetRequiredValue(data).FullName;
            var table = TableFile.Read(tablePath);
            var candidates = parse.GetValue(pipelines) is { Length: > 0 } names ? names.Select(CandidatePipeline.Named).ToArray() : [.. CandidatePipeline.Auto];
            var options = new BuildOptions(Repeats: parse.GetValue(repeats));
            var name = parse.GetRequiredValue(target);
            var groupColumn = parse.GetRequiredValue(group);
            TableFile.RequireColumn(table, groupColumn, "--group");
            TableFile.RequireColumn(table, name, "--target");
            if (parse.GetValue(report) is { } html)
            {
                var json = Path.ChangeExtension(html.FullName, ".json");
                ComparisonResult result = null!;
                AnsiConsole.Progress().AutoClear(true).Start(context =>
                {
                    var task = context.AddTask("comparing", autoStart: true);
                    task.IsIndeterminate = true;
                    result = ModelComparison.Run(table, groupColumn, name, candidates, Learners(parse.GetValue(learner) ?? []), options, CurveSoils,
                        new SynchronousProgress(step => task.Description = step));
                });
                ComparisonReport.Write(html.FullName, json, result, Path.GetFileName(tablePath));
                Console.WriteLine($"Best: {result.Best}. Wrote {html.FullName} and {json}");
                return ExitCodes.Success;
            }
            var built = BuildAll(new ModelBuilder(table, groupColumn, options), [name], candidates, Learners(parse.GetValue(learner) ?? []))[0];
            PrintScores(built.Scores.Select(s => (built.Target, s)));
            Console.WriteLine($"Best: {Candidate(built.Best)} ({built.Samples} spectra of {built.Groups} {groupColumn} groups, "
                + $"{built.Repeats} × {built.Folds}-fold grouped CV; y log1p: fitted on ln(1 + y), statistics in the target's unit)");
            return ExitCodes.Success;
        });
        return command;
    }

    // Training soils per fold on the learning curve; the last stands for all a fold has.
    private static readonly int[] CurveSoils = [10, 20, 30, 45, int.MaxValue];

    private static List<BuiltModel> BuildAll(ModelBuilder builder, IReadOnlyList<string> targets, IReadOnlyList<CandidatePipeline> candidates, IReadOnlyList<ILearner> learners)
    {
        var built = new List<BuiltModel>();
        AnsiConsole.Progress().AutoClear(true).Start(context =>
        {
            var task = context.AddTask("cross-validating", maxValue: targets.Count * (candidates.Count * learners.Count + 4));
            foreach (var target in targets)
                built.Add(builder.Build(target, candidates, learners, new SynchronousProgress(step => { task.Description = step; task.Increment(1); })));
        });
        return built;
    }

    private static void PrintScores(IEnumerable<(string Target, PipelineScore Score)> rows)
    {
        var grid = new Table().AddColumns("target", "pipeline", "learner", "y", "setting", "RMSECV", "sd", "R²", "bias", "RPIQ", "CCC");
        foreach (var (target, s) in rows)
            grid.AddRow(target, s.Pipeline.Name, s.Learner.Name, s.Transform == TargetTransform.Log1p ? "log1p" : "", s.Learner.Describe(s.Setting),
                Num(s.Statistics.Rmse, "0.###"), Num(s.Spread.Rmse, "0.###"), Num(s.Statistics.R2, "0.00"), Num(s.Statistics.Bias, "0.###"),
                Num(s.Statistics.Rpiq, "0.00"), Num(s.Statistics.Ccc, "0.00"));
        AnsiConsole.Write(grid);
    }

    private static string Candidate(PipelineScore s) => s.Name;

    // One line naming the target, its cross-validated statistics and the thresholds it missed.
    private static string Weak(BuiltModel weak) => string.Create(CultureInfo.InvariantCulture,
        $"{weak.Target}: the best model ({Candidate(weak.Best)}) has cross-validated R² {weak.Best.Statistics.R2:0.00} and RPIQ {weak.Best.Statistics.Rpiq:0.00}, "
        + $"below the skill thresholds (R² ≥ {ModelSkill.MinR2}, RPIQ ≥ {ModelSkill.MinRpiq}); no bundle written (--allow-weak writes it, its predictions flagged indicative)");

    /// <summary>Learner chosen when <c>--learner</c> is not given.</summary>
    private const string DefaultLearner = "pls";

    private static Option<string[]> LearnerOption(string defaultValue)
    {
        var option = new Option<string[]>("--learner")
        {
            Description = "pls, mbl (memory-based learning), gpr (Gaussian process), gbt (gradient-boosted trees), rf (random forest) or all; repeatable",
            DefaultValueFactory = _ => [defaultValue],
        };
        option.AcceptOnlyFromAmong("pls", "mbl", "gpr", "gbt", "rf", "all");
        return option;
    }

    /// <summary>The tree learners, which ML.NET trains with run-time generated code: not in the Native AOT package.</summary>
    private static readonly string[] TreeLearners = ["gbt", "rf"];

    private static ILearner[] Learners(string[] names)
    {
        var all = names.Contains("all");
        var chosen = all ? ["pls", "mbl", "gpr", .. TreeLearners] : names.Distinct().ToArray();
        if (!RuntimeFeature.IsDynamicCodeSupported && chosen.Intersect(TreeLearners).ToArray() is [_, ..] trees)
        {
            var why = "ML.NET trains trees with run-time generated code, which this native (Native AOT) build of midir-edge cannot run; "
                + "the framework-dependent build (dotnet run --project src/MidirEdge.Cli) and the win-x64 package can";
            if (!all) throw new UsageException($"--learner {string.Join(", ", trees)}: {why}");
            Console.Error.WriteLine($"midir-edge: --learner all leaves out {string.Join(" and ", trees)}: {why}");
            chosen = [.. chosen.Except(TreeLearners)];
        }
        return
        [
            .. chosen.Select<string, ILearner>(name => name switch
            {
                "mbl" => new MblLearner(),
                "gpr" => new GprLearner(),
                "gbt" => new GbtLearner(),
                "rf" => new RfLearner(),
                _ => new PlsLearner(),
            }),
        ];
    }

    // Each is TARGET=UNIT (checked when parsed).
    private static ImmutableDictionary<string, string> ParseUnits(string[] pairs) =>
        pairs.Select(p => p.Split('=', 2)).ToImmutableDictionary(p => p[0], p => p[1]);

    private static Option<FileInfo> DataOption() =>
        new Option<FileInfo>("--data") { Description = "Wide CSV table: one spectrum per row, numeric headers are wavenumbers", Required = true }.ExistingFile();

    private static Option<string> GroupOption() =>
        new("--group") { Description = "Column identifying the soil sample; replicates stay in one fold", Required = true };

    private static string Num(double value, string format = "0.####") => value.ToString(format, CultureInfo.InvariantCulture);

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
