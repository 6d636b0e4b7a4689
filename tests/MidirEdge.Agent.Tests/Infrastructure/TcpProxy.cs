using System.Diagnostics;
using System.Net;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>
/// A single-connection TCP relay (<c>socat</c>) in front of a broker; <see cref="Kill"/> drops the connection
/// without an MQTT DISCONNECT, as a crashed agent or a pulled cable would.
/// </summary>
public sealed class TcpProxy : IDisposable
{
    private readonly Process _process;

    /// <summary>Starts relaying a free loopback port to <paramref name="targetPort"/>.</summary>
    public TcpProxy(int targetPort)
    {
        Port = Ports.Free();
        _process = Process.Start(new ProcessStartInfo("socat",
            [$"TCP-LISTEN:{Port},bind=127.0.0.1,reuseaddr", $"TCP:127.0.0.1:{targetPort}"])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("socat did not start; install it with 'apt-get install -y socat'.");
        var guard = Stopwatch.StartNew();
        while (!Listening(Port))
        {
            if (_process.HasExited || guard.Elapsed > MqttProbe.Guard)
                throw new InvalidOperationException($"socat did not listen on {Port}: {_process.StandardError.ReadToEnd()}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Port the agent connects to.</summary>
    public int Port { get; }

    /// <summary>Kills the relay, cutting the connection on both sides.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Kills the relay.</summary>
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static bool Listening(int port) =>
        IPGlobalPropertiesListeners().Any(e => e.Port == port && e.Address.Equals(IPAddress.Loopback));

    private static IPEndPoint[] IPGlobalPropertiesListeners() =>
        System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners();
}
