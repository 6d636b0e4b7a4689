using System.Diagnostics;
using System.Text;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>A helper program (mosquitto, socat) run by a test: its output kept for failure messages, killed on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly TimeSpan StartupGuard = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ChildProcess(string executable, IEnumerable<string> arguments)
    {
        _process = new Process { StartInfo = new ProcessStartInfo(executable, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false } };
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    /// <summary>What the program printed so far.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Whether the program is still running.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Starts the program and returns once <paramref name="ready"/> holds; throws with its output if it exits or takes too long.</summary>
    public static ChildProcess Start(string executable, IEnumerable<string> arguments, Func<ChildProcess, bool> ready, string what)
    {
        var child = new ChildProcess(executable, arguments);
        var guard = Stopwatch.StartNew();
        while (!ready(child))
        {
            if (child._process.HasExited || guard.Elapsed > StartupGuard)
            {
                child.Dispose();
                throw new InvalidOperationException($"{what}:\n{child.Log}");
            }
            Thread.Sleep(20);
        }
        return child;
    }

    /// <summary>Asks the program to stop (SIGTERM) and waits for it; returns false if it did not exit within <paramref name="guard"/>.</summary>
    public bool Terminate(TimeSpan guard)
    {
        if (_process.HasExited) return true;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        return _process.WaitForExit(guard);
    }

    /// <summary>Kills the program (SIGKILL) and waits for it to exit.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }
}
