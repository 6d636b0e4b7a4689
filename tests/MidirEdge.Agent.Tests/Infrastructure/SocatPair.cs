
namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>
/// Two linked pseudo-terminals made by socat (<c>pty,raw,echo=0,link=…</c>), standing in for a serial cable:
/// bytes written to <see cref="A"/> come out of <see cref="B"/> and back. <see cref="Kill"/> makes both ports
/// vanish like an unplugged USB adapter; <see cref="Start"/> brings a new pair up at the same paths.
/// </summary>
public sealed class SocatPair : IDisposable
{
    /// <summary>Path of the socat executable (Debian package <c>socat</c>).</summary>
    public const string Executable = "/usr/bin/socat";

    private readonly TempDirectory _dir = new("socat");
    private ChildProcess? _process;
    private string _lastLog = "";

    /// <summary>Starts the pair.</summary>
    public SocatPair()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} not found; install it with 'apt-get install -y socat'.");
        A = Path.Combine(_dir.Path, "a");
        B = Path.Combine(_dir.Path, "b");
        Start();
    }

    /// <summary>Link to one end (the agent's port).</summary>
    public string A { get; }

    /// <summary>Link to the other end (the instrument's port).</summary>
    public string B { get; }

    /// <summary>What socat printed, for failure messages.</summary>
    public string Log => _process?.Log ?? _lastLog;

    /// <summary>Starts socat and returns once both links exist.</summary>
    public void Start()
    {
        if (_process is { IsRunning: true }) return;
        Kill();
        _process = ChildProcess.Start(Executable, ["-d", "-d", $"pty,raw,echo=0,link={A}", $"pty,raw,echo=0,link={B}"],
            p => File.Exists(A) && File.Exists(B) && p.Log.Contains("starting data transfer loop", StringComparison.Ordinal),
            $"socat did not create {A} and {B}");
    }

    /// <summary>Kills socat; both pseudo-terminals and their links are gone when this returns.</summary>
    public void Kill()
    {
        if (_process is null) return;
        _lastLog = _process.Log;
        _process.Dispose();
        _process = null;
        // SIGKILL leaves socat no chance to remove its links; remove them as the device node would vanish.
        File.Delete(A);
        File.Delete(B);
    }

    /// <summary>Kills socat and deletes the directory.</summary>
    public void Dispose()
    {
        Kill();
        _dir.Dispose();
    }

}
