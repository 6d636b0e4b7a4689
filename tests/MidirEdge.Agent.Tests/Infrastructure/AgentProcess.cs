using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>The built agent (<c>dotnet midir-edge.dll ARGS</c>) as a separate process: its output kept, killed on dispose.</summary>
public sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "midir-edge.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
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
    public static AgentProcess Start(params string[] args) => new(new Dictionary<string, string>(), args);

    /// <summary>Starts <c>midir-edge ARGS</c> with extra environment variables (as systemd sets <c>NOTIFY_SOCKET</c>).</summary>
    public static AgentProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) => new(environment, args);

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
