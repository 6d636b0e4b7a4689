using BenchmarkDotNet.Attributes;
using MidirEdge.Models.Pls;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Tests;

namespace MidirEdge.Benchmarks;

/// <summary>Kernel PLS of soil C on the 224 × 1716 yamsys_dev spectra: fitting 10 components, predicting one spectrum.</summary>
[MemoryDiagnoser]
public class PlsBenchmarks
{
    private double[,] _absorbance = null!;
    private double[] _carbon = null!;
    private double[] _spectrum = null!;
    private readonly double[] _prediction = new double[1];
    private PlsModel _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        var table = CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv");
        _carbon = table.Column("C").ToDoubles();
        _absorbance = new double[table.RowCount, table.X.Length];
        for (var i = 0; i < table.RowCount; i++)
            for (var k = 0; k < table.X.Length; k++) _absorbance[i, k] = table.Values[i][k];
        _spectrum = table.Values[0];
        _model = PlsRegression.Fit(_absorbance, _carbon, 10);
    }

    /// <summary>Kernel PLS, 10 components, 224 × 1716.</summary>
    [Benchmark]
    public PlsModel FitKernel10() => PlsRegression.Fit(_absorbance, _carbon, 10);

    /// <summary>One spectrum through a 10-component model (a 1716-point dot product).</summary>
    [Benchmark]
    public double PredictOne()
    {
        _model.Predict(_spectrum, _prediction);
        return _prediction[0];
    }
}
