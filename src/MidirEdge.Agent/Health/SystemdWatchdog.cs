using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MidirEdge.Agent.Health;

/// <summary>
/// Feeds systemd's watchdog (<c>WatchdogSec=</c> in the unit) while the agent is alive: <c>WATCHDOG=1</c> every half of
/// the timeout. While <see cref="PipelineLiveness"/> names a problem it sends the problem as the unit's status line
/// instead (<c>systemctl status</c> shows it), so systemd restarts a hung agent once the timeout passes; a process too
/// stuck to run this loop at all is restarted the same way.
/// </summary>
public sealed partial class SystemdWatchdog : BackgroundService
{
    private readonly WatchdogSettings _settings;
    private readonly PipelineLiveness _liveness;
    private readonly TimeProvider _time;
    private readonly ILogger<SystemdWatchdog> _logger;

    /// <summary>Creates the watchdog feeder for the socket and timeout systemd gave (see <see cref="WatchdogSettings.FromEnvironment"/>).</summary>
    public SystemdWatchdog(WatchdogSettings settings, PipelineLiveness liveness, TimeProvider time, ILogger<SystemdWatchdog> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _liveness = liveness;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = _settings.Timeout / 2;
        LogFeeding(_settings.Timeout, interval);
        using var timer = new PeriodicTimer(interval, _time);
        var alive = true;
        try
        {
            do
            {
                var problem = _liveness.Problem;
                if (problem is null)
                {
                    if (!alive) LogAliveAgain();
                    Notify(alive ? "WATCHDOG=1" : "STATUS=Alive again\nWATCHDOG=1");
                }
                else
                {
                    if (alive) LogNotAlive(problem);
                    Notify("STATUS=Not alive, watchdog not fed: " + problem);
                }
                alive = problem is null;
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Notify(string state)
    {
        try
        {
            SdNotify.Send(_settings.NotifySocket, state);
        }
        catch (SocketException ex)
        {
            // systemd restarted or the socket went away: the next tick tries again, and a missed one is what the timeout allows for.
            LogNotifyFailed(_settings.NotifySocket, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog: timeout {Timeout}, fed every {Interval} while the agent is alive")]
    private partial void LogFeeding(TimeSpan timeout, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The agent is not alive ({Problem}); no longer feeding systemd's watchdog, which restarts it")]
    private partial void LogNotAlive(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The agent is alive again; feeding systemd's watchdog")]
    private partial void LogAliveAgain();

    [LoggerMessage(Level = LogLevel.Warning, Message = "systemd watchdog: could not notify {Socket} ({Reason})")]
    private partial void LogNotifyFailed(string socket, string reason);
}

/// <summary>Where and how often systemd expects the watchdog to be fed.</summary>
/// <param name="NotifySocket">The unix datagram socket of <c>$NOTIFY_SOCKET</c>: a path, or an abstract name starting with <c>@</c>.</param>
/// <param name="Timeout">The watchdog timeout (<c>WatchdogSec=</c>, given as <c>$WATCHDOG_USEC</c>).</param>
public sealed record WatchdogSettings(string NotifySocket, TimeSpan Timeout)
{
    /// <summary>
    /// The watchdog systemd set up for this process, as <c>sd_watchdog_enabled(3)</c> reads it: <c>$WATCHDOG_USEC</c> and
    /// <c>$NOTIFY_SOCKET</c> set, and <c>$WATCHDOG_PID</c> unset or this process; null otherwise (no <c>WatchdogSec=</c>,
    /// not under systemd).
    /// </summary>
    public static WatchdogSettings? FromEnvironment()
    {
        var socket = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(socket)) return null;
        if (!ulong.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec == 0)
            return null;
        if (Environment.GetEnvironmentVariable("WATCHDOG_PID") is { Length: > 0 } pid
            && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var owner) || owner != Environment.ProcessId))
            return null;
        return new WatchdogSettings(socket, TimeSpan.FromMicroseconds(usec));
    }
}

/// <summary>
/// The <c>sd_notify(3)</c> protocol without libsystemd: one datagram of newline-separated <c>KEY=VALUE</c> assignments
/// (<c>WATCHDOG=1</c>, <c>STATUS=…</c>) sent to the unix socket systemd names in <c>$NOTIFY_SOCKET</c>.
/// </summary>
/// <remarks>
/// Microsoft.Extensions.Hosting.Systemd's <c>SystemdNotifier</c> speaks the same protocol but reads the socket only from
/// the process environment and keeps no watchdog timer; the agent needs both the timer and a socket it is given.
/// </remarks>
internal static class SdNotify
{
    /// <summary>Sends <paramref name="state"/> to <paramref name="socket"/>; a leading <c>@</c> names an abstract socket (a NUL byte on the wire).</summary>
    public static void Send(string socket, string state)
    {
        // Non-blocking: a unix datagram socket blocks the sender while the reader's queue is full (10 datagrams by default),
        // and a feeder stuck there would be a hang of its own; a full queue fails the send instead (logged, tried next tick).
        using var client = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
        client.Connect(new UnixDomainSocketEndPoint(socket[0] == '@' ? "\0" + socket[1..] : socket));
        client.Send(Encoding.UTF8.GetBytes(state));
    }
}
