using BenchmarkDotNet.Attributes;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Preprocessing;

namespace MidirEdge.Benchmarks;

/// <summary>Preprocessing cores on one 1716-point MIR spectrum (the Bruker Alpha grid 3997.4 → 499.7 cm⁻¹).</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class PreprocessingBenchmarks
{
    private const int Points = 1716;
    private readonly double[] _x = new double[Points];
    private readonly double[] _y = new double[Points];
    private readonly double[] _result = new double[Points];
    private readonly double[] _grid = new double[1701];
    private readonly double[] _gridResult = new double[1701];
    private readonly double[] _workspace = new double[2 * Points];
    private readonly SavitzkyGolay _savgol = new(17, 2, 1);
    private SavitzkyGolayKernel _kernel = null!;
    private Spectrum _spectrum = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Points; i++)
        {
            _x[i] = 499.674601377246 + i * 2.03948816838;
            _y[i] = 0.5 + 0.3 * Math.Sin(_x[i] / 150) + 0.05 * Math.Cos(_x[i] / 7);
        }
        for (var i = 0; i < _grid.Length; i++) _grid[i] = 600 + 2 * i;
        _kernel = _savgol.GetKernel();
        _spectrum = Spectrum.Create(_x.Reverse().ToArray(), _y.Reverse().ToArray(), XUnit.Wavenumber, YKind.Absorbance);
    }

    [Benchmark(Description = "SG 17/2/1 kernel (precomputed)")]
    public void SavitzkyGolayKernel() => _kernel.Filter(_y, _result);

    [Benchmark(Description = "SG 17/2/1 step on Spectrum")]
    public Spectrum SavitzkyGolayStep() => _savgol.Apply(_spectrum);

    [Benchmark(Description = "SNV")]
    public void Snv() => Spectra.Preprocessing.Snv.Transform(_y, _result);

    [Benchmark(Description = "Resample linear → 1701")]
    public void ResampleLinear() => Interpolation.Linear(_x, _y, _grid, _gridResult);

    [Benchmark(Description = "Resample cubic → 1701")]
    public void ResampleCubic() => Interpolation.CubicNotAKnot(_x, _y, _grid, _gridResult, _workspace);
}
