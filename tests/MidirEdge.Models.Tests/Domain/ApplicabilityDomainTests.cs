using System.Text.Json;
using MidirEdge.Models.Domain;
using Xunit.Abstractions;

namespace MidirEdge.Models.Tests.Domain;

public class ApplicabilityDomainTests(ITestOutputHelper log)
{
    private static readonly Lazy<ApplicabilityDomain> Yamsys = new(() => ApplicabilityDomain.Fit(YamsysSpectra.Absorbances, 10));

    [Theory]
    // F quantiles from printed tables (e.g. NIST/SEMATECH e-Handbook, Table 1.3.6.7.3).
    [InlineData(12, 2, 0.95, 4.1028)]
    [InlineData(12, 2, 0.99, 7.5594)]
    [InlineData(23, 3, 0.95, 3.0984)]
    [InlineData(23, 3, 0.99, 4.9382)]
    public void T2_limit_is_the_scaled_F_quantile(int samples, int components, double confidence, double tableF)
    {
        var domain = ApplicabilityDomain.Fit(RandomRows(samples, 8, seed: samples), components, confidence: confidence);

        var expected = components * (samples - 1.0) / (samples - components) * tableF;
        Assert.Equal(expected, domain.T2Limit, expected * 1e-4);
        Assert.Equal(expected, domain.WithConfidence(0.5).HotellingT2Limit(confidence), expected * 1e-4);
    }

    [Theory]
    // With m equal residual eigenvalues λ, Q is λ·χ²(m) and the Jackson–Mudholkar limit approximates its quantile.
    [InlineData(1, 0.99, 6.6349)]
    [InlineData(5, 0.99, 15.0863)]
    [InlineData(5, 0.95, 11.0705)]
    [InlineData(20, 0.95, 31.4104)]
    public void Q_limit_approximates_the_chi_square_quantile_for_equal_residual_eigenvalues(int m, double confidence, double tableChiSquare)
    {
        var pca = Pca.Fit(RandomRows(30, 4, seed: 1), 2);
        const double lambda = 0.25;

        var domain = new ApplicabilityDomain(pca, Enumerable.Repeat(lambda, m).ToArray(), confidence);

        Assert.Equal(lambda * tableChiSquare, domain.QLimit, lambda * tableChiSquare * 0.01);
    }

    [Fact]
    public void Q_limit_follows_jackson_mudholkar_by_hand()
    {
        double[] residual = [0.9, 0.5, 0.3, 0.1, 0.05];
        double t1 = residual.Sum(), t2 = residual.Sum(l => l * l), t3 = residual.Sum(l => l * l * l);
        var h0 = 1 - 2 * t1 * t3 / (3 * t2 * t2);
        const double z99 = 2.3263479; // standard normal 0.99 quantile
        var expected = t1 * Math.Pow(z99 * Math.Sqrt(2 * t2 * h0 * h0) / t1 + 1 + t2 * h0 * (h0 - 1) / (t1 * t1), 1 / h0);

        var domain = new ApplicabilityDomain(Pca.Fit(RandomRows(30, 4, seed: 2), 2), residual, 0.99);

        Assert.Equal(expected, domain.QLimit, expected * 1e-6);
    }

    public static TheoryData<string> ResidualSpectra => new() { "few", "long tail", "yamsys" };

    [Theory]
    // Q of a sample from the training population is Σ λ_i·χ²(1); a seeded simulation gives its quantile independently.
    // "few": Jackson–Mudholkar (h₀ > 0); "long tail": one large and 500 small eigenvalues, h₀ ≤ 0, three-moment
    // chi-square; "yamsys": the residual eigenvalues of the real spectra with 10 components (h₀ ≈ 0.01).
    [MemberData(nameof(ResidualSpectra))]
    public void Q_limit_matches_a_simulated_quantile(string residualSpectrum)
    {
        var residual = residualSpectrum switch
        {
            "few" => [0.9, 0.5, 0.3, 0.1, 0.05],
            "long tail" => [1.0, .. Enumerable.Repeat(0.002, 500)],
            _ => Yamsys.Value.ResidualEigenvalues.ToArray(),
        };
        var domain = new ApplicabilityDomain(Pca.Fit(RandomRows(30, 4, seed: 2), 2), residual, 0.99);
        var random = new Random(11);
        var draws = new double[10000];
        for (var d = 0; d < draws.Length; d++)
            foreach (var l in residual)
            {
                var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                draws[d] += l * normal * normal;
            }
        Array.Sort(draws);
        var simulated = draws[(int)(0.99 * draws.Length)];

        log.WriteLine($"{residualSpectrum}: Q limit {domain.QLimit:G5}, simulated 99 % quantile {simulated:G5}");
        Assert.Equal(simulated, domain.QLimit, simulated * 0.1);
    }

    [Fact]
    public void T2_and_Q_agree_with_the_pca_scores_and_reconstruction()
    {
        var rows = RandomRows(40, 12, seed: 3);
        var domain = ApplicabilityDomain.Fit(rows, 3);
        var pca = domain.Pca;
        var sample = rows[7];

        var scores = new double[3];
        pca.Transform(sample, scores);
        var reconstructed = new double[12];
        pca.Reconstruct(scores, reconstructed);
        var assessment = domain.Assess(sample);

        Assert.Equal(scores.Select((t, k) => t * t / pca.Eigenvalues[k]).Sum(), assessment.T2, 12);
        Assert.Equal(sample.Zip(reconstructed, (x, r) => (x - r) * (x - r)).Sum(), assessment.Q, 12);
        Assert.Equal(ApplicabilityDomain.DefaultConfidence, assessment.Confidence);
    }

