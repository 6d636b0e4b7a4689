using System.CommandLine;
using System.Diagnostics;
using MidirEdge.Cli.Benchmarking;
using MidirEdge.Cli.Failures;
using MidirEdge.Spectra;

namespace MidirEdge.Cli.Commands;

/// <summary><c>midir-edge bench</c>: the readers, the scattering kernel, the whole agent and a fleet of agents.</summary>
internal static class BenchCommand
{
    /// <summary>Builds the <c>bench</c> parent command with its subcommands.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Measure the readers, the scattering kernel, the whole agent or a fleet of agents on this machine");
        bench.Subcommands.Add(CreateRead());
        bench.Subcommands.Add(CreateScatter());
        bench.Subcommands.Add(CreateAgent());
        bench.Subcommands.Add(CreateFleet());
        return bench;
    }

    /// <summary><c>bench read</c>: time and allocation of one read of each given spectrum file.</summary>
    internal static Command CreateRead()
    {
        var inputs = new Argument<string[]>("INPUT") { Description = "Spectrum files, folders of them, or quoted globs ('runs/**/*.0')", Arity = ArgumentArity.OneOrMore }.ExistingFilesOrGlob();
        var command = new Command("read", "Median time and bytes allocated per read of each file, from its bytes in memory (one thread)") { inputs };
        command.SetAction((ParseResult result) =>
        {
            var files = PathPatterns.Expand(result.GetRequiredValue(inputs), PathPatterns.FilesIn);
            Console.WriteLine($"{"median",10}  {"allocated",12}  {"points",8}  {"file size",10}  format  file");
            var read = 0;
            ReadBenchmark.WarmUp(files);
            foreach (var file in files)
            {
                var m = ReadBenchmark.Measure(file);
                var name = Path.GetRelativePath(Environment.CurrentDirectory, file);
                if (m.Error is not null)
                {
                    Console.WriteLine($"{"refused",10}  {"",12}  {"",8}  {m.Bytes,8:N0} B  {"-",-6}  {OneLine.Of(m.Error)}");
                    continue;
                }
                read++;
                Console.WriteLine($"{m.Median.TotalMicroseconds,7:F1} µs  {m.Allocated,10:N0} B  {m.Points,8:N0}  {m.Bytes,8:N0} B  {m.Format,-6}  {name}" +
                    (m.Spectra > 1 ? $" ({m.Spectra} spectra)" : ""));
            }
            if (read == 0) throw new CommandFailedException($"none of the {files.Count} file(s) could be read.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>bench scatter</c>: scattering throughput on one thread and on all cores.</summary>
    internal static Command CreateScatter()
    {
        var options = new ScatteringOptions();
        var length = new Option<int>("--n") { Description = "Signal length", DefaultValueFactory = _ => 1716 };
        var count = new Option<int>("--count") { Description = "Number of spectra per measurement", DefaultValueFactory = _ => 5000 };
        var precision = new Option<string>("--precision") { Description = "Arithmetic of the transform: double or float32", DefaultValueFactory = _ => "double" };
        precision.AcceptOnlyFromAmong("double", "float32");
        var command = new Command("scatter", "Scattering spectra per second, single-threaded and on all cores");
        options.AddTo(command);
        command.Options.Add(length);
        command.Options.Add(count);
        command.Options.Add(precision);

        command.SetAction((ParseResult result) =>
        {
            var version = options.ReadVersion(result);
            var n = result.GetValue(length);
            var spectra = result.GetValue(count);
            if (spectra < 1) throw new UsageException($"--count must be at least 1 (got {spectra}).");
            var arithmetic = result.GetValue(precision);
            var scattering = options.Build(result, n, version);

            var signals = SyntheticSpectra(spectra, n);
            var cores = Environment.ProcessorCount;
            Console.WriteLine($"scattering J={scattering.Parameters.J} Q=({scattering.Parameters.Q1},{scattering.Parameters.Q2}) T={scattering.Parameters.T} " +
                $"max_order={scattering.Parameters.MaxOrder} kymatio={ScatteringOptions.VersionName(version)} N={n} (padded {scattering.PaddedLength}): " +
                $"{scattering.PathCount} paths x {scattering.TimeLength}, {arithmetic}");

            var warmup = Math.Min(spectra, 50);
            Action<int, int> batch;
            if (arithmetic == "double")
            {
                var output = new double[spectra * scattering.OutputLength];
                Array.Fill(output, 0.0); // Touch the pages now, so the measurement does not time their first faults.
                batch = (rows, threads) => scattering.TransformBatch(signals.AsMemory(0, rows * n), output.AsMemory(0, rows * scattering.OutputLength), threads);
            }
            else
            {
                var single = Array.ConvertAll(signals, v => (float)v);
                var output = new float[spectra * scattering.OutputLength];
                Array.Fill(output, 0f); // Touch the pages now, so the measurement does not time their first faults.
                batch = (rows, threads) => scattering.TransformBatch(single.AsMemory(0, rows * n), output.AsMemory(0, rows * scattering.OutputLength), threads);
            }
            batch(warmup, 1);
            Report("1 thread", spectra, Measure(() => batch(spectra, 1)));
            Report($"{cores} cores", spectra, Measure(() => batch(spectra, -1)));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>bench agent</c>: start-up, latency, throughput, memory and shutdown of a real agent process.</summary>
    internal static Command CreateAgent()
    {
        var count = new Option<int>("--count") { Description = "Spectra dropped at once for the throughput phase", DefaultValueFactory = _ => 2000 };
        var samples = new Option<int>("--latency-samples") { Description = "Spectra dropped one at a time for the latency phase", DefaultValueFactory = _ => 200 };
        var stable = new Option<int>("--stable-ms") { Description = "File-watch stability window in milliseconds (subtracted from the latency)", DefaultValueFactory = _ => 100 };
        var models = new Option<DirectoryInfo?>("--models") { Description = "Folder of model bundles (default: the bundled demo models)" }.ExistingFolder();
        var host = new Option<string?>("--mqtt-host") { Description = "Broker to publish to, e.g. a local Mosquitto (default: the agent's embedded broker)" };
        var port = new Option<int?>("--mqtt-port") { Description = "Broker port (default: 1883 with --mqtt-host, else a free port)" };
        var keep = new Option<bool>("--keep") { Description = "Keep the temporary folder (settings, cache, archive)" };
        var command = new Command("agent", "Run a real agent process on generated spectra and measure start-up, file-to-result latency, throughput, memory and shutdown")
        {
            count, samples, stable, models, host, port, keep,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var settings = new AgentBenchmarkSettings(result.GetValue(count), result.GetValue(samples), TimeSpan.FromMilliseconds(result.GetValue(stable)),
                result.GetValue(models)?.FullName, result.GetValue(host), result.GetValue(port), result.GetValue(keep));
            if (settings.Count < 10) throw new UsageException($"--count must be at least 10 (got {settings.Count}).");
            if (settings.LatencySamples < 1) throw new UsageException($"--latency-samples must be at least 1 (got {settings.LatencySamples}).");
            if (settings.StableFor <= TimeSpan.Zero) throw new UsageException($"--stable-ms must be positive (got {settings.StableFor.TotalMilliseconds}).");

            await using var bench = new AgentBenchmark(settings);
            var measured = await bench.RunAsync(Console.Out, cancellationToken);
            Console.WriteLine($"start-up    {measured.StartUp.TotalMilliseconds,8:F0} ms       process start to the retained 'online' status with {measured.Models} model(s), " +
                $"{measured.StartUpProcessor.TotalMilliseconds:F0} ms of processor time");
            Console.WriteLine($"latency     p50 {Ms(measured.Percentile(0.5))}  p90 {Ms(measured.Percentile(0.9))}  p99 {Ms(measured.Percentile(0.99))}  max {Ms(measured.Latencies[^1])}" +
                $"   complete file to result at a subscriber, less the {settings.StableFor.TotalMilliseconds:0} ms stability window");
            Console.WriteLine($"throughput  {measured.SustainedPerSecond,8:F0} spectra/s sustained (10th to 90th percentile of {settings.Count}), {measured.OverallPerSecond:F0}/s first file to last result");
            Console.WriteLine($"memory      {measured.SteadyResidentBytes / 1048576.0,8:F0} MB resident with files one at a time, {measured.ResidentBytes / 1048576.0:F0} MB after the burst, peak {measured.PeakResidentBytes / 1048576.0:F0} MB");
            Console.WriteLine($"shutdown    {measured.Shutdown.TotalMilliseconds,8:F0} ms       stop signal to exit");
            if (settings.Keep) Console.WriteLine($"kept {bench.Root}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>bench fleet</c>: model deployment to many real agent processes on one Mosquitto.</summary>
    internal static Command CreateFleet()
    {
        var agents = new Option<int>("--agents") { Description = "Agent processes to run", DefaultValueFactory = _ => 100 };
        var stopped = new Option<int?>("--stopped") { Description = "Agents down during the roll-out, started again afterwards (default: a tenth)" };
        var spectra = new Option<int>("--spectra") { Description = "Demo spectra (0 to 8) dropped into each agent's inbox just before the roll-out", DefaultValueFactory = _ => 2 };
        var mosquitto = new Option<string>("--mosquitto") { Description = "The Mosquitto executable", DefaultValueFactory = _ => "/usr/sbin/mosquitto" };
        var keep = new Option<bool>("--keep") { Description = "Keep the temporary folder (agents' data, models, broker configuration)" };
        var command = new Command("fleet", "Deploy a signed bundle to many real agent processes on one Mosquitto: time until every instrument runs it, catch-up after a restart, results lost")
        {
            agents, stopped, spectra, mosquitto, keep,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var count = result.GetValue(agents);
            if (count < 1) throw new UsageException($"--agents must be at least 1 (got {count}).");
            var down = result.GetValue(stopped) ?? count / 10;
            if (down < 0 || down >= count) throw new UsageException($"--stopped must be from 0 to {count - 1} (got {down}).");
            var each = result.GetValue(spectra);
            if (each is < 0 or > 8) throw new UsageException($"--spectra must be from 0 to 8, the distinct demo spectra (got {each}).");
            var settings = new FleetBenchmarkSettings(count, down, each, result.GetValue(mosquitto)!, result.GetValue(keep));
            await using var bench = new FleetBenchmark(settings);
            var m = await bench.RunAsync(Console.Out, cancellationToken);
            Console.WriteLine($"agents      {count,8}          {down} of them stopped during the roll-out, {Environment.ProcessorCount} cores");
            Console.WriteLine($"start-up    {m.StartUp.TotalSeconds,8:F1} s        first start to every agent online with its model");
            Console.WriteLine($"roll-out    {m.RunningUpToDate.TotalSeconds,8:F1} s        deploy sent to every running agent reporting the new version");
            Console.WriteLine($"all         {m.AllUpToDate.TotalSeconds,8:F1} s        deploy sent to every agent, the restarted ones included, reporting it");
            Console.WriteLine($"caught up   {m.CaughtUp,8}          of {down} stopped agents, after their restart");
            Console.WriteLine($"answers     {string.Join(", ", m.Answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Value} {a.Key}"))}");
            Console.WriteLine($"results     {m.ResultsReceived,8}          of {m.ResultsExpected}: {m.ResultsExpected - m.ResultsReceived} lost, {m.Duplicates} duplicated");
            Console.WriteLine($"memory      {m.AgentResidentBytes / 1048576.0 / count,8:F0} MB       resident per agent ({m.AgentResidentBytes / 1073741824.0:F1} GB together), broker {m.BrokerResidentBytes / 1048576.0:F0} MB");
            if (settings.Keep) Console.WriteLine($"kept {bench.Root}");
            return m.ResultsReceived >= m.ResultsExpected && m.CaughtUp == down ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds:F1} ms";

    private static TimeSpan Measure(Action run)
    {
        var watch = Stopwatch.StartNew();
        run();
        return watch.Elapsed;
    }

    private static void Report(string label, int spectra, TimeSpan elapsed) =>
        Console.WriteLine($"{label,-10} {spectra / elapsed.TotalSeconds,12:F0} spectra/s  {elapsed.TotalMilliseconds / spectra,9:F4} ms/spectrum");

    /// <summary>Smooth absorbance-like spectra (a few Gaussian bands on a baseline) with seeded noise.</summary>
    private static double[] SyntheticSpectra(int count, int n)
    {
        var random = new Random(20261124);
        var signals = new double[count * n];
        for (var s = 0; s < count; s++)
        {
            var offset = s * n;
            var baseline = 0.2 + 0.3 * random.NextDouble();
            for (var band = 0; band < 6; band++)
            {
                var centre = random.NextDouble() * n;
                var width = 5 + 60 * random.NextDouble();
                var height = random.NextDouble();
                for (var i = 0; i < n; i++)
                {
                    var z = (i - centre) / width;
                    signals[offset + i] += height * Math.Exp(-0.5 * z * z);
                }
            }
            for (var i = 0; i < n; i++) signals[offset + i] += baseline + 0.002 * (random.NextDouble() - 0.5);
        }
        return signals;
    }
}
