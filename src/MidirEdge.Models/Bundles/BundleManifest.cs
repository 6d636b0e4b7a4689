using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MidirEdge.Spectra.Preprocessing;

namespace MidirEdge.Models.Bundles;

/// <summary>The <c>manifest.json</c> of a model bundle: identity, targets, input contract, models and file hashes.</summary>
public sealed record BundleManifest
{
    /// <summary>The format string this version writes and reads.</summary>
    public const string CurrentFormat = "midir-edge/model-bundle/1";

    /// <summary>Bundle format and version, <see cref="CurrentFormat"/>.</summary>
    public required string Format { get; init; }

    /// <summary>Stable identifier, e.g. <c>demo-yamsys-C</c>; one bundle id is one deployable model.</summary>
    public required string Id { get; init; }

    /// <summary>Human-readable name.</summary>
    public required string Name { get; init; }

    /// <summary>Semantic version (major.minor.patch).</summary>
    public required string Version { get; init; }

    /// <summary>When the bundle was built (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Who built it.</summary>
    public ImmutableArray<string> Authors { get; init; } = [];

    /// <summary>What the models are for and where they are valid.</summary>
    public string? Description { get; init; }

    /// <summary>The properties the bundle predicts.</summary>
    public required ImmutableArray<TargetInfo> Targets { get; init; }

    /// <summary>What a spectrum must be for the bundle to accept it.</summary>
    public required InputSpec Input { get; init; }

    /// <summary>The models; each predicts one or more targets from its own feature pipeline.</summary>
    public required ImmutableArray<ModelEntry> Models { get; init; }

    /// <summary>SHA-256 (lower-case hex) of every other file in the bundle, by file name.</summary>
    public required ImmutableSortedDictionary<string, string> Files { get; init; }

    /// <summary>JSON settings of manifests and artefacts: camelCase, enums as text, indented.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(PreprocessingPipeline.JsonOptions)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        // The pipelines' own metadata first: it alone may call the steps' internal JSON constructors.
        TypeInfoResolver = JsonTypeInfoResolver.Combine(PreprocessingPipeline.JsonOptions.TypeInfoResolver, BundleJsonContext.Default),
    };
}

/// <summary>A predicted property: name, unit and the range the training data covered.</summary>
public sealed record TargetInfo(string Name, string? Unit = null, string? Description = null, double? Min = null, double? Max = null);

/// <summary>The input contract as the manifest writes it: x unit and y kind, and the grid (ascending or descending) spectra are resampled onto; <see cref="Prediction.InputContract"/> is its parsed form.</summary>
public sealed record InputSpec(string XUnit, string YKind, ImmutableArray<double> Grid, InterpolationMethod Interpolation = InterpolationMethod.Linear);

/// <summary>One model in a bundle: its targets, feature pipeline, model artefact, applicability domain and training summary.</summary>
public sealed record ModelEntry
{
    /// <summary>Targets this model predicts, in the order of its outputs.</summary>
    public required ImmutableArray<string> Targets { get; init; }

    /// <summary>How features are computed from the spectrum on the input grid.</summary>
    public required FeatureSpec Features { get; init; }

    /// <summary>The model artefact.</summary>
    public required ModelSpec Model { get; init; }

    /// <summary>The applicability domain artefact.</summary>
    public required DomainSpec Domain { get; init; }

    /// <summary>How the model was trained and validated.</summary>
    public TrainingSummary? Training { get; init; }

    /// <summary>Conformal prediction interval of each target, if the builder calibrated one.</summary>
    public IntervalSpec? Interval { get; init; }

    /// <summary>Quality of the model's predictions; absent: judged from <see cref="Training"/> statistics by <see cref="Prediction.ModelSkill"/>.</summary>
    public Prediction.PredictionQuality? Quality { get; init; }
}

/// <summary>The feature pipeline: preprocessing, then optional scattering, then optional PCA.</summary>
public sealed record FeatureSpec(PreprocessingPipeline Preprocessing, ScatteringSpec? Scattering = null, string? PcaFile = null);