    [Fact]
    public void Training_spectra_are_in_the_domain_at_about_the_nominal_rate()
    {
        var spectra = YamsysSpectra.Absorbances;
        foreach (var confidence in new[] { 0.95, 0.99 })
        {
            var domain = Yamsys.Value.WithConfidence(confidence);
            int inDomain = 0, t2Out = 0, qOut = 0;
            foreach (var spectrum in spectra)
            {
                var a = domain.Assess(spectrum);
                if (a.InDomain) inDomain++;
                if (a.T2 > a.T2Limit) t2Out++;
                if (a.Q > a.QLimit) qOut++;
            }
            var rate = (double)inDomain / spectra.Length;
            log.WriteLine($"{confidence:P0}: {inDomain}/{spectra.Length} in domain ({rate:P1}); T² out {t2Out}, Q out {qOut}; T² limit {domain.T2Limit:G5}, Q limit {domain.QLimit:G5}");
            // Both tests must pass: nominally confidence² of the training spectra, less for real, heavier-tailed residuals.
            Assert.InRange(rate, confidence * confidence - 0.07, 1.0);
            Assert.True(t2Out > 0 && qOut > 0, "limits that exclude no training spectrum are suspiciously loose");
        }
    }

    [Fact]
    public void Held_out_soils_are_mostly_in_the_domain()
    {
        var ids = YamsysSpectra.SampleIds;
        var soils = ids.Distinct().Order(StringComparer.Ordinal).ToArray();
        var heldOut = soils.Where((_, i) => i % 5 == 0).ToHashSet();
        var train = YamsysSpectra.Absorbances.Where((_, i) => !heldOut.Contains(ids[i])).ToArray();
        var test = YamsysSpectra.Absorbances.Where((_, i) => heldOut.Contains(ids[i])).ToArray();

        var domain = ApplicabilityDomain.Fit(train, 10);
        var rate = test.Count(s => domain.Assess(s).InDomain) / (double)test.Length;

        log.WriteLine($"held-out soils: {rate:P1} of {test.Length} spectra in domain at 99 %");
        Assert.True(rate >= 0.8, $"only {rate:P1} of held-out spectra in domain");
    }

    [Fact]
    public void Scaled_spectrum_is_out_of_the_domain_on_Q()
    {
        var spectrum = YamsysSpectra.Absorbances[0].Select(v => 3 * v).ToArray();

        var a = Yamsys.Value.Assess(spectrum);

        log.WriteLine($"×3: T² {a.T2:G4} (limit {a.T2Limit:G4}), Q {a.Q:G4} (limit {a.QLimit:G4})");
        Assert.False(a.InDomain);
        Assert.True(a.Q > a.QLimit);
    }

    [Fact]
    public void Spectrum_with_a_foreign_band_is_out_of_the_domain_on_Q()
    {
        var wavenumbers = YamsysSpectra.Wavenumbers;
        var spectrum = YamsysSpectra.Absorbances[0]
            .Select((v, j) => v + 0.3 * Math.Exp(-Math.Pow((wavenumbers[j] - 2250) / 15, 2)))
            .ToArray();

        var a = Yamsys.Value.Assess(spectrum);

        log.WriteLine($"band: T² {a.T2:G4} (limit {a.T2Limit:G4}), Q {a.Q:G4} (limit {a.QLimit:G4})");
        Assert.False(a.InDomain);
        Assert.True(a.Q > a.QLimit);
    }

    [Fact]
    public void Rebuilt_from_stored_arrays_assesses_identically()
    {
        var domain = Yamsys.Value;
        var pca = domain.Pca;
        var json = JsonSerializer.Serialize(new
        {
            pca.Mean, pca.Scale, pca.Loadings, pca.Eigenvalues, pca.TotalVariance, pca.SampleCount,
            domain.ResidualEigenvalues, domain.Confidence,
        });
        var stored = JsonSerializer.Deserialize<StoredDomain>(json)!;

        var rebuilt = new ApplicabilityDomain(
            new Pca(stored.Mean, stored.Scale, stored.Loadings, stored.Eigenvalues, stored.TotalVariance, stored.SampleCount),
            stored.ResidualEigenvalues, stored.Confidence);

        Assert.Equal(domain.Assess(YamsysSpectra.Absorbances[3]), rebuilt.Assess(YamsysSpectra.Absorbances[3]));
    }

    [Fact]
    public void Bad_input_is_an_argument_exception()
    {
        var domain = Yamsys.Value;
        Assert.Throws<ArgumentException>(() => domain.Assess(new double[1715]));
        Assert.Throws<ArgumentOutOfRangeException>(() => domain.WithConfidence(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => domain.WithConfidence(0));
        Assert.Throws<ArgumentException>(() => new ApplicabilityDomain(domain.Pca, [0.0, 0.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApplicabilityDomain(domain.Pca, [1.0, -1.0]));
        Assert.False(domain.Assess(Enumerable.Repeat(double.NaN, 1716).ToArray()).InDomain);
    }

    private static double[][] RandomRows(int rows, int features, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, features).Select(_ => random.NextDouble()).ToArray()).ToArray();
    }

    private sealed record StoredDomain(
        double[] Mean, double[]? Scale, double[][] Loadings, double[] Eigenvalues, double TotalVariance, int SampleCount,
        double[] ResidualEigenvalues, double Confidence);
}
