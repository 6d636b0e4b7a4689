using System.Globalization;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using MidirEdge.Models.Pls;

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
        var path = FindFixture("data/yamsys/yamsys_dev.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var header = reader.ReadLine()!.Split(',').Select(f => f.Trim('"')).ToArray();
        var spectral = Enumerable.Range(0, header.Length)
            .Where(j => double.TryParse(header[j], NumberStyles.Float, CultureInfo.InvariantCulture, out _)).ToArray();
        var carbon = Array.IndexOf(header, "C");
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line) rows.Add(line.Split(','));

        _absorbance = new double[rows.Count, spectral.Length];
        _carbon = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            _carbon[i] = double.Parse(rows[i][carbon], CultureInfo.InvariantCulture);
            for (var k = 0; k < spectral.Length; k++)
                _absorbance[i, k] = double.Parse(rows[i][spectral[k]], CultureInfo.InvariantCulture);
        }
        _spectrum = Enumerable.Range(0, spectral.Length).Select(k => _absorbance[0, k]).ToArray();
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

    private static string FindFixture(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Fixture {relative} not found above {AppContext.BaseDirectory}");
    }
}
