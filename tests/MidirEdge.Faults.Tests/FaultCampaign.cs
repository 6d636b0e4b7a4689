using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Faults.Tests;

/// <summary>
/// The fault campaign: a real agent process fed good and hostile files through a real Mosquitto while the broker is
/// killed and restarted, the agent is killed, hostile bundles land in its models folder, its disk fills up and its serial
/// port disappears; then every file and every result is accounted for.
/// </summary>
internal sealed class FaultCampaign(CampaignSettings settings, TextWriter progress, bool keepFolders = false) : IAsyncDisposable
{
    private const string Site = "faults";
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StopGuard = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    // The full-disk agent's data folder, and the free-space floor it keeps there (MidirEdge:Cache:MinFreeMegabytes).
    private const int DiskMegabytes = 96;
    private const int DiskFloorMegabytes = 8;

    private readonly TempDirectory _root = new("faults");
    private readonly CampaignReport _report = new(settings);
    private readonly SpectrumCorpus _spectra = new();
    private readonly Random _random = new(settings.Seed);
    private readonly ECDsa _trusted = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private MosquittoBroker _broker = null!;
    private ResultCollector _collector = null!;
    private string[] _goodModels = [];
    // What the main agent served (id@version) once online, before any hostile bundle landed.
    private string[] _served = [];

    /// <summary>Runs every phase and returns the report.</summary>
    public async Task<CampaignReport> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var persistence = Directory.CreateDirectory(Path.Combine(_root.Path, "broker")).FullName;
        // The broker saves its sessions on every change, so the dashboard's subscription and the messages queued for it
        // survive a SIGKILL of the broker; `user root` keeps a broker started as root from switching to the mosquitto
        // account, which could not write into this private folder (persistence would then silently be off).
        _broker = new MosquittoBroker($"user root\npersistence true\npersistence_location {persistence}/\nautosave_interval 1\nautosave_on_changes true\n");
        _collector = await ResultCollector.ConnectAsync(_broker.Host, _broker.Port, $"midir/{Site}/#");
        _goodModels = Directory.GetFiles(Fixtures.RepositoryPath("demo/models"), "*.zip").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()!;

        await MainPhaseAsync();
        if (settings.FullDiskSpectra > 0) await FullDiskPhaseAsync();
        if (settings.SerialLosses > 0) await SerialPhaseAsync();

