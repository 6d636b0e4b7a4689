using System.CommandLine;
using MidirEdge.Cli.Commands;

var root = new RootCommand("MidirEdge — instrument-side agent for mid-infrared soil spectroscopy");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ReadCommand.Create());
root.Subcommands.Add(ScatterCommand.Create());
root.Subcommands.Add(ModelCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(PlotCommand.Create());
var parsed = root.Parse(args);
// `run` hosts the agent, whose own lifetime handles Ctrl+C and SIGTERM and stops gracefully (finish in-flight work, flush
// the outbox) within the host's shutdown timeout; the command line's 2-second grace would cut that short.
var invocation = new InvocationConfiguration();
if (parsed.CommandResult.Command.Name == "run") invocation.ProcessTerminationTimeout = null;
return await parsed.InvokeAsync(invocation);
