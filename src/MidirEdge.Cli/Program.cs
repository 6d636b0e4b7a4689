using MidirEdge.Cli;

return await CommandLine.InvokeAsync(args);
