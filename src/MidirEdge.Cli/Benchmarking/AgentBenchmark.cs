using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Spectra.Formats.Csv;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MidirEdge.Cli.Benchmarking;

/// <summary>What one <c>bench agent</c> run does.</summary>
/// <param name="Count">Spectra dropped at once for the throughput phase.</param>
/// <param name="LatencySamples">Spectra dropped one at a time for the latency phase.</param>
/// <param name="StableFor">The file-watch stability window, subtracted from the latencies.</param>
/// <param name="ModelsPath">Folder of model bundles; null for the bundled demo models.</param>
/// <param name="MqttHost">Broker to publish to; null for the agent's embedded broker.</param>
/// <param name="MqttPort">Broker port; null for a free port (embedded) or 1883.</param>
/// <param name="Keep">Keep the temporary folder (settings, cache, archive) for inspection.</param>
internal sealed record AgentBenchmarkSettings(int Count, int LatencySamples, TimeSpan StableFor, string? ModelsPath, string? MqttHost, int? MqttPort, bool Keep);

/// <summary>The figures one run measured.</summary>
/// <param name="Models">Model bundles the agent ran.</param>
/// <param name="StartUp">Process start to the retained <c>online</c> status listing every model.</param>
/// <param name="StartUpProcessor">Processor time the agent had used when its <c>online</c> status arrived: the start-up's work, which a busy machine does not inflate as it does <paramref name="StartUp"/>.</param>
/// <param name="Latencies">Per file: complete in the inbox to its result at a subscriber, less the stability window, sorted.</param>
/// <param name="SustainedPerSecond">Results per second between the 10th and the 90th percentile of the burst.</param>
/// <param name="OverallPerSecond">Burst size over the time from the first file to the last result.</param>
/// <param name="SteadyResidentBytes">Resident memory after the latency phase: files arriving one at a time, as from an instrument.</param>
/// <param name="ResidentBytes">Resident memory a few seconds after the burst.</param>
/// <param name="PeakResidentBytes">Peak resident memory over the run.</param>
/// <param name="Shutdown">Stop request to process exit.</param>
internal sealed record AgentBenchmarkResult(int Models, TimeSpan StartUp, TimeSpan StartUpProcessor, TimeSpan[] Latencies, double SustainedPerSecond, double OverallPerSecond,
    long SteadyResidentBytes, long ResidentBytes, long PeakResidentBytes, TimeSpan Shutdown)
{
    /// <summary>The latency below which a fraction <paramref name="p"/> of files got their result.</summary>
    public TimeSpan Percentile(double p) => Latencies[Math.Clamp((int)Math.Ceiling(p * Latencies.Length) - 1, 0, Latencies.Length - 1)];
}

/// <summary>
/// Measures the agent as its users meet it: a real <c>midir-edge run</c> process with the given models, fed through its
/// inbox with CSV spectra (the demo soils, each made unique by a scale of 1 + 1e-7·i), its results read by an MQTT
/// subscriber as a dashboard would. Reports start-up time, file-to-result latency, sustained throughput, memory and
/// shutdown time.
/// </summary>
internal sealed class AgentBenchmark : IAsyncDisposable
{
    private const int WarmUp = 20;
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    private readonly AgentBenchmarkSettings _settings;
    private readonly string _root;
    private readonly string _staging;
    private readonly string _inbox;
    private readonly string _topicRoot;
    private readonly ConcurrentDictionary<string, long> _arrivals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<long> _online = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _agentOutput = new();
    private readonly IMqttClient _subscriber = new MqttClientFactory().CreateMqttClient();
    private Process? _agent;
    private int _expectedModels;

