using BenchmarkDotNet.Attributes;
using MidirEdge.Models.Onnx;
using MidirEdge.Tests;

namespace MidirEdge.Benchmarks;

/// <summary>The soil-C PLS exported to ONNX (input spectrum [N, 1716]) on one spectrum and on a batch of 64, one intra-op thread.</summary>
[MemoryDiagnoser]
public class OnnxBenchmarks
{
    private OnnxModel _model = null!;
    private double[][] _one = null!;
    private double[][] _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = OnnxModel.Load(Fixtures.Path("reference/onnx/pls_C_raw.onnx"));
        var random = new Random(1);
        _batch = new double[64][];
        for (var i = 0; i < _batch.Length; i++)
        {
            _batch[i] = new double[1716];
            for (var j = 0; j < 1716; j++) _batch[i][j] = 0.1 + random.NextDouble();
        }
        _one = [_batch[0]];
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark]
    public double OneSpectrum() => _model.Run("spectrum", _one)["C"][0][0];

    [Benchmark]
    public double Batch64() => _model.Run("spectrum", _batch)["C"][63][0];
}
