using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>The built agent (<c>dotnet midir-edge.dll ARGS</c>) as a separate process: its output kept, killed on dispose.</summary>
public sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "midir-edge.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the agent printed so far, for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Exit code once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>midir-edge ARGS</c>.</summary>
    public static AgentProcess Start(params string[] args) => new(args);

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        return _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd stops a service, then waits for the exit (guarded against hangs).</summary>
    public async Task TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var guard = new CancellationTokenSource(MqttProbe.Guard);
        await _process.WaitForExitAsync(guard.Token);
    }

    /// <summary>Kills the agent if it still runs.</summary>
    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
