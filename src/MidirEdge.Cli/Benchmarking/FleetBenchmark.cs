using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MidirEdge.Agent.Fleet;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Cli.Fleet;
using MidirEdge.Models.Bundles;
using MQTTnet;
using MQTTnet.Protocol;

namespace MidirEdge.Cli.Benchmarking;

/// <summary>What one <c>bench fleet</c> run does.</summary>
/// <param name="Agents">Agent processes to run.</param>
/// <param name="Stopped">Agents stopped before the roll-out and started again once the others run the new version.</param>
/// <param name="SpectraEach">Distinct demo spectra (at most 8) dropped into each agent's inbox just before the roll-out.</param>
/// <param name="Mosquitto">The Mosquitto executable.</param>
/// <param name="Keep">Keep the temporary folder.</param>
internal sealed record FleetBenchmarkSettings(int Agents, int Stopped, int SpectraEach, string Mosquitto, bool Keep);

/// <summary>The figures one run measured.</summary>
/// <param name="StartUp">First agent started to every agent reporting <c>online</c> with the demo C model.</param>
/// <param name="RunningUpToDate">Deploy sent to every running agent reporting the new version.</param>
/// <param name="AllUpToDate">Deploy sent to every agent, the restarted ones included, reporting the new version.</param>
/// <param name="CaughtUp">Stopped agents that reported the new version after their restart.</param>
/// <param name="Answers">Answers to the deploy by outcome.</param>
/// <param name="ResultsExpected">Results the dropped spectra should give.</param>
/// <param name="ResultsReceived">Distinct results a subscriber received.</param>
/// <param name="Duplicates">Results received more than once.</param>
/// <param name="AgentResidentBytes">Resident memory of every agent together, after the roll-out.</param>
/// <param name="BrokerResidentBytes">Resident memory of Mosquitto after the roll-out.</param>
internal sealed record FleetBenchmarkResult(TimeSpan StartUp, TimeSpan RunningUpToDate, TimeSpan AllUpToDate, int CaughtUp,
    IReadOnlyDictionary<string, int> Answers, int ResultsExpected, int ResultsReceived, int Duplicates, long AgentResidentBytes, long BrokerResidentBytes);

/// <summary>
/// Model deployment at fleet scale on one machine: a real Mosquitto, many real <c>midir-edge run</c> processes (fleet commands on, the demo C
/// model 1.2.0), a few of them stopped; spectra dropped into every inbox; the C bundle re-versioned 1.3.0, signed with a throw-away key the
/// agents trust, deployed as <c>midir-edge fleet deploy</c> does; the stopped agents started again once the others run it. Counts the time
/// until every instrument reports the new version, the agents that caught up, and results lost or duplicated.
/// </summary>
internal sealed class FleetBenchmark : IAsyncDisposable
{
    private const string Site = "bench-fleet";
    private const string BundleId = "demo-yamsys-C";
    private const string NewVersion = "1.3.0";
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(20);

    private readonly FleetBenchmarkSettings _settings;
    private readonly string _root;
    private readonly ConcurrentDictionary<string, int> _results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Process> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Queue<string>> _output = new(StringComparer.Ordinal);
    private readonly IMqttClient _consumer = new MqttClientFactory().CreateMqttClient();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private Process? _broker;
    private int _port;

    /// <summary>Creates the run's temporary folder.</summary>
    public FleetBenchmark(FleetBenchmarkSettings settings)
    {
        _settings = settings;
        _root = Directory.CreateTempSubdirectory("midir-edge-bench-fleet-").FullName;
        _consumer.ApplicationMessageReceivedAsync += e =>
        {
            var id = System.Text.Json.JsonDocument.Parse(e.ApplicationMessage.Payload).RootElement.GetProperty("id").GetString();
            _results.AddOrUpdate($"{e.ApplicationMessage.Topic} {id}", 1, (_, n) => n + 1);
            return Task.CompletedTask;
        };
    }

