using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Adapters;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.ModelUpdates;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Cli.Failures;
using MidirEdge.Cli.Settings;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Store;

namespace MidirEdge.Cli.Check;

/// <summary>
/// What <c>midir-edge check</c> looks at, each from the agent's own services so the answers are the agent's: its adapters'
/// folders and ports, its models, its broker, the ports it listens on, its disk and the clock. A check that throws (an
/// invalid section) is a failed line naming why, and the others still run.
/// </summary>
internal sealed class AgentChecks(IServiceProvider services, TimeProvider time)
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Runs every check in order, one or more lines each.</summary>
    public async IAsyncEnumerable<CheckLine> RunAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var runningAgent = await RunningAgentAsync(ct);
        (string Subject, Func<Task<IReadOnlyList<CheckLine>>> Run)[] checks =
        [
            ("adapters", () => AdaptersAsync(ct)),
            ("models", () => Models(ct)),
            ("broker", () => BrokerAsync(runningAgent, ct)),
            ("health", () => Health(runningAgent)),
            ("disk", Disk),
            ("clock", Clock),
        ];
        foreach (var (subject, run) in checks)
        {
            IReadOnlyList<CheckLine> lines;
            try
            {
                lines = await run();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                lines = [CheckLine.Failed(subject, Failure.Describe(ex).Message)];
            }
            foreach (var line in lines) yield return line;
        }
    }

    private async Task<IReadOnlyList<CheckLine>> AdaptersAsync(CancellationToken ct)
    {
        var kinds = services.GetServices<AdapterInstance>().ToDictionary(a => a.Name, a => a.Kind, StringComparer.Ordinal);
        var adapters = services.GetServices<ICaptureAdapter>().ToArray();
        if (adapters.Length == 0)
            return [CheckLine.Failed("adapters", $"none configured: nothing will be captured (add one under {CaptureAdapterServiceCollectionExtensions.SectionName}:NAME)")];
        var lines = new List<CheckLine>();
        foreach (var adapter in adapters)
        {
            var subject = $"adapter {adapter.Name} ({kinds.GetValueOrDefault(adapter.Name, "?")})";
            var check = await adapter.CheckAsync(ct);
            lines.Add(check.Problem is { } problem ? CheckLine.Failed(subject, problem) : CheckLine.Passed(subject, check.Source));
        }
        return lines;
    }

    private Task<IReadOnlyList<CheckLine>> Models(CancellationToken ct)
    {
        var agent = services.GetRequiredService<IOptions<MidirEdgeOptions>>().Value;
        var folder = services.GetRequiredService<IOptions<ModelsOptions>>().Value.ResolvedPath(agent.DataDir);
        var store = services.GetRequiredService<ModelStore>();
        store.Reload(ct);
        var lines = new List<CheckLine>();
        if (store.Active.IsEmpty)
            lines.Add(CheckLine.Failed("models", $"no bundle in {folder}: results would carry no predictions (install one with: midir-edge models install BUNDLE)"));
        else
            lines.Add(CheckLine.Passed("models", $"{store.Active.Length} bundle(s) in {folder}"));
        foreach (var bundle in store.Active)
            lines.Add(CheckLine.Passed($"model {bundle.Id}", $"{bundle.Version}{(bundle.IsSigned ? ", signed" : "")}: {Skill(bundle)}"));
        foreach (var (path, reason) in store.Refused)
            lines.Add(CheckLine.Failed($"model {Path.GetFileName(path)}", $"refused: {reason}"));
        return Task.FromResult<IReadOnlyList<CheckLine>>(lines);
    }

    // Each target with its cross-validated error and how far its values can be trusted.
    private static string Skill(ModelBundle bundle) => string.Join("; ", bundle.Manifest.Targets.Select(t =>
    {
        var entry = bundle.Manifest.Models.FirstOrDefault(m => m.Targets.Contains(t.Name));
        var quality = entry?.Quality is { } q ? q.ToString().ToLowerInvariant() : "quantitative";
        return entry?.Training?.Statistics.GetValueOrDefault(t.Name) is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"{t.Name} RMSECV {Significant(s.Rmse)}{(t.Unit is { } unit ? " " + unit : "")}, R² {s.R2:0.00}, RPIQ {s.Rpiq:0.00}, {quality}")
            : $"{t.Name} (no validation statistics), {quality}";
    }));

    // Three significant digits, without an exponent: 1.37, 0.140, 197.
    private static string Significant(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.0" : Math.Abs(value) >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);

    private async Task<IReadOnlyList<CheckLine>> BrokerAsync(RunningAgent? runningAgent, CancellationToken ct)
    {
        var mqtt = services.GetRequiredService<IOptions<MqttOptions>>().Value;
        var agent = services.GetRequiredService<IOptions<MidirEdgeOptions>>().Value;
        if (!mqtt.UsesEmbeddedBroker)
        {
            var endpoint = $"{mqtt.Host}:{mqtt.Port}{(mqtt.UseTls ? " over TLS" : "")}{(mqtt.Username.Length > 0 ? $" as {mqtt.Username}" : "")}";
            return [await BrokerProbe.ProblemAsync(mqtt, agent, ct) is { } problem
                ? CheckLine.Failed("broker", problem)
                : CheckLine.Passed("broker", $"{endpoint} accepts the agent")];
        }
        var listener = Listener("embedded MQTT broker");
        var where = $"embedded, {listener?.Address}:{mqtt.Port}";
        List<CheckLine> lines =
        [
            listener switch
            {
                { InUse: true } when runningAgent is not null => CheckLine.Passed("broker", $"{where}, served by the running agent"),
                { Problem: { } problem } => CheckLine.Failed("broker", problem),
                _ => CheckLine.Passed("broker", $"{where} is free; follow results with: mosquitto_sub -h {listener?.Address} -p {mqtt.Port} -t 'midir/#' -v"),
            },
        ];
        if (Listener("WebSocket endpoint") is { } webSockets)
        {
            var url = $"{(mqtt.EmbeddedCertificateFile.Length > 0 ? "wss" : "ws")}://{webSockets.Address}:{webSockets.Port}/mqtt";
            lines.Add(webSockets switch
            {
                { InUse: true } when runningAgent is not null => CheckLine.Passed("broker (WebSockets)", $"{url}, served by the running agent"),
                { Problem: { } problem } => CheckLine.Failed("broker (WebSockets)", problem),
                _ => CheckLine.Passed("broker (WebSockets)", $"{url}: the port is free"),
            });
        }
        return lines;
    }

    private Task<IReadOnlyList<CheckLine>> Health(RunningAgent? runningAgent)
    {
        var health = services.GetRequiredService<IOptions<HealthOptions>>().Value;
        if (!health.Enabled)
            return Lines(CheckLine.Warning("health", $"off ({HealthOptions.SectionName}:Enabled): no /healthz for monitoring or the watchdog"));
        var listener = Listener("dashboard and health endpoint");
        return Lines(listener switch
        {
            { InUse: true } when runningAgent is { } running => running.Problems.Count == 0
                ? CheckLine.Passed("health", $"the running agent at {health.Url} reports itself healthy")
                : CheckLine.Failed("health", $"the running agent at {health.Url} reports itself unhealthy: {string.Join("; ", running.Problems)}"),
            { Problem: { } problem } => CheckLine.Failed("health", problem),
            _ => CheckLine.Passed("health", $"{health.Url} is free (/healthz, /readyz, /livez)"),
        });
    }

    private Task<IReadOnlyList<CheckLine>> Disk()
    {
        var folder = Path.GetFullPath(services.GetRequiredService<IOptions<MidirEdgeOptions>>().Value.DataDir);
        var floor = services.GetRequiredService<IOptions<CacheOptions>>().Value.MinFreeMegabytes * 1024 * 1024;
        var existing = folder;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent) existing = parent;
        var free = new DriveInfo(existing).AvailableFreeSpace;
        var finding = string.Create(CultureInfo.InvariantCulture, $"{Size(free)} free under {folder} (floor {Size(floor)}, {CacheOptions.SectionName}:MinFreeMegabytes)");
        return Lines(free < floor ? CheckLine.Failed("disk", $"{finding}: captures would wait") : CheckLine.Passed("disk", finding));
    }

    private static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0} MB");

    // A clock behind the creation of an installed bundle is wrong for certain (a board without a real-time clock, not yet
    // synchronised); results would carry wrong times.
    private Task<IReadOnlyList<CheckLine>> Clock()
    {
        var now = time.GetUtcNow();
        var shown = now.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var newest = services.GetRequiredService<ModelStore>().Active.OrderByDescending(b => b.Manifest.Created).FirstOrDefault();
        if (newest is not null && newest.Manifest.Created > now + TimeSpan.FromMinutes(5))
            return Lines(CheckLine.Failed("clock", $"{shown} is before bundle {newest.Id} {newest.Version} was built ({newest.Manifest.Created.UtcDateTime:yyyy-MM-dd HH:mm} UTC): set the clock or enable NTP; results would carry wrong times"));
        return Lines(NtpSynchronised() switch
        {
            true => CheckLine.Passed("clock", $"{shown}, synchronised by NTP"),
            false => CheckLine.Warning("clock", $"{shown}, not synchronised by NTP (timedatectl): result times may drift"),
            null => CheckLine.Passed("clock", $"{shown} (NTP synchronisation unknown on this system)"),
        });
    }

    // systemd's view (timesyncd, chrony and ntpd all report through it); null where there is no systemd to ask.
    private static bool? NtpSynchronised()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/timedatectl")) return null;
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/timedatectl", ["show", "--property=NTPSynchronized", "--value"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            if (!process.WaitForExit(2000) || process.ExitCode != 0) return null;
            return output switch { "yes" => true, "no" => false, _ => null };
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }

    private StartChecks.ListenerCheck? Listener(string what) =>
        StartChecks.Listeners(ValidOrNull<MqttOptions>(), services.GetRequiredService<IOptions<HealthOptions>>().Value)
            .FirstOrDefault(l => l.What.EndsWith(what, StringComparison.Ordinal));

    // A section that fails validation is reported by its own check, not again by each check that also reads it.
    private T? ValidOrNull<T>() where T : class
    {
        try
        {
            return services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    // An agent already running with these settings answers on its health URL; its ports are then rightly taken.
    private async Task<RunningAgent?> RunningAgentAsync(CancellationToken ct)
    {
        HealthOptions health;
        try
        {
            health = services.GetRequiredService<IOptions<HealthOptions>>().Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
        if (!health.Enabled || !Uri.TryCreate(health.Url, UriKind.Absolute, out var url)) return null;
        using var http = new HttpClient { Timeout = HealthTimeout };
        try
        {
            using var response = await http.GetAsync(new Uri(url, "/healthz"), ct);
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable)) return null;
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            if (!body.RootElement.TryGetProperty("status", out _)) return null;
            return new RunningAgent(body.RootElement.TryGetProperty("problems", out var problems)
                ? [.. problems.EnumerateArray().Select(p => p.GetString() ?? "")]
                : []);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    private sealed record RunningAgent(IReadOnlyList<string> Problems);

    private static Task<IReadOnlyList<CheckLine>> Lines(params CheckLine[] lines) => Task.FromResult<IReadOnlyList<CheckLine>>(lines);
}
