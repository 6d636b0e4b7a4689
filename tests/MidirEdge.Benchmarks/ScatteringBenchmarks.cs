using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using MidirEdge.Scattering;

namespace MidirEdge.Benchmarks;

/// <summary>
/// Scattering1D J=4, Q=12, N=1716 (an Alpha DRIFT spectrum's length): one spectrum, and a batch on all cores, in double
/// and in single precision, at each vector width the FFT runs on (see <see cref="VectorWidths"/>).
/// </summary>
[Config(typeof(VectorWidths))]
[MemoryDiagnoser]
public class ScatteringBenchmarks
{
    /// <summary>
    /// The default width (512-bit on an AVX-512 machine), AVX2, and 128-bit vectors as Arm's stand-in: with
    /// DOTNET_PreferredVectorBitWidth=128 the FFT picks its kernels by the width the runtime accelerates, so it runs the
    /// Vector128 kernels an Arm64 build runs, with fused multiply-adds and (AVX-512's EVEX encoding) 32 vector
    /// registers as NEON has. "128-bit/16 regs" adds DOTNET_EnableAVX512=0: the same kernels with x64's 16 registers.
    /// </summary>
    private sealed class VectorWidths : ManualConfig
    {
        public VectorWidths()
        {
            AddJob(Job.ShortRun.WithId("Default"));
            AddJob(Job.ShortRun.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableAVX512", "0")).WithId("AVX2"));
            AddJob(Job.ShortRun.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_PreferredVectorBitWidth", "128")).WithId("128-bit"));
            AddJob(Job.ShortRun.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_PreferredVectorBitWidth", "128"),
                new EnvironmentVariable("DOTNET_EnableAVX512", "0")).WithId("128-bit/16 regs"));
        }
    }

    private const int Length = 1716;
    private const int BatchSize = 256;

    private Scattering1D _scattering = null!;
    private double[] _signal = null!;
    private double[] _output = null!;
    private double[] _batch = null!;
    private double[] _batchOutput = null!;
    private float[] _signalSingle = null!;
    private float[] _outputSingle = null!;
    private float[] _batchSingle = null!;
    private float[] _batchOutputSingle = null!;

    /// <summary>Kymatio release reproduced.</summary>
    [Params(KymatioVersion.V0_3)]
    public KymatioVersion Version { get; set; }

    /// <summary>Builds the transform and synthetic absorbance spectra.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _scattering = new Scattering1D(4, Length, 12, version: Version);
        var random = new Random(42);
        _batch = new double[BatchSize * Length];
        for (var s = 0; s < BatchSize; s++)
        {
            var centre = random.Next(200, 1500);
            for (var i = 0; i < Length; i++)
                _batch[s * Length + i] = 0.4 + Math.Exp(-0.5 * Math.Pow((i - centre) / 35.0, 2)) + 0.2 * Math.Sin(i / 90.0) + 0.002 * random.NextDouble();
        }
        _signal = _batch.AsSpan(0, Length).ToArray();
        _output = new double[_scattering.OutputLength];
        _batchOutput = new double[BatchSize * _scattering.OutputLength];
        _scattering.Transform(_signal, _output);
        _batchSingle = Array.ConvertAll(_batch, v => (float)v);
        _signalSingle = _batchSingle.AsSpan(0, Length).ToArray();
        _outputSingle = new float[_scattering.OutputLength];
        _batchOutputSingle = new float[BatchSize * _scattering.OutputLength];
        _scattering.Transform(_signalSingle, _outputSingle);
    }

    /// <summary>One spectrum on the calling thread.</summary>
    [Benchmark(Baseline = true)]
    public void SingleSpectrum() => _scattering.Transform(_signal, _output);

    /// <summary>256 spectra on all cores.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void Batch256AllCores() => _scattering.TransformBatch(_batch, _batchOutput);

    /// <summary>One spectrum on the calling thread, in single precision.</summary>
    [Benchmark]
    public void SingleSpectrumFloat32() => _scattering.Transform(_signalSingle, _outputSingle);

    /// <summary>256 spectra on all cores, in single precision.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void Batch256AllCoresFloat32() => _scattering.TransformBatch(_batchSingle, _batchOutputSingle);
}
