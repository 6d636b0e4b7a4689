using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>
/// A real Mosquitto broker on a free loopback port, for tests. <see cref="Stop"/> and <see cref="Start"/>
/// reuse the same port to simulate an outage; the process is killed on dispose.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    /// <summary>Path of the Mosquitto executable (Debian package <c>mosquitto</c>).</summary>
    public const string Executable = "/usr/sbin/mosquitto";

    private readonly TempDirectory _dir = new("mosquitto");
    private readonly string _config;
    private ChildProcess? _process;
    private string _lastLog = "";

    /// <summary>
    /// Starts a broker on a free port; <paramref name="extraConfig"/> is appended to the generated
    /// mosquitto.conf (e.g. a second listener with TLS).
    /// </summary>
    public MosquittoBroker(string extraConfig = "", bool allowAnonymous = true)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} not found; install it with 'apt-get install -y mosquitto'.");
        Port = Ports.Free();
        _config = Path.Combine(_dir.Path, "mosquitto.conf");
        File.WriteAllText(_config,
            $"listener {Port} 127.0.0.1\nallow_anonymous {(allowAnonymous ? "true" : "false")}\npersistence false\n{extraConfig}");
        Start();
    }

    /// <summary>Writes a Mosquitto password file <c>passwd</c> into <paramref name="folder"/> with each user and password (<c>mosquitto_passwd -b</c>); returns its path.</summary>
    public static string PasswordFile(string folder, params (string User, string Password)[] users)
    {
        var passwords = Path.Combine(folder, "passwd");
        File.WriteAllText(passwords, "");
        foreach (var (user, password) in users)
            using (var passwd = Process.Start("mosquitto_passwd", ["-b", passwords, user, password]))
                passwd.WaitForExit();
        return passwords;
    }

    /// <summary>Host to connect to.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Listening port; the same across restarts.</summary>
    public int Port { get; }

    /// <summary>Whether the broker process is running.</summary>
    public bool IsRunning => _process is { IsRunning: true };

    /// <summary>What the broker printed so far, for failure messages.</summary>
    public string Log => _process?.Log ?? _lastLog;

    /// <summary>Starts the broker and returns once its port accepts connections.</summary>
    public void Start()
    {
        if (IsRunning) return;
        Stop();
        _process = ChildProcess.Start(Executable, ["-c", _config], _ => Accepts(Port), $"Mosquitto did not start on port {Port}");
    }

    /// <summary>Kills the broker; its port refuses connections when this returns.</summary>
    public void Stop()
    {
        if (_process is null) return;
        _lastLog = _process.Log;
        _process.Dispose();
        _process = null;
    }

    /// <summary>Stops the broker as a service manager would (SIGTERM), so it saves its persistent state; false if it did not exit in time.</summary>
    public bool Terminate()
    {
        if (_process is null) return true;
        var exited = _process.Terminate(TimeSpan.FromSeconds(30));
        Stop();
        return exited;
    }

    /// <summary>Kills the broker and deletes its directory.</summary>
    public void Dispose()
    {
        Stop();
        _dir.Dispose();
    }


    private static bool Accepts(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>Free loopback TCP ports.</summary>
public static class Ports
{
    /// <summary>Returns a port that was free a moment ago.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates a fresh directory under the system temp folder.</summary>
    public TempDirectory(string prefix) =>
        Path = Directory.CreateTempSubdirectory($"midir-{prefix}-").FullName;

    /// <summary>Full path of the directory.</summary>
    public string Path { get; }

    /// <summary>Deletes the directory and everything in it.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
