using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using MidirEdge.Cli.Commands;
using MidirEdge.Cli.Failures;

namespace MidirEdge.Cli;

/// <summary>The <c>midir-edge</c> commands, and how what happens to one becomes its exit code.</summary>
internal static class CommandLine
{
    /// <summary>The global option that adds the stack trace to a failure's one line.</summary>
    private const string Verbose = "--verbose";

    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code; a failure is one line on stderr (<see cref="Failure"/>).</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        ParseResult parsed;
        try
        {
            parsed = Create().Parse(args);
        }
        catch (Exception error)
        {
            return Failure.Report("", error, args.Contains(Verbose), Console.Error);
        }
        var command = NameOf(parsed.CommandResult);
        if (parsed.Action is ParseErrorAction)
            return Failure.Report(command, new UsageException(ParseErrors.Describe(parsed)), verbose: false, Console.Error);
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        // `run` hosts the agent, whose own lifetime handles Ctrl+C and SIGTERM and stops gracefully (finish in-flight work,
        // flush the outbox) within the host's shutdown timeout; the command line's 2-second grace would cut that short.
        if (parsed.CommandResult.Command.Name == "run") invocation.ProcessTerminationTimeout = null;
        try
        {
            return await parsed.InvokeAsync(invocation);
        }
        catch (Exception error)
        {
            return Failure.Report(command, error, parsed.GetValue<bool>(Verbose), Console.Error);
        }
    }

    /// <summary>The command tree.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("MidirEdge — instrument-side agent for mid-infrared soil spectroscopy")
        {
            new Option<bool>(Verbose) { Description = "When a command fails, print the full error with its stack trace after the one-line message", Recursive = true },
        };
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(Check.CheckCommand.Create());
        root.Subcommands.Add(ReadCommand.Create());
        root.Subcommands.Add(ScatterCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(FleetCommand.Create());
        return root;
    }

    /// <summary>The command's words after <c>midir-edge</c>, e.g. <c>model build</c>; empty for the root.</summary>
    public static string NameOf(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult { Parent: not null } c) names.Add(c.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The names and aliases of the options <paramref name="result"/>'s command takes, its parents' recursive ones included.</summary>
    public static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult c)
                foreach (var option in c.Command.Options.Where(o => c == result || o.Recursive))
                    foreach (var name in option.Aliases.Prepend(option.Name)) yield return name;
    }
}
