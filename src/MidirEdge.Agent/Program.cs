using System.CommandLine;
using MidirEdge.Agent.Cli;

var root = new RootCommand("MidirEdge — instrument-side agent for mid-infrared soil spectroscopy");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ReadCommand.Create());
root.Subcommands.Add(ScatterCommand.Create());
root.Subcommands.Add(ModelCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
return await root.Parse(args).InvokeAsync();
