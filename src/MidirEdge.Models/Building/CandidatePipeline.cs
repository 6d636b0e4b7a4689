using System.Collections.Immutable;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra.Preprocessing;

namespace MidirEdge.Models.Building;

/// <summary>A feature pipeline the builder can try: preprocessing, optional scattering, optional PCA, always followed by PLS.</summary>
/// <param name="Name">Short name used on the command line and in training summaries.</param>
/// <param name="Preprocessing">Preprocessing steps.</param>
/// <param name="Scattering">Scattering and its post-processing, if any.</param>
/// <param name="PcaComponents">Principal components kept before PLS; 0 for none.</param>
public sealed record CandidatePipeline(string Name, PreprocessingPipeline Preprocessing, ScatteringSpec? Scattering = null, int PcaComponents = 0)
{
    /// <summary>The feature specification without its PCA (whose data comes from fitting).</summary>
    public FeatureSpec Features => new(Preprocessing, Scattering);

    /// <summary>Absorbance as measured.</summary>
    public static CandidatePipeline Raw { get; } = new("raw", Steps());

    /// <summary>Savitzky–Golay first derivative, window 17, quadratic.</summary>
    public static CandidatePipeline FirstDerivative { get; } = new("sg1", Steps(FirstDerivativeStep));

    /// <summary>Standard normal variate.</summary>
    public static CandidatePipeline StandardNormalVariate { get; } = new("snv", Steps(new Snv()));

    /// <summary>Standard normal variate, then the Savitzky–Golay first derivative.</summary>
    public static CandidatePipeline SnvFirstDerivative { get; } = new("snv+sg1", Steps(new Snv(), FirstDerivativeStep));

    /// <summary>Savitzky–Golay smoothing (window 11, quadratic), then the standard normal variate.</summary>
    public static CandidatePipeline SmoothedStandardNormalVariate { get; } = new("sg0+snv", Steps(new SavitzkyGolay(11, 2, 0), new Snv()));

    /// <summary>Standard normal variate, then a quadratic baseline removed (SNV-detrend, Barnes et al. 1989).</summary>
    public static CandidatePipeline SnvDetrend { get; } = new("snv+dt", Steps(new Snv(), new Detrend(2)));

    /// <summary>Savitzky–Golay first derivative over a wide window (31, quadratic): less noise than <see cref="FirstDerivative"/>.</summary>
    public static CandidatePipeline WideFirstDerivative { get; } = new("sg1w31", Steps(new SavitzkyGolay(31, 2, 1)));

    /// <summary>Log-scattering (J 6, Q 8, order 2, Kymatio 0.3) of the absorbance.</summary>
    public static CandidatePipeline LogScattering { get; } = new("scat", Steps(), ScatteringDefaults);

    /// <summary>Log-scattering reduced to 20 principal components before PLS.</summary>
    public static CandidatePipeline LogScatteringPca { get; } = new("scat+pca", Steps(), ScatteringDefaults, 20);

    /// <summary>Every pipeline <c>--auto</c> tries, in this order.</summary>
    /// <remarks><see cref="LogScatteringPca"/> is left out: a PCA of the scattering coefficients in every fold took longer than all the others together and never won on yamsys.</remarks>
    public static ImmutableArray<CandidatePipeline> Auto { get; } =
        [Raw, FirstDerivative, StandardNormalVariate, SnvFirstDerivative, SmoothedStandardNormalVariate, SnvDetrend, WideFirstDerivative, LogScattering];

    /// <summary>Every named pipeline: <see cref="Auto"/> and <see cref="LogScatteringPca"/>.</summary>
    public static ImmutableArray<CandidatePipeline> Known { get; } = [.. Auto, LogScatteringPca];

    /// <summary>The named pipeline from <see cref="Known"/>.</summary>
    public static CandidatePipeline Named(string name) =>
        Known.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown pipeline '{name}'; choose one of {string.Join(", ", Known.Select(p => p.Name))}.", nameof(name));

    private static SavitzkyGolay FirstDerivativeStep => new(17, 2, 1);

    private static ScatteringSpec ScatteringDefaults => new(J: 6, Q: [8, 1], MaxOrder: 2, Kymatio: "0.3", Log: true, LogScale: 100);

    private static PreprocessingPipeline Steps(params PreprocessingStep[] steps) => new([.. steps]);
}
