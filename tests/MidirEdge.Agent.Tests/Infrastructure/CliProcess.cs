using System.Diagnostics;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>Runs the built midir-edge command line as a separate process, as a user would.</summary>
internal static class CliProcess
{
    /// <summary>How long a command may run before it is taken for hung and killed.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(6);

    /// <summary>Runs <c>midir-edge ARGS</c> and returns its exit code, standard output and standard error.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        RunAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs <c>midir-edge ARGS</c> with extra environment variables.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "midir-edge.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A guard against a hung child, not a timing: generous, since a loaded 2-core machine runs a model build for minutes.
        using var timeout = new CancellationTokenSource(Guard);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"midir-edge {string.Join(' ', args)} did not end within {Guard.TotalMinutes} min; it was killed. Output so far:\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
