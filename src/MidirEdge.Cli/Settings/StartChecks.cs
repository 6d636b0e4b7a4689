using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.ModelUpdates;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Cli.Failures;

namespace MidirEdge.Cli.Settings;

/// <summary>
/// What the agent needs from the machine, checked before it starts: its folders can be created and written, and the ports
/// it listens on are free. Each problem names the setting to change, so it is one line and exit 2 rather than a stack trace
/// from deep inside the start (and systemd restarting it forever).
/// </summary>
internal static class StartChecks
{
    /// <summary>Checks the data and model folders and the listening ports of <c>run</c>; throws a <see cref="UsageException"/> naming each problem.</summary>
    public static void ForRun(IServiceProvider services)
    {
        var problems = new List<string>();
        var agent = services.GetRequiredService<IOptions<MidirEdgeOptions>>().Value;
        // The model folder is inside the data folder by default: named once when the data folder is the problem.
        if ((Folder(agent.DataDir, "MidirEdge:DataDir") ?? ModelFolder(services, agent)) is { } folder) problems.Add(folder);
        problems.AddRange(Ports(services.GetRequiredService<IOptions<MqttOptions>>().Value, services.GetRequiredService<IOptions<HealthOptions>>().Value));
        if (problems.Count > 0) throw new UsageException(string.Join(" ", problems));
    }

    /// <summary>Checks the model folder <c>models</c> installs into; throws a <see cref="UsageException"/> naming the setting.</summary>
    public static void ForModels(IServiceProvider services)
    {
        if (ModelFolder(services, services.GetRequiredService<IOptions<MidirEdgeOptions>>().Value) is { } problem) throw new UsageException(problem);
    }

    private static string? ModelFolder(IServiceProvider services, MidirEdgeOptions agent)
    {
        var models = services.GetRequiredService<IOptions<ModelsOptions>>().Value;
        return Folder(models.ResolvedPath(agent.DataDir), models.Path.Length > 0 ? $"{ModelsOptions.SectionName}:Path" : "MidirEdge:DataDir (its models folder)");
    }

    // A folder the agent writes: created if missing, and a file can be made in it.
    private static string? Folder(string path, string key)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) return $"{key} {full} is a file, not a folder.";
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{key} {full} does not exist and cannot be created: {Reason(ex, full)}.";
        }
        try
        {
            using var probe = new FileStream(Path.Combine(full, $".midir-edge-write-check-{Environment.ProcessId}"), FileMode.Create, FileAccess.Write,
                FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{key} {full} is not writable: {Reason(ex, full)}.";
        }
        return null;
    }

    // The operating system's reason, without the path the message already names.
    private static string Reason(Exception ex, string path)
    {
        if (ex is UnauthorizedAccessException) return "permission denied";
        for (var parent = Path.GetDirectoryName(path); parent is not null; parent = Path.GetDirectoryName(parent))
            if (File.Exists(parent)) return $"{parent} is a file";
        return ex.Message.TrimEnd('.');
    }

    private static IEnumerable<string> Ports(MqttOptions mqtt, HealthOptions health) =>
        Listeners(mqtt, health).Select(l => l.Problem).OfType<string>().Distinct();

    /// <summary>
    /// The ports the agent will listen on (embedded broker, health endpoint), each with why it cannot, or null;
    /// without <paramref name="mqtt"/> (its section is invalid, and reported as such) only the health endpoint.
    /// </summary>
    internal static IReadOnlyList<ListenerCheck> Listeners(MqttOptions? mqtt, HealthOptions health)
    {
        var listeners = new List<Listener>();
        if (mqtt is { UsesEmbeddedBroker: true } && IPAddress.TryParse(mqtt.EmbeddedBindAddress, out var broker))
            listeners.Add(new(broker, mqtt.Port, $"{MqttOptions.SectionName}:Port", $"{MqttOptions.SectionName}:EmbeddedBindAddress", "the embedded MQTT broker",
                $"stop the program using it, choose another port, or set {MqttOptions.SectionName}:Host to publish to that broker"));
        if (mqtt is { UsesEmbeddedBroker: true, EmbeddedWebSocketPort: > 0 } && IPAddress.TryParse(mqtt.EmbeddedBindAddress, out var webSockets))
            listeners.Add(new(webSockets, mqtt.EmbeddedWebSocketPort, $"{MqttOptions.SectionName}:EmbeddedWebSocketPort", $"{MqttOptions.SectionName}:EmbeddedBindAddress",
                "the embedded broker's WebSocket endpoint", $"stop the program using it, or choose another port in {MqttOptions.SectionName}:EmbeddedWebSocketPort"));
        if (health.Enabled && Uri.TryCreate(health.Url, UriKind.Absolute, out var url) && url.Port != 0)
            listeners.Add(new(HostAddress(url.Host), url.Port, $"{HealthOptions.SectionName}:Url", $"{HealthOptions.SectionName}:Url", "the dashboard and health endpoint",
                $"choose another port in {HealthOptions.SectionName}:Url, or set {HealthOptions.SectionName}:Enabled to false"));
        foreach (var (a, b) in listeners.SelectMany((a, i) => listeners.Skip(i + 1).Select(b => (a, b))))
        {
            if (a.Port != b.Port || !Overlap(a.Address, b.Address)) continue;
            var clash = $"{a.PortKey} and {b.PortKey} both use port {a.Port}; give each its own.";
            return [.. listeners.Select(l => new ListenerCheck(l.What, l.Address, l.Port, clash, InUse: false))];
        }
        return [.. listeners.Select(l => Probe(l.Address, l.Port) switch
        {
            null => new ListenerCheck(l.What, l.Address, l.Port, null, InUse: false),
            SocketError.AddressAlreadyInUse => new ListenerCheck(l.What, l.Address, l.Port,
                $"port {l.Port} on {l.Address} is in use by another program ({l.PortKey}, {l.What}); {l.Remedy}.", InUse: true),
            SocketError.AddressNotAvailable => new ListenerCheck(l.What, l.Address, l.Port,
                $"{l.AddressKey}: {l.Address} is not an address of this machine ({l.What}).", InUse: false),
            SocketError.AccessDenied => new ListenerCheck(l.What, l.Address, l.Port,
                $"port {l.Port} on {l.Address} needs privileges this user does not have ({l.PortKey}, {l.What}); choose a port above 1023.", InUse: false),
            var other => new ListenerCheck(l.What, l.Address, l.Port, $"{l.What} cannot listen on {l.Address}:{l.Port} ({l.PortKey}): {other}.", InUse: false),
        })];
    }

    /// <summary>One port the agent listens on: <paramref name="Problem"/> is null when it is free; <paramref name="InUse"/> when another program holds it.</summary>
    internal sealed record ListenerCheck(string What, IPAddress Address, int Port, string? Problem, bool InUse);

    private sealed record Listener(IPAddress Address, int Port, string PortKey, string AddressKey, string What, string Remedy);

    // Kestrel listens on loopback for "localhost" and on every address for a host name.
    private static IPAddress HostAddress(string host) =>
        host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host.Trim('[', ']'), out var address) ? address : IPAddress.Any;

    private static bool Overlap(IPAddress a, IPAddress b) =>
        a.Equals(b) || a.Equals(IPAddress.Any) || b.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any) || b.Equals(IPAddress.IPv6Any);

    // Listens for a moment as the agent will; why it cannot, or null.
    private static SocketError? Probe(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // As the servers do on Unix: a port whose last connections linger in TIME_WAIT is free; one another program listens on is not.
        if (!OperatingSystem.IsWindows()) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(1);
            return null;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode;
        }
    }
}