    /// <summary>Folder holding the agents' folders and the broker's configuration.</summary>
    public string Root => _root;

    /// <summary>Runs the roll-out and returns what it measured; throws <see cref="AgentBenchmarkException"/> when something fails to come up.</summary>
    public async Task<FleetBenchmarkResult> RunAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        CheckInotify();
        StartBroker();
        var trusted = Path.Combine(_root, "trusted.pem");
        await File.WriteAllTextAsync(trusted, _key.ExportSubjectPublicKeyInfoPem(), cancellationToken).ConfigureAwait(false);
        var (bundle, sent) = SignedBundle();
        var names = Enumerable.Range(1, _settings.Agents).Select(i => $"i{i:000}").ToArray();
        var broker = new MqttOptions { Host = "127.0.0.1", Port = _port };
        await using var fleet = await FleetClient.ConnectAsync(broker, cancellationToken).ConfigureAwait(false);
        await _consumer.ConnectAsync(BrokerClient.Options(broker, $"bench-fleet-consumer-{Environment.ProcessId}"), cancellationToken).ConfigureAwait(false);
        await _consumer.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"midir/{Site}/+/result", MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken).ConfigureAwait(false);
        await fleet.DiscoverAsync($"{Site}/+", cancellationToken).ConfigureAwait(false);

        progress.WriteLine($"starting {names.Length} agents on broker 127.0.0.1:{_port}");
        var started = Stopwatch.GetTimestamp();
        foreach (var name in names) _agents[name] = StartAgent(name, trusted);
        await UntilAsync(() => names.All(n => Runs(fleet, n, "1.2.0")), "every agent online with demo C 1.2.0", cancellationToken).ConfigureAwait(false);
        var startUp = Stopwatch.GetElapsedTime(started);

        var stopped = names.TakeLast(_settings.Stopped).ToArray();
        progress.WriteLine($"stopping {stopped.Length}, dropping {_settings.SpectraEach} spectra into every inbox, deploying {sent.Id} {sent.Version}");
        await Task.WhenAll(stopped.Select(n => TerminateAsync(_agents[n], cancellationToken))).ConfigureAwait(false);
        var down = stopped.ToHashSet(StringComparer.Ordinal);
        await UntilAsync(() => stopped.All(n => Status(fleet, n)?.State == "offline"), "the stopped agents 'offline'", cancellationToken, down).ConfigureAwait(false);
        DropSpectra(names);

        var targets = fleet.Statuses($"{Site}/+");
        var rollOut = Stopwatch.GetTimestamp();
        var deploy = fleet.DeployAsync(targets, bundle, sent, Guard, cancellationToken);
        var running = names.Except(stopped).ToArray();
        await UntilAsync(() => running.All(n => Runs(fleet, n, NewVersion)), "every running agent on the new version", cancellationToken, down).ConfigureAwait(false);
        var runningUpToDate = Stopwatch.GetElapsedTime(rollOut);
        progress.WriteLine($"{running.Length} running agents on {NewVersion}; starting the {stopped.Length} stopped ones again");
        foreach (var name in stopped) _agents[name] = StartAgent(name, trusted);
        await UntilAsync(() => names.All(n => Runs(fleet, n, NewVersion)), "every agent on the new version", cancellationToken).ConfigureAwait(false);
        var allUpToDate = Stopwatch.GetElapsedTime(rollOut);
        var outcomes = await deploy.ConfigureAwait(false);

        var expected = names.Length * _settings.SpectraEach;
        // Results still in flight (the restarted agents' backlog) are waited for; a lost one shows as a shortfall at the guard.
        try
        {
            await UntilAsync(() => _results.Count >= expected, $"{expected} results", cancellationToken).ConfigureAwait(false);
        }
        catch (AgentBenchmarkException)
        {
            progress.WriteLine($"only {_results.Count} of {expected} results arrived within {Guard}");
        }
        long agentsMemory = 0;
        foreach (var process in _agents.Values)
        {
            process.Refresh();
            agentsMemory += process.WorkingSet64;
        }
        _broker!.Refresh();
        return new FleetBenchmarkResult(startUp, runningUpToDate, allUpToDate, stopped.Count(n => Runs(fleet, n, NewVersion)),
            outcomes.GroupBy(o => o.Outcome).ToDictionary(g => g.Key, g => g.Count()), expected, _results.Count, _results.Values.Sum(n => n - 1),
            agentsMemory, _broker.WorkingSet64);
    }

    /// <summary>Stops every agent (SIGTERM, then waits) and the broker; deletes the folder unless kept.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_agents.Values.Select(p => TerminateAsync(p, CancellationToken.None))).ConfigureAwait(false);
        foreach (var process in _agents.Values) process.Dispose();
        if (_broker is { HasExited: false }) _broker.Kill();
        _broker?.Dispose();
        _consumer.Dispose();
        _key.Dispose();
        if (!_settings.Keep)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a process on its way out: the temporary folder is left for the system to clean.
            }
        }
    }

    private static InstrumentStatus? Status(FleetClient fleet, string name) => fleet.Statuses($"{Site}/{name}").FirstOrDefault();

    private static bool Runs(FleetClient fleet, string name, string version) =>
        Status(fleet, name) is { State: "online" } s && s.Models.Any(m => m.Id == BundleId && m.Version == version);

    /// <summary>Fails early when the agents would exhaust the user's inotify instances (each agent watches its model folder and inbox).</summary>
    private void CheckInotify()
    {
        const string limitFile = "/proc/sys/fs/inotify/max_user_instances";
        if (!File.Exists(limitFile) || !int.TryParse(File.ReadAllText(limitFile).Trim(), CultureInfo.InvariantCulture, out var limit)) return;
        var needed = 2 * _settings.Agents + 8;
        if (needed > limit)
            throw new AgentBenchmarkException($"{_settings.Agents} agents need about {needed} inotify instances, more than fs.inotify.max_user_instances ({limit}) " +
                $"allows one user; raise it (sysctl -w fs.inotify.max_user_instances={Math.Max(needed * 2, 512)}) or run at most {(limit - 8) / 2} agents");
    }

    private void StartBroker()
    {
        if (!File.Exists(_settings.Mosquitto))
            throw new AgentBenchmarkException($"no Mosquitto at {_settings.Mosquitto} (apt-get install mosquitto, or --mosquitto PATH)");
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            _port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var config = Path.Combine(_root, "mosquitto.conf");
        File.WriteAllText(config, $"listener {_port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 10000\n");
        _broker = Process.Start(new ProcessStartInfo(_settings.Mosquitto, ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new AgentBenchmarkException($"could not start {_settings.Mosquitto}");
        _broker.OutputDataReceived += (_, _) => { };
        _broker.ErrorDataReceived += (_, _) => { };
        _broker.BeginOutputReadLine();
        _broker.BeginErrorReadLine();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException) when (attempt < 200 && !_broker.HasExited)
            {
                Thread.Sleep(25);
            }
        }
    }

    /// <summary>The demo C bundle as version 1.3.0, signed; and what names it.</summary>
    private (byte[] Zip, DesiredBundle Sent) SignedBundle()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "demo", "models", $"{BundleId}.zip");
        BundleManifest manifest;
        using (var demo = ModelBundle.Load(source))
            manifest = demo.Manifest with { Version = NewVersion };
        var artefacts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var zip = ZipFile.OpenRead(source))
        {
            foreach (var entry in zip.Entries.Where(e => e.Name is not ("manifest.json" or "manifest.sig")))
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                artefacts[entry.FullName] = copy.ToArray();
            }
        }
        var path = Path.Combine(_root, $"{BundleId}@{NewVersion}.zip");
        BundleWriter.WriteZip(path, manifest, artefacts, _key);
        using var signed = ModelBundle.Load(path);
        return (File.ReadAllBytes(path), new DesiredBundle(signed.Id, signed.Version, signed.ManifestSha256));
    }

    private Process StartAgent(string name, string trusted)
    {
        var folder = Path.Combine(_root, name);
        var models = Directory.CreateDirectory(Path.Combine(folder, "models")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "inbox"));
        var demo = Path.Combine(AppContext.BaseDirectory, "demo", "models", $"{BundleId}.zip");
        if (Directory.GetFiles(models, "*.zip").Length == 0) File.Copy(demo, Path.Combine(models, Path.GetFileName(demo)));
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // No settings-file watcher: each agent then holds two inotify instances (model folder, inbox), not three.
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(FleetBenchmark).Assembly.Location);
        foreach (var arg in (string[])[
            "run", $"--MidirEdge:Site={Site}", $"--MidirEdge:Instrument={name}", $"--MidirEdge:DataDir={Path.Combine(folder, "data")}",
            $"--MidirEdge:Models:Path={models}", $"--MidirEdge:Models:TrustedKeys:0={trusted}",
            $"--MidirEdge:Adapters:FileWatch:Path={Path.Combine(folder, "inbox")}", "--MidirEdge:Adapters:FileWatch:Include:0=*.csv",
            "--MidirEdge:Mqtt:Host=127.0.0.1", $"--MidirEdge:Mqtt:Port={_port}",
            "--MidirEdge:Mqtt:ReconnectMinDelay=00:00:00.500", "--MidirEdge:Mqtt:ReconnectMaxDelay=00:00:05",
            "--MidirEdge:Health:Enabled=false", "--MidirEdge:Fleet:Enabled=true", "--Logging:LogLevel:Default=Warning"])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new AgentBenchmarkException($"could not start {self}");
        // The last lines are kept to explain an agent that exits; the pipe is always read, as a full one would block the agent.
        var lines = _output.GetOrAdd(name, _ => new Queue<string>());
        void Keep(string? line)
        {
            if (line is null) return;
            lock (lines)
            {
                // An error's first two lines (level and category, then the message) are kept over the stack traces after them.
                if (lines.Count > 0 && lines.Last().StartsWith("fail", StringComparison.Ordinal) || line.StartsWith("fail", StringComparison.Ordinal)
                    || line.StartsWith("crit", StringComparison.Ordinal) || lines.Count > 0 && lines.Last().StartsWith("crit", StringComparison.Ordinal))
                    lines.Enqueue(line);
                else if (lines.Count < 20) lines.Enqueue(line);
            }
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void DropSpectra(IEnumerable<string> names)
    {
        var soils = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "demo", "spectra"), "*.csv").Order(StringComparer.Ordinal).ToArray();
        foreach (var name in names)
        {
            for (var i = 0; i < _settings.SpectraEach; i++)
            {
                // Staged beside the inbox and renamed in: complete the moment it appears.
                var staged = Path.Combine(_root, name, $"{i}.csv.part");
                File.Copy(soils[i], staged);
                File.Move(staged, Path.Combine(_root, name, "inbox", Path.GetFileName(soils[i])));
            }
        }
    }

    private static async Task TerminateAsync(Process process, CancellationToken cancellationToken)
    {
        if (process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(guard.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill();
        }
    }

    /// <summary>Polls <paramref name="condition"/>; fails after the guard, or as soon as an agent that should run has exited, with its last lines.</summary>
    private async Task UntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken, ISet<string>? stopped = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Guard.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (_agents.FirstOrDefault(a => a.Value.HasExited && stopped?.Contains(a.Key) != true) is { Key: { } name, Value: { } exited })
            {
                string[] last;
                lock (_output[name]) last = [.. _output[name]];
                throw new AgentBenchmarkException($"agent {name} exited with {exited.ExitCode} before {what}: {string.Join(" | ", last.Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).Take(12))}");
            }
            if (Stopwatch.GetTimestamp() > deadline) throw new AgentBenchmarkException($"not reached within {Guard}: {what}");
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