/// <summary>Scattering parameters with Kymatio semantics, and the post-processing applied to its output.</summary>
/// <param name="J">Maximum scale 2^J.</param>
/// <param name="Q">Wavelets per octave, first and second order.</param>
/// <param name="T">Averaging scale (Kymatio's default 2^J when absent).</param>
/// <param name="MaxOrder">1 or 2.</param>
/// <param name="Kymatio">Kymatio version the model was trained with: <c>0.3</c> or <c>0.4</c>.</param>
/// <param name="Log">Take ln(1 + LogScale·x) of every coefficient.</param>
/// <param name="LogScale">Scale inside the logarithm.</param>
/// <param name="NormaliseOrder2">Divide order-2 paths by their parent order-1 path.</param>
/// <param name="IncludeOrder0">Keep the order-0 path when flattening.</param>
public sealed record ScatteringSpec(int J, ImmutableArray<int> Q, int? T = null, int MaxOrder = 2, string Kymatio = "0.3",
    bool Log = false, double LogScale = 1.0, bool NormaliseOrder2 = false, bool IncludeOrder0 = true);

/// <summary>The model artefact: <c>pls</c> (a linear model in <see cref="File"/>), <c>mbl</c>, <c>gpr</c>, <c>onnx</c> (a network) or <c>ensemble</c>.</summary>
/// <param name="Kind"><c>pls</c>, <c>mbl</c>, <c>gpr</c>, <c>onnx</c> or <c>ensemble</c>.</param>
/// <param name="File">Artefact file name in the bundle.</param>
/// <param name="Input">ONNX input name.</param>
/// <param name="Outputs">ONNX outputs mapped to targets.</param>
public sealed record ModelSpec(string Kind, string File, string? Input = null, ImmutableArray<OutputMapping>? Outputs = null)
{
    /// <summary>Scale the model was fitted on (absent: the target as measured); predictions are back-transformed.</summary>
    public TargetTransform? Transform { get; init; }

    /// <summary>
    /// Of an <c>ensemble</c>: the models it combines, each with its own feature pipeline; <see cref="File"/> is then a
    /// linear model artefact whose coefficients weigh the members' back-transformed predictions.
    /// </summary>
    public ImmutableArray<MemberSpec>? Members { get; init; }
}

/// <summary>A member of an ensemble: its feature pipeline and model (any kind but <c>ensemble</c>).</summary>
public sealed record MemberSpec(FeatureSpec Features, ModelSpec Model);

/// <summary>Maps column <paramref name="Column"/> of ONNX output <paramref name="Output"/> to a target.</summary>
public sealed record OutputMapping(string Target, string Output, int Column = 0);

/// <summary>The applicability domain artefact and the confidence level of its limits.</summary>
public sealed record DomainSpec(string File, double Confidence = 0.99);

/// <summary>Training data and validation statistics of one model.</summary>
/// <param name="Samples">Spectra used.</param>
/// <param name="Groups">Independent samples (soils); replicates of one group never straddle folds.</param>
/// <param name="Validation">How the statistics were obtained, e.g. "grouped 5-fold CV by sample_id".</param>
/// <param name="Components">Latent variables of a PLS model.</param>
/// <param name="Pipeline">Short name of the feature pipeline, e.g. "sg1+snv".</param>
/// <param name="Statistics">Validation statistics per target.</param>
public sealed record TrainingSummary(int Samples, int Groups, string Validation, int? Components, string? Pipeline,
    ImmutableSortedDictionary<string, ValidationStatistics> Statistics)
{
    /// <summary>Learner that fitted the model, e.g. <c>pls</c>, <c>mbl</c>, <c>gpr</c>.</summary>
    public string? Learner { get; init; }
}

/// <summary>Validation statistics of one target.</summary>
public sealed record ValidationStatistics(double Rmse, double R2, double Bias, double Rpd, double Rpiq)
{
    /// <summary>Lin's concordance correlation coefficient.</summary>
    public double? Ccc { get; init; }

    /// <summary>Standard deviation of each statistic over repeated cross-validation, when it was repeated.</summary>
    public ValidationStatistics? Sd { get; init; }
}
