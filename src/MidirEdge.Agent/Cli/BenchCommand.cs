using System.CommandLine;
using System.Diagnostics;
using MidirEdge.Scattering;

namespace MidirEdge.Agent.Cli;

/// <summary><c>midir-edge bench</c>: throughput measurements of the agent's numerical kernels.</summary>
internal static class BenchCommand
{
    /// <summary>Builds the <c>bench</c> parent command with its subcommands.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Measure throughput of the numerical kernels on synthetic data");
        bench.Subcommands.Add(CreateScatter());
        return bench;
    }

    /// <summary><c>bench scatter</c>: scattering throughput on one thread and on all cores.</summary>
    internal static Command CreateScatter()
    {
        var options = new ScatteringOptions();
        var length = new Option<int>("--n") { Description = "Signal length", DefaultValueFactory = _ => 1716 };
        var count = new Option<int>("--count") { Description = "Number of spectra per measurement", DefaultValueFactory = _ => 5000 };
        var precision = new Option<string>("--precision") { Description = "Arithmetic of the transform: double or float32", DefaultValueFactory = _ => "double" };
        var command = new Command("scatter", "Scattering spectra per second, single-threaded and on all cores");
        options.AddTo(command);
        command.Options.Add(length);
        command.Options.Add(count);
        command.Options.Add(precision);

        command.SetAction((ParseResult result) =>
        {
            if (!options.TryRead(result, out var version, out var error)) return Fail(error);
            var n = result.GetValue(length);
            var spectra = result.GetValue(count);
            if (spectra < 1) return Fail($"--count must be at least 1 (got {spectra})");
            var arithmetic = result.GetValue(precision);
            if (arithmetic is not ("double" or "float32")) return Fail($"--precision must be double or float32 (got '{arithmetic}')");

            Scattering1D scattering;
            try
            {
                scattering = options.Build(result, n, version);
            }
            catch (ArgumentException e)
            {
                return Fail(ScatterCommand.ParameterMessage(e));
            }

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
            return 0;
        });
        return command;
    }

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

    private static int Fail(string message) => CliErrors.Fail("bench scatter", message, CliErrors.UsageError);
}