        var results = _collector.Results;
        _report.Duplicated = results.GroupBy(r => r.SpectrumHash).Count(g => g.Select(r => r.Id).Distinct().Count() > 1);
        _report.Repeats = results.Count - results.Select(r => r.Id).Distinct().Count();
        _report.Elapsed = clock.Elapsed;
        return _report;
    }

    /// <summary>Copies every agent's log to <paramref name="folder"/> (for a failed run's artefacts).</summary>
    public void KeepLogs(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var log in Directory.GetFiles(_root.Path, "agent.log", SearchOption.AllDirectories))
            File.Copy(log, Path.Combine(folder, Path.GetFileName(Path.GetDirectoryName(log)!) + ".log"), overwrite: true);
    }

    /// <summary>Stops the collector and the broker and removes every folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_collector is not null) await _collector.DisposeAsync();
        _broker?.Dispose();
        _trusted.Dispose();
        if (keepFolders) progress.WriteLine($"folders kept in {_root.Path}");
        else _root.Dispose();
    }

    // Good spectra and mutated files in one seeded order, with broker restarts, agent kills and hostile-bundle batches between chunks.
    private async Task MainPhaseAsync()
    {
        var instrument = Instance("main");
        var staging = Folder("main/staging");
        var escape = Folder("escape");
        var bundles = new BundleCorpus(escape);
        progress.WriteLine($"staging {settings.Spectra:N0} spectra and {settings.MutatedFiles:N0} mutated files");
        var good = Enumerable.Range(0, settings.Spectra).Select(i => _spectra.WriteGood(staging, "good", i)).ToHashSet(StringComparer.Ordinal);
        var drops = good.Select(name => name + ".csv")
            .Concat(Enumerable.Range(0, settings.MutatedFiles).Select(i => _spectra.WriteBad(staging, i, settings.Seed)))
            .OrderBy(_ => _random.Next()).ToArray();
        _report.GoodSpectra = good.Count;
        _report.MutatedFiles = settings.MutatedFiles;

        var faults = Enumerable.Repeat("broker", settings.BrokerRestarts).Concat(Enumerable.Repeat("agent", settings.AgentKills))
            .Concat(Enumerable.Repeat("bundles", settings.BundleBatches)).OrderBy(_ => _random.Next()).ToList();
        var agent = instrument.Start();
        agent = await WaitOnlineAsync(instrument, agent);
        _served = ServedModels(instrument);
        if (_served.Length != _goodModels.Length) Problem($"main came online serving {string.Join(", ", _served)}, not the {_goodModels.Length} demo models");
        var chunk = (drops.Length + faults.Count) / (faults.Count + 1) + 1;
        var bundleIndex = 0;
        var brokerRestarts = 0;
        for (var start = 0; start < drops.Length; start += chunk)
        {
            var part = drops.AsSpan(start, Math.Min(chunk, drops.Length - start)).ToArray();
            foreach (var name in part) File.Move(Path.Combine(staging, name), Path.Combine(instrument.Inbox, name));
            // Let about half the chunk through, so the fault lands mid-stream.
            var target = good.Count(g => part.Contains(g + ".csv")) / 2;
            var before = GoodPublished(good);
            agent = await ProgressAsync(instrument, agent, () => GoodPublished(good) - before >= target, "half a chunk published");
            if (faults.Count == 0) continue;
            var fault = faults[0];
            faults.RemoveAt(0);
            switch (fault)
            {
                case "broker":
                    if (brokerRestarts++ % 2 == 0) { _broker.Stop(); _report.BrokerKills++; }
                    else
                    {
                        if (!_broker.Terminate()) Problem("Mosquitto did not stop on SIGTERM");
                        _report.BrokerTerminations++;
                    }
                    await Task.Delay(_random.Next(200, 2000));
                    _broker.Start();
                    break;
                case "agent":
                    agent.Kill();
                    agent.Dispose();
                    _report.AgentKills++;
                    agent = instrument.Start();
                    break;
                default:
                    var batch = settings.HostileBundles / settings.BundleBatches + (bundleIndex < settings.HostileBundles % settings.BundleBatches ? 1 : 0);
                    agent = await HostileBundlesAsync(instrument, agent, bundles, bundleIndex, batch, escape);
                    bundleIndex += batch;
                    _report.BundleBatches++;
                    break;
            }
            progress.WriteLine($"{fault} fault {_report.BrokerKills + _report.BrokerTerminations + _report.AgentKills + _report.BundleBatches}: {GoodPublished(good):N0} of {good.Count:N0} published");
        }
        _report.HostileBundles = bundleIndex;

        agent = await ProgressAsync(instrument, agent, () => GoodPublished(good) == good.Count && instrument.InboxFiles().Length == 0, "every file done");
        End(instrument, agent);
        _report.GoodPublished = GoodPublished(good);
        Reconcile(instrument, good);
        Account(instrument);
        _report.EscapedWrites += Directory.GetFileSystemEntries(escape, "*", SearchOption.AllDirectories).Length;
    }

    // Hostile bundles dropped into the running agent's models folder, then given one by one to `models install`.
    private async Task<AgentLife> HostileBundlesAsync(AgentInstance instrument, AgentLife agent, BundleCorpus corpus, int first, int count, string escape)
    {
        var staging = Folder("bundles");
        var names = Enumerable.Range(first, count).Select(i => corpus.Write(staging, i, settings.Seed)).ToArray();
        foreach (var name in names) File.Copy(Path.Combine(staging, name), Path.Combine(instrument.Models, name));
        // Two reload windows: the store has seen the folder settle and loaded (or refused) everything in it.
        await Task.Delay(TimeSpan.FromSeconds(3));
        agent = Alive(instrument, agent, "after hostile bundles were dropped");
        var served = ServedModels(instrument);
        if (!served.SequenceEqual(_served))
        {
            _report.BundlesServed++;
            Problem($"after hostile bundles {first}..{first + count - 1} the agent serves {string.Join(", ", served)}");
        }
        foreach (var name in names) File.Delete(Path.Combine(instrument.Models, name));

        var installFolder = Folder("install-models");
        foreach (var name in names)
        {
            var (exitCode, stdout, stderr) = await CliAsync("models", "install", Path.Combine(staging, name),
                $"--MidirEdge:DataDir={Folder("install-data")}", $"--MidirEdge:Models:Path={installFolder}",
                $"--MidirEdge:Models:TrustedKeys:0={instrument.TrustedKey}");
            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (exitCode == 1 && lines.Length == 1 && !lines[0].Any(char.IsControl) && !stderr.Contains("   at ", StringComparison.Ordinal))
                _report.InstallsRefusedInOneLine++;
            else
            {
                _report.InstallViolations++;
                Problem($"models install {name}: exit {exitCode}, {lines.Length} stderr lines: {Shorten(stderr + stdout)}");
            }
        }
        var installed = Directory.GetFileSystemEntries(installFolder).Length;
        if (installed > 0)
        {
            _report.InstallViolations += installed;
            Problem($"models install wrote {installed} entries into the models folder for hostile bundles");
            foreach (var entry in Directory.GetFileSystemEntries(installFolder)) File.Delete(entry);
        }
        _report.EscapedWrites += Directory.GetFileSystemEntries(escape, "*", SearchOption.AllDirectories).Length;
        return agent;
    }

    // A data folder on a small tmpfs filled to the last byte while spectra arrive; space then returns.
    private async Task FullDiskPhaseAsync()
    {
        if (Tmpfs.WhyUnavailable is { } why)
        {
            _report.FullDiskNote = $"skipped: no tmpfs can be mounted here ({why})";
            progress.WriteLine("full disk phase skipped: " + why);
            return;
        }
        using var disk = Tmpfs.Mount(DiskMegabytes);
        var instrument = Instance("disk", dataDir: Path.Combine(disk.Path, "data"));
        var agent = instrument.Start();
        agent = await WaitOnlineAsync(instrument, agent);
        var staging = Folder("disk-staging");
        var names = Enumerable.Range(0, settings.FullDiskSpectra).Select(i => _spectra.WriteGood(staging, "disk", 1_000_000 + i)).ToHashSet(StringComparer.Ordinal);
        var ballast = Fill(disk);
        _report.FullDisks++;
        foreach (var name in names) File.Move(Path.Combine(staging, name + ".csv"), Path.Combine(instrument.Inbox, name + ".csv"));
        await Task.Delay(TimeSpan.FromSeconds(5));
        agent = Alive(instrument, agent, "while its disk was full");
        var health = await instrument.HealthAsync();
        if (!health.StartsWith("503", StringComparison.Ordinal))
        {
            _report.FullDiskUnreported++;
            Problem($"{instrument.Name}: /healthz said {health} while the data folder's disk was full");
        }
        var publishedWhileFull = GoodPublished(names);
        File.Delete(ballast);
        agent = await ProgressAsync(instrument, agent, () => GoodPublished(names) == names.Count && instrument.InboxFiles().Length == 0, "full-disk spectra done");
        End(instrument, agent);
        var lost = names.Count - GoodPublished(names);
        Reconcile(instrument, names);
        _report.FullDiskNote = $"{names.Count} spectra dropped on a full {DiskMegabytes} MB tmpfs: {publishedWhileFull} published while full, " +
                               $"/healthz said {health}; after space returned {names.Count - lost} published, {lost} lost";
        Account(instrument);
    }

    // Fills the tmpfs to its last byte (the agent's own writes may take some of it meanwhile).
    private static string Fill(Tmpfs disk)
    {
        try
        {
            return disk.Fill(leaveBytes: 0);
        }
        catch (IOException)
        {
            return Path.Combine(disk.Path, "filler");
        }
    }

    // A serial instrument whose port vanishes (socat killed) and comes back between frames.
    private async Task SerialPhaseAsync()
    {
        using var socat = new SocatPair();
        var instrument = Instance("serial", serialPort: socat.A);
        var agent = instrument.Start();
        agent = await WaitOnlineAsync(instrument, agent);
        var staging = Folder("serial-staging");
        var topic = $"midir/{Site}/serial/result";
        for (var round = 0; round <= settings.SerialLosses; round++)
        {
            var file = Path.Combine(staging, _spectra.WriteGood(staging, "serial", 2_000_000 + round) + ".csv");
            var expected = round + 1;
            var sent = false;
            var guard = Stopwatch.StartNew();
            while (guard.Elapsed < Guard && _collector.Results.Count(r => r.Topic == topic) < expected)
            {
                // Frames sent before the agent has reopened its port are lost, as on a real cable; count them and send again.
                if (sent) _report.SerialFramesLostWhilePortGone++;
                await CliAsync("simulate", "serial", "--profile", "generic-ascii-serial", "--port", socat.B, "--spectrum", file, "--count", "1");
                _report.SerialFrames++;
                sent = true;
                var wait = Stopwatch.StartNew();
                while (wait.Elapsed < TimeSpan.FromSeconds(3) && _collector.Results.Count(r => r.Topic == topic) < expected) await Task.Delay(50);
                agent = Alive(instrument, agent, "while its serial port came and went");
            }
            if (_collector.Results.Count(r => r.Topic == topic) < expected)
            {
                _report.Lost++;
                Problem($"serial round {round}: no result within {Guard}");
            }
            if (round == settings.SerialLosses) break;
            socat.Kill();
            _report.SerialLosses++;
            await Task.Delay(_random.Next(200, 1500));
            socat.Start();
        }
        End(instrument, agent);
    }

    // Waits until the condition holds, restarting a crashed agent; a guard with no progress at all counts as a hang,
    // unless the agent has settled: nothing left in its inbox or its outbox (what it published is then accounted below).
    private async Task<AgentLife> ProgressAsync(AgentInstance instrument, AgentLife agent, Func<bool> done, string what)
    {
        var lastCount = -1;
        var quiet = Stopwatch.StartNew();
        while (!done())
        {
            agent = Alive(instrument, agent, "while " + what);
            var count = _collector.Results.Count + instrument.InboxFiles().Length;
            if (count != lastCount)
            {
                lastCount = count;
                quiet.Restart();
            }
            else if (quiet.Elapsed > Settle && instrument.InboxFiles().Length == 0 && await instrument.OutboxDepthAsync() == 0)
            {
                return agent;
            }
            else if (quiet.Elapsed > Guard)
            {
                _report.Hangs++;
                Problem($"{instrument.Name}: no progress for {Guard} waiting for {what}; {instrument.InboxFiles().Length} files in the inbox; /healthz: {await instrument.HealthAsync()}");
                return agent;
            }
            await Task.Delay(50);
        }
        return agent;
    }

    private async Task<AgentLife> WaitOnlineAsync(AgentInstance instrument, AgentLife agent)
    {
        var guard = Stopwatch.StartNew();
        // Online, and serving every demo model (the first status may come before the store has loaded them).
        while (_collector.Status(instrument.StatusTopic) is not { } status || status.GetProperty("state").GetString() != "online" ||
               status.GetProperty("models").GetArrayLength() < _goodModels.Length)
        {
            agent = Alive(instrument, agent, "at start");
            if (guard.Elapsed > Guard)
            {
                _report.Hangs++;
                Problem($"{instrument.Name}: never online");
                break;
            }
            await Task.Delay(50);
        }
        return agent;
    }

    private AgentLife Alive(AgentInstance instrument, AgentLife agent, string when)
    {
        if (!agent.Crashed) return agent;
        _report.Crashes++;
        Problem($"{instrument.Name} exited with code {agent.ExitCode} {when}: {Shorten(instrument.LogTail())}");
        _report.PeakRss = Math.Max(_report.PeakRss, agent.PeakRss);
        agent.Dispose();
        return instrument.Start();
    }

    private void End(AgentInstance instrument, AgentLife agent)
    {
        if (!agent.Terminate(StopGuard))
        {
            _report.Hangs++;
            Problem($"{instrument.Name} did not stop within {StopGuard} of SIGTERM");
        }
        else if (agent.ExitCode != 0) Problem($"{instrument.Name} stopped with exit code {agent.ExitCode}");
        _report.PeakRss = Math.Max(_report.PeakRss, agent.PeakRss);
        agent.Dispose();
    }

    // Every file dropped ends archived or quarantined, and every quarantine note starts with one printable line.
    private void Account(AgentInstance instrument)
    {
        var left = instrument.InboxFiles();
        _report.Unaccounted += left.Length;
        if (left.Length > 0) Problem($"{instrument.Name}: {left.Length} files never processed, e.g. {Path.GetFileName(left[0])}");
        _report.Archived += Directory.Exists(instrument.Archive) ? Directory.GetFiles(instrument.Archive, "*", SearchOption.AllDirectories).Length : 0;
        if (!Directory.Exists(instrument.Quarantine)) return;
        foreach (var file in Directory.GetFiles(instrument.Quarantine).Where(f => !f.EndsWith(".error.txt", StringComparison.Ordinal)))
            if (!File.Exists(file + ".error.txt"))
            {
                _report.BadReasons++;
                Problem($"quarantined {Path.GetFileName(file)} has no .error.txt");
            }
        foreach (var note in Directory.GetFiles(instrument.Quarantine, "*.error.txt"))
        {
            _report.Quarantined++;
            var reason = File.ReadLines(note).FirstOrDefault() ?? "";
            if (reason.Length is 0 or > 1000 || reason.Any(char.IsControl))
            {
                _report.BadReasons++;
                Problem($"quarantine note {Path.GetFileName(note)} starts with a {reason.Length}-character line: {Shorten(reason)}");
            }
        }
    }

    // A spectrum the dashboard never saw is lost by the agent when the agent has no result for it or still holds it in its
    // outbox; when the agent stored its result and the broker acknowledged it (the outbox is empty), it was lost inside
    // the broker: Mosquitto acknowledges before it saves, so a SIGKILL in between drops an acknowledged message.
    private void Reconcile(AgentInstance instrument, IReadOnlySet<string> names)
    {
        var missing = names.Except(_collector.Results.Select(r => r.SampleName)).ToHashSet(StringComparer.Ordinal);
        if (missing.Count == 0) return;
        var (stored, outbox) = instrument.StoredResults();
        var inBroker = outbox == 0 ? missing.Where(stored.Contains).Order(StringComparer.Ordinal).ToArray() : [];
        var byAgent = missing.Except(inBroker).Order(StringComparer.Ordinal).ToArray();
        _report.Lost += byAgent.Length;
        _report.LostInBroker += inBroker.Length;
        if (byAgent.Length > 0) Problem($"{instrument.Name}: lost by the agent (no stored result, or still in its outbox of {outbox}): {string.Join(", ", byAgent.Take(10))}");
        if (inBroker.Length > 0) progress.WriteLine($"{instrument.Name}: acknowledged by the broker, then lost inside it: {string.Join(", ", inBroker.Take(10))}");
    }

    private int GoodPublished(IReadOnlySet<string> names) => _collector.Results.Select(r => r.SampleName).Where(names.Contains).Distinct().Count();

    private string[] ServedModels(AgentInstance instrument) =>
        _collector.Status(instrument.StatusTopic) is { } status
            ? [.. status.GetProperty("models").EnumerateArray().Select(m => $"{m.GetProperty("name").GetString()}@{m.GetProperty("version").GetString()}").Order(StringComparer.Ordinal)]
            : [];

    private void Problem(string what)
    {
        _report.Problem(what);
        progress.WriteLine("problem: " + what);
    }

    private string Folder(string relative) => Directory.CreateDirectory(Path.Combine(_root.Path, relative)).FullName;

    private AgentInstance Instance(string name, string? dataDir = null, string? serialPort = null) =>
        new(name, _root.Path, dataDir, serialPort, _broker.Port, _trusted, _goodModels, DiskFloorMegabytes);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "midir-edge.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(StopGuard);
        try { await process.WaitForExitAsync(guard.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); return (-1, await stdout, "hung: " + await stderr); }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Shorten(string text)
    {
        var flat = new string([.. text.Select(c => char.IsControl(c) ? '·' : c)]);
        return flat.Length > 300 ? flat[..300] + "…" : flat;
    }

    /// <summary>One agent instance: its folders, settings file and log, and how to start a life of it.</summary>
    private sealed class AgentInstance
    {
        private readonly string _settings;
        private readonly string _log;
        private readonly int _healthPort = Ports.Free();

        public AgentInstance(string name, string root, string? dataDir, string? serialPort, int brokerPort, ECDsa trusted, string[] models, int floorMegabytes)
        {
            Name = name;
            var home = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
            Inbox = Directory.CreateDirectory(Path.Combine(home, "inbox")).FullName;
            Models = Directory.CreateDirectory(Path.Combine(home, "models")).FullName;
            foreach (var model in models) File.Copy(Fixtures.RepositoryPath($"demo/models/{model}.zip"), Path.Combine(Models, model + ".zip"));
            TrustedKey = Path.Combine(home, "trusted.pem");
            File.WriteAllText(TrustedKey, trusted.ExportSubjectPublicKeyInfoPem());
            _log = Path.Combine(home, "agent.log");
            DataDir = dataDir ?? Path.Combine(home, "data");
            var adapters = new JsonObject
            {
                ["FileWatch"] = new JsonObject
                {
                    ["Path"] = Inbox, ["Include"] = new JsonArray("*"), ["StableFor"] = "00:00:00.200", ["RescanInterval"] = "00:00:01",
                },
            };
            if (serialPort is not null) adapters["Serial"] = new JsonObject { ["Port"] = serialPort, ["Profile"] = "generic-ascii-serial" };
            var settings = new JsonObject
            {
                ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
                ["MidirEdge"] = new JsonObject
                {
                    ["Site"] = Site,
                    ["Instrument"] = name,
                    ["DataDir"] = DataDir,
                    ["Cache"] = new JsonObject { ["MinFreeMegabytes"] = floorMegabytes },
                    ["Models"] = new JsonObject { ["Path"] = Models, ["TrustedKeys"] = new JsonArray(TrustedKey), ["ReloadDelay"] = "00:00:00.500" },
                    ["Adapters"] = adapters,
                    ["Mqtt"] = new JsonObject
                    {
                        ["Host"] = "127.0.0.1", ["Port"] = brokerPort, ["ClientId"] = $"midir-edge-faults-{name}",
                        ["ReconnectMinDelay"] = "00:00:00.200", ["ReconnectMaxDelay"] = "00:00:02",
                    },
                    ["Health"] = new JsonObject { ["Url"] = $"http://127.0.0.1:{_healthPort}" },
                },
            };
            _settings = Path.Combine(home, "settings.json");
            File.WriteAllText(_settings, settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        public string Name { get; }
        public string Inbox { get; }
        public string Models { get; }
        public string TrustedKey { get; }
        public string DataDir { get; }
        public string Archive => Path.Combine(Inbox, "archive");
        public string Quarantine => Path.Combine(Inbox, "quarantine");
        public string StatusTopic => $"midir/{Site}/{Name}/status";

        public AgentLife Start() => AgentLife.Start(_settings, _log);

        public string[] InboxFiles() => Directory.GetFiles(Inbox);

        public string LogTail()
        {
            var lines = File.ReadAllLines(_log);
            return string.Join(" | ", lines.TakeLast(5));
        }

        /// <summary>The outbox depth /healthz reports, or -1 when it does not answer.</summary>
        public async Task<int> OutboxDepthAsync()
        {
            var health = await HealthAsync();
            var json = health.IndexOf('{', StringComparison.Ordinal);
            if (json < 0) return -1;
            try
            {
                using var document = JsonDocument.Parse(health[json..]);
                return document.RootElement.TryGetProperty("outboxDepth", out var depth) ? depth.GetInt32() : -1;
            }
            catch (JsonException)
            {
                return -1;
            }
        }

        /// <summary>Sample names of every result the stopped agent stored in its cache, and what is left in its outbox.</summary>
        public (HashSet<string> SampleNames, int Outbox) StoredResults()
        {
            using var cache = AgentCache.Open(Path.Combine(DataDir, "midir-edge.db"));
            var names = new HashSet<string>(StringComparer.Ordinal);
            var (after, id) = (DateTimeOffset.UnixEpoch, (string?)null);
            while (cache.ResultsAfter(after, id, 1000) is { Count: > 0 } page)
            {
                foreach (var result in page)
                {
                    using var json = JsonDocument.Parse(result.Json);
                    if (json.RootElement.TryGetProperty("sampleName", out var name) && name.GetString() is { } sample) names.Add(sample);
                }
                (after, id) = (page[^1].StoredUtc, page[^1].Id);
            }
            return (names, cache.Outbox.Depth);
        }

        public async Task<string> HealthAsync()
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{_healthPort}/healthz"));
                return $"{(int)response.StatusCode} {(await response.Content.ReadAsStringAsync()).ReplaceLineEndings(" ")}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return "no answer: " + ex.Message;
            }
        }
    }
}