    /// <summary>Creates the run's temporary folder.</summary>
    public AgentBenchmark(AgentBenchmarkSettings settings)
    {
        _settings = settings;
        _root = Directory.CreateTempSubdirectory("midir-edge-bench-").FullName;
        _staging = Directory.CreateDirectory(Path.Combine(_root, "staging")).FullName;
        _inbox = Directory.CreateDirectory(Path.Combine(_root, "inbox")).FullName;
        _topicRoot = $"midir/bench/agent-{Environment.ProcessId}";
        _subscriber.ApplicationMessageReceivedAsync += e =>
        {
            OnMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
    }

    /// <summary>Folder holding the run's settings, cache and archive.</summary>
    public string Root => _root;

    /// <summary>Runs every phase and returns what it measured; throws <see cref="AgentBenchmarkException"/> when the agent fails.</summary>
    public async Task<AgentBenchmarkResult> RunAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        var models = CopyModels();
        _expectedModels = models;
        var files = WriteSpectra(WarmUp + _settings.LatencySamples + _settings.Count);
        var (host, port) = BrokerEndpoint();
        var settingsFile = WriteSettings(port);

        progress.WriteLine($"agent with {models} model(s), {files.Length} distinct CSV spectra, stability window {_settings.StableFor.TotalMilliseconds:0} ms, " +
            $"broker {(_settings.MqttHost is null ? "embedded" : host)}:{port}");
        var spawned = Stopwatch.GetTimestamp();
        _agent = StartAgent(settingsFile);
        await ConnectSubscriberAsync(host, port, cancellationToken).ConfigureAwait(false);
        var startUp = Stopwatch.GetElapsedTime(spawned, await Within(_online.Task, "report 'online' with every model", cancellationToken).ConfigureAwait(false));
        _agent.Refresh();
        var startUpProcessor = _agent.TotalProcessorTime;

        var next = 0;
        for (var i = 0; i < WarmUp; i++) await DropAndWaitAsync(files[next++], cancellationToken).ConfigureAwait(false);

        progress.WriteLine($"latency: {_settings.LatencySamples} files one at a time");
        var latencies = new TimeSpan[_settings.LatencySamples];
        var jitter = new Random(20261125);
        for (var i = 0; i < latencies.Length; i++)
        {
            // A random pause so the drops do not keep one phase against the adapter's polling tick.
            await Task.Delay(jitter.Next(0, 25), cancellationToken).ConfigureAwait(false);
            latencies[i] = await DropAndWaitAsync(files[next++], cancellationToken).ConfigureAwait(false) - _settings.StableFor;
        }
        Array.Sort(latencies);
        _agent.Refresh();
        var steady = _agent.WorkingSet64;

        progress.WriteLine($"throughput: {_settings.Count} files at once");
        var burst = files[next..];
        var started = Stopwatch.GetTimestamp();
        foreach (var file in burst) Drop(file);
        var arrivals = await WaitForAllAsync(burst, cancellationToken).ConfigureAwait(false);
        var tenth = arrivals[(int)(0.1 * (arrivals.Length - 1))];
        var ninetieth = arrivals[(int)(0.9 * (arrivals.Length - 1))];
        var sustained = 0.8 * (arrivals.Length - 1) / Stopwatch.GetElapsedTime(tenth, ninetieth).TotalSeconds;
        var overall = arrivals.Length / Stopwatch.GetElapsedTime(started, arrivals[^1]).TotalSeconds;

        // Steady state: the burst is done and the agent idles, as between two measurements on an instrument.
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        _agent.Refresh();
        var resident = _agent.WorkingSet64;
        var peak = _agent.PeakWorkingSet64;

        var shutdown = await StopAgentAsync(cancellationToken).ConfigureAwait(false);
        return new AgentBenchmarkResult(models, startUp, startUpProcessor, latencies, sustained, overall, steady, resident, peak, shutdown);
    }

