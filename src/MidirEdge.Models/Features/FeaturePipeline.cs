using MidirEdge.Models.Bundles;
using MidirEdge.Models.Domain;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Preprocessing;

namespace MidirEdge.Models.Features;

/// <summary>Turns a spectrum on the input grid into descriptors (preprocessing, optional scattering) and those into the model's input (optional PCA).</summary>
/// <remarks>The applicability domain judges the descriptors, so a spectrum unlike the training set shows up even where a PCA would hide it.</remarks>
public sealed class FeaturePipeline
{
    private readonly PreprocessingPipeline _preprocessing;
    private readonly ScatteringFeatures? _scattering;
    private readonly Pca? _pca;

    /// <summary>Creates the pipeline; <paramref name="probe"/> is any spectrum on the input grid, used to learn the preprocessed length.</summary>
    public FeaturePipeline(FeatureSpec spec, Spectrum probe, Pca? pca = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(probe);
        _preprocessing = spec.Preprocessing;
        Spec = spec;
        PreprocessedLength = spec.Preprocessing.Apply(probe).Length;
        if (spec.Scattering is { } scattering) _scattering = new ScatteringFeatures(scattering, PreprocessedLength);
        DescriptorCount = _scattering?.FeatureCount ?? PreprocessedLength;
        if (pca is not null && pca.FeatureCount != DescriptorCount)
            throw new ArgumentException($"the PCA takes {pca.FeatureCount} features but the pipeline makes {DescriptorCount}.", nameof(pca));
        _pca = pca;
        FeatureCount = pca?.ComponentCount ?? DescriptorCount;
    }

    /// <summary>The specification this pipeline runs.</summary>
    public FeatureSpec Spec { get; }

    /// <summary>Length of the preprocessed spectrum (the scattering input, when there is one).</summary>
    public int PreprocessedLength { get; }

    /// <summary>Length of the descriptor vector: the preprocessed spectrum or its scattering coefficients.</summary>
    public int DescriptorCount { get; }

    /// <summary>The scattering stage, if the pipeline has one.</summary>
    internal ScatteringFeatures? Scattering => _scattering;

    /// <summary>Length of the model's input: PCA scores when there is a PCA, else the descriptors.</summary>
    public int FeatureCount { get; }

    /// <summary>The descriptors of one spectrum that is already on the input grid.</summary>
    public double[] Describe(Spectrum onGrid)
    {
        var preprocessed = _preprocessing.Apply(onGrid).Y.AsSpan();
        if (preprocessed.Length != PreprocessedLength)
            throw new ArgumentException($"preprocessing made {preprocessed.Length} values; the pipeline expects {PreprocessedLength}.", nameof(onGrid));
        return _scattering is null ? preprocessed.ToArray() : _scattering.Compute(preprocessed);
    }

    /// <summary>The model input for descriptors: their PCA scores, or the descriptors themselves.</summary>
    public double[] ToModelInput(double[] descriptors)
    {
        if (_pca is null) return descriptors;
        var scores = new double[_pca.ComponentCount];
        _pca.Transform(descriptors, scores);
        return scores;
    }
}
