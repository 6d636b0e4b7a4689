using System.Diagnostics;
using System.Globalization;

namespace MidirEdge.Faults.Tests;

/// <summary>
/// One life of a real agent process (<c>dotnet midir-edge.dll run --config FILE</c>): its output appended to a log file,
/// its peak resident memory sampled from /proc, and whether it exited on its own (a crash) or because the campaign ended it.
/// </summary>
internal sealed class AgentLife : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Timer _sampler;
    private long _peakRss;
    private bool _ended;

    private AgentLife(string settingsFile, string logFile)
    {
        _log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "midir-edge.dll"), "run", "--config", settingsFile }) start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _sampler = new Timer(_ => Sample(), null, 0, 100);
    }

    /// <summary>Starts an agent with the settings in <paramref name="settingsFile"/>, appending its output to <paramref name="logFile"/>.</summary>
    public static AgentLife Start(string settingsFile, string logFile) => new(settingsFile, logFile);

    /// <summary>True when the process exited without the campaign ending it.</summary>
    public bool Crashed => _process.HasExited && !_ended;

    /// <summary>Exit code, once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The largest resident set seen (VmHWM), in bytes.</summary>
    public long PeakRss { get { Sample(); return Interlocked.Read(ref _peakRss); } }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        Sample();
        _ended = true;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as systemd stops a service; false if the agent did not exit within <paramref name="guard"/> (then it is killed).</summary>
    public bool Terminate(TimeSpan guard)
    {
        Sample();
        _ended = true;
        if (_process.HasExited) return true;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!)
            kill.WaitForExit();
        if (_process.WaitForExit(guard)) return true;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        return false;
    }

    /// <summary>Kills the agent if it still runs and closes the log.</summary>
    public void Dispose()
    {
        _sampler.Dispose();
        if (!_process.HasExited)
        {
            _ended = true;
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private void Sample()
    {
        try
        {
            if (_process.HasExited) return;
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                var bytes = kb * 1024;
                long seen;
                while ((seen = Interlocked.Read(ref _peakRss)) < bytes && Interlocked.CompareExchange(ref _peakRss, bytes, seen) != seen) { }
                return;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // The process ended between the check and the read.
        }
    }

    private void Write(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            try
            {
                if (_log.BaseStream.CanWrite) _log.WriteLine(line);
            }
            catch (IOException)
            {
                // The log's disk is full: the campaign goes on without this line.
            }
        }
    }
}