    /// <summary>Disconnects, kills the agent if it still runs, and deletes the temporary folder unless asked to keep it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_subscriber.IsConnected)
        {
            try
            {
                await _subscriber.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build()).ConfigureAwait(false);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // The embedded broker left with the agent.
            }
        }
        _subscriber.Dispose();
        if (_agent is { HasExited: false }) _agent.Kill(entireProcessTree: true);
        _agent?.Dispose();
        if (!_settings.Keep) Directory.Delete(_root, recursive: true);
    }

    private int CopyModels()
    {
        var source = _settings.ModelsPath ?? Path.Combine(AppContext.BaseDirectory, "demo", "models");
        var target = Directory.CreateDirectory(Path.Combine(_root, "models")).FullName;
        var bundles = Directory.GetFiles(source, "*.zip");
        if (bundles.Length == 0) throw new AgentBenchmarkException($"no model bundles (*.zip) in {source}");
        foreach (var bundle in bundles) File.Copy(bundle, Path.Combine(target, Path.GetFileName(bundle)));
        return bundles.Length;
    }

    /// <summary>Writes <paramref name="count"/> distinct CSV spectra into the staging folder; returns their names.</summary>
    private string[] WriteSpectra(int count)
    {
        var soils = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "demo", "spectra"), "*.csv").Order(StringComparer.Ordinal)
            .Select(path => CsvSpectrumReader.Read(File.ReadAllBytes(path), path)[0]).ToArray();
        var names = new string[count];
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var soil = soils[i % soils.Length];
            var scale = 1 + 1e-7 * (i + 1);
            text.Clear().Append("wavenumber,absorbance\n");
            for (var k = 0; k < soil.Length; k++)
                text.Append(soil.X[k].ToString("R", CultureInfo.InvariantCulture)).Append(',').Append((soil.Y[k] * scale).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            names[i] = $"bench-{i:D6}";
            File.WriteAllText(Path.Combine(_staging, names[i] + ".csv"), text.ToString());
        }
        return names;
    }

    private (string Host, int Port) BrokerEndpoint()
    {
        if (_settings.MqttHost is { } host) return (host, _settings.MqttPort ?? 1883);
        return ("127.0.0.1", _settings.MqttPort ?? FreePort());
    }

    private string WriteSettings(int port)
    {
        var settings = new JsonObject
        {
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
            ["MidirEdge"] = new JsonObject
            {
                ["Site"] = "bench",
                ["Instrument"] = $"agent-{Environment.ProcessId}",
                ["DataDir"] = Path.Combine(_root, "data"),
                ["Models"] = new JsonObject { ["Path"] = Path.Combine(_root, "models") },
                ["Adapters"] = new JsonObject
                {
                    ["FileWatch"] = new JsonObject
                    {
                        ["Path"] = _inbox,
                        ["Include"] = new JsonArray("*.csv"),
                        ["StableFor"] = _settings.StableFor.ToString("c", CultureInfo.InvariantCulture),
                    },
                },
                ["Mqtt"] = new JsonObject
                {
                    ["Host"] = _settings.MqttHost ?? "",
                    ["Port"] = port,
                    ["ClientId"] = $"midir-edge-bench-{Environment.ProcessId}",
                },
                ["Health"] = new JsonObject { ["Url"] = $"http://127.0.0.1:{FreePort()}" },
            },
        };
        var path = Path.Combine(_root, "bench-settings.json");
        File.WriteAllText(path, settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private Process StartAgent(string settingsFile)
    {
        // The same program that runs this command: `dotnet midir-edge.dll` or the published executable.
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(AgentBenchmark).Assembly.Location);
        foreach (var arg in new[] { "run", "--config", settingsFile }) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new AgentBenchmarkException($"could not start {self}");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_agentOutput)
        {
            _agentOutput.AppendLine(line);
            if (_agentOutput.Length > 16_384) _agentOutput.Remove(0, _agentOutput.Length - 16_384);
        }
    }

    private async Task ConnectSubscriberAsync(string host, int port, CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"midir-edge-bench-dashboard-{Environment.ProcessId}")
            .WithCleanStart(true)
            .Build();
        var deadline = Stopwatch.GetTimestamp() + (long)(Guard.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                // The embedded broker listens only once the agent is up: retry until it does.
                await _subscriber.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or SocketException)
            {
                FailIfAgentExited("before its broker accepted connections");
                if (Stopwatch.GetTimestamp() > deadline) throw new AgentBenchmarkException($"no broker on {host}:{port} after {Guard}: {ex.Message}");
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
        await _subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_topicRoot + "/#", MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
    }

    private void OnMessage(string topic, byte[] payload)
    {
        var now = Stopwatch.GetTimestamp();
        if (topic.EndsWith("/status", StringComparison.Ordinal))
        {
            var status = JsonSerializer.Deserialize(payload, DeliveryJson.Default.StatusMessage);
            if (status is { State: "online" } && status.Models.Count >= _expectedModels) _online.TrySetResult(now);
            return;
        }
        var result = JsonSerializer.Deserialize(payload, DeliveryJson.Default.ResultMessage);
        if (result?.SampleName is not { } sample) return;
        _arrivals.TryAdd(sample, now);
        if (_waiting.TryRemove(sample, out var waiter)) waiter.TrySetResult();
    }

    private void Drop(string name) => File.Move(Path.Combine(_staging, name + ".csv"), Path.Combine(_inbox, name + ".csv"));

    /// <summary>Moves one file into the inbox (a rename: complete the moment it appears) and returns the time to its result.</summary>
    private async Task<TimeSpan> DropAndWaitAsync(string name, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[name] = waiter;
        var dropped = Stopwatch.GetTimestamp();
        Drop(name);
        if (!_arrivals.ContainsKey(name)) await Within(waiter.Task, $"publish the result of {name}", cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(dropped, _arrivals[name]);
    }

    /// <summary>Waits for every result of <paramref name="names"/>; returns their arrival timestamps in order.</summary>
    private async Task<long[]> WaitForAllAsync(string[] names, CancellationToken cancellationToken)
    {
        var received = 0;
        var lastProgress = Stopwatch.GetTimestamp();
        while (true)
        {
            var now = names.Count(_arrivals.ContainsKey);
            if (now == names.Length) break;
            if (now > received) (received, lastProgress) = (now, Stopwatch.GetTimestamp());
            FailIfAgentExited($"after {received} of {names.Length} results");
            if (Stopwatch.GetElapsedTime(lastProgress) > Guard)
                throw new AgentBenchmarkException($"the agent stalled after {received} of {names.Length} results{AgentLogTail()}");
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        var arrivals = names.Select(n => _arrivals[n]).ToArray();
        Array.Sort(arrivals);
        return arrivals;
    }

    private async Task<TimeSpan> StopAgentAsync(CancellationToken cancellationToken)
    {
        var agent = _agent!;
        var asked = Stopwatch.GetTimestamp();
        if (OperatingSystem.IsWindows())
        {
            agent.Kill();
        }
        else
        {
            // SIGTERM, as systemd stops a service: the host's graceful shutdown runs.
            using var kill = Process.Start("kill", ["-TERM", agent.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(Guard);
        await agent.WaitForExitAsync(guard.Token).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(asked);
    }

    private async Task<T> Within<T>(Task<T> task, string what, CancellationToken cancellationToken)
    {
        await Within((Task)task, what, cancellationToken).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    private async Task Within(Task task, string what, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Guard.TotalSeconds * Stopwatch.Frequency);
        while (!task.IsCompleted)
        {
            FailIfAgentExited($"before it could {what}");
            if (Stopwatch.GetTimestamp() > deadline) throw new AgentBenchmarkException($"the agent did not {what} within {Guard}{AgentLogTail()}");
            await Task.WhenAny(task, Task.Delay(100, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void FailIfAgentExited(string when)
    {
        if (_agent is { HasExited: true } agent)
            throw new AgentBenchmarkException($"the agent exited with code {agent.ExitCode} {when}{AgentLogTail()}");
    }

    private string AgentLogTail()
    {
        lock (_agentOutput) return _agentOutput.Length == 0 ? "" : $"; its last output:{Environment.NewLine}{_agentOutput}";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The agent under measurement failed: exited, stalled or never came up.</summary>
internal sealed class AgentBenchmarkException(string message) : Exception(message);
