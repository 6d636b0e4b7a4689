using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Health;

/// <summary>
/// The systemd watchdog is fed over a real unix datagram socket standing in for systemd's <c>$NOTIFY_SOCKET</c>: while the
/// agent is alive, and not while its pipeline hangs.
/// </summary>
public sealed class SystemdWatchdogTests : IDisposable
{
    private readonly TempDirectory _dir = new("watchdog");
    private readonly Socket _systemd = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string _socket;

    /// <summary>Binds the socket systemd would listen on.</summary>
    public SystemdWatchdogTests()
    {
        _socket = Path.Combine(_dir.Path, "notify");
        _systemd.Bind(new UnixDomainSocketEndPoint(_socket));
        _systemd.ReceiveTimeout = (int)MqttProbe.Guard.TotalMilliseconds;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _systemd.Dispose();
        _dir.Dispose();
    }

    /// <summary>
    /// <c>WATCHDOG=1</c> every half timeout while alive; once a capture has been in hand longer than MaxStall (on a fake
    /// clock) each tick sends the unit's status line saying why instead, and feeding resumes when it lets go. The clock
    /// moves one tick at a time and each tick's datagram is read before the next, so every tick is accounted for.
    /// </summary>
    [Fact]
    public async Task Fed_while_alive_and_not_while_the_pipeline_hangs()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var liveness = new PipelineLiveness(Options.Create(new HealthOptions { MaxStall = TimeSpan.FromMinutes(1) }), time);
        using var watchdog = new SystemdWatchdog(new WatchdogSettings(_socket, TimeSpan.FromSeconds(60)), liveness, time, NullLogger<SystemdWatchdog>.Instance);
        await watchdog.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal("WATCHDOG=1", Receive());
            Assert.Equal("WATCHDOG=1", Tick(time));

            var busy = liveness.Busy("preparing /inbox/S0007.0");
            Assert.Equal("WATCHDOG=1", Tick(time));   // 30 s in hand
            Assert.Equal("WATCHDOG=1", Tick(time));   // 60 s: not longer than MaxStall yet
            Assert.Equal("STATUS=Not alive, watchdog not fed: pipeline: preparing /inbox/S0007.0 for 90 s, longer than MidirEdge:Health:MaxStall (60 s); it hangs", Tick(time));
            Assert.Equal("STATUS=Not alive, watchdog not fed: pipeline: preparing /inbox/S0007.0 for 120 s, longer than MidirEdge:Health:MaxStall (60 s); it hangs", Tick(time));

            busy.Dispose();
            Assert.Equal("STATUS=Alive again\nWATCHDOG=1", Tick(time));
            Assert.Equal("WATCHDOG=1", Tick(time));
        }
        finally
        {
            await watchdog.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The watchdog applies only to the process systemd set it up for, and only with a socket and a timeout.</summary>
    [Fact]
    public async Task The_executable_feeds_the_watchdog_systemd_set_up_for_it()
    {
        using var root = new TempDirectory("watchdog-run");
        using var agent = AgentProcess.Start(
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = _socket, ["WATCHDOG_USEC"] = "2000000" },
            "run", $"--MidirEdge:DataDir={Path.Combine(root.Path, "data")}", $"--MidirEdge:Models:Path={Path.Combine(root.Path, "models")}",
            $"--MidirEdge:Mqtt:Port={Ports.Free().ToString(CultureInfo.InvariantCulture)}", "--MidirEdge:Health:Url=http://127.0.0.1:0");
        try
        {
            Assert.Equal("WATCHDOG=1", ReceiveFrom(agent));
            Assert.Equal("WATCHDOG=1", ReceiveFrom(agent));
            Assert.Contains("systemd watchdog: timeout 00:00:02, fed every 00:00:01 while the agent is alive", agent.Output, StringComparison.Ordinal);
        }
        finally
        {
            await agent.TerminateAsync();
        }
    }

    /// <summary>Moves the clock by one feeding interval (half the 60 s timeout) and returns that tick's datagram.</summary>
    private string Tick(FakeTimeProvider time)
    {
        time.Advance(TimeSpan.FromSeconds(30));
        return Receive();
    }

    /// <summary>The next datagram systemd would receive.</summary>
    private string Receive()
    {
        var buffer = new byte[4096];
        return Encoding.UTF8.GetString(buffer, 0, _systemd.Receive(buffer));
    }

    /// <summary>The next datagram from <paramref name="agent"/>; its output in the failure when none comes.</summary>
    private string ReceiveFrom(AgentProcess agent)
    {
        try
        {
            return Receive();
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
        {
            throw new TimeoutException("no datagram from the agent:\n" + agent.Output, ex);
        }
    }
}
