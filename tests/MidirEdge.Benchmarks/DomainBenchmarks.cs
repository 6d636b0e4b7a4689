using BenchmarkDotNet.Attributes;
using MidirEdge.Models.Domain;

namespace MidirEdge.Benchmarks;

/// <summary>Applicability-domain check (T² and Q) of one 1716-point spectrum against a 10-component PCA of 224 spectra.</summary>
/// <remarks>The cost depends only on the shapes, so seeded random spectra of yamsys_dev's size stand in for the real ones.</remarks>
[MemoryDiagnoser]
public class DomainBenchmarks
{
    private ApplicabilityDomain _domain = null!;
    private double[] _spectrum = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var rows = new double[224][];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new double[1716];
            for (var j = 0; j < 1716; j++) rows[i][j] = 0.1 + random.NextDouble();
        }
        _domain = ApplicabilityDomain.Fit(rows, 10);
        _spectrum = rows[17];
    }

    [Benchmark]
    public DomainAssessment Assess() => _domain.Assess(_spectrum);
}
