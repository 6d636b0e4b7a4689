using System.Collections.Immutable;
using System.Text.Json;
using MidirEdge.Models.Domain;
using MidirEdge.Models.Features;
using MidirEdge.Models.Learners;
using MidirEdge.Models.Onnx;
using MidirEdge.Models.Prediction;
using MidirEdge.Spectra;
using NuGet.Versioning;

namespace MidirEdge.Models.Bundles;

/// <summary>A verified, loaded model bundle: checks a spectrum against its contract and predicts every target. Thread-safe.</summary>
public sealed class ModelBundle : IDisposable
{
    private readonly LoadedModel[] _models;

    private ModelBundle(string source, BundleManifest manifest, string manifestSha256, bool signed, InputContract contract, LoadedModel[] models)
    {
        Source = source;
        Manifest = manifest;
        ManifestSha256 = manifestSha256;
        IsSigned = signed;
        Contract = contract;
        _models = models;
    }

    /// <summary>Where the bundle was loaded from.</summary>
    public string Source { get; }

    /// <summary>The bundle's manifest.</summary>
    public BundleManifest Manifest { get; }

    /// <summary>SHA-256 of manifest.json, which pins every other file through its hashes.</summary>
    public string ManifestSha256 { get; }

    /// <summary>True when a trusted key verified the bundle's signature.</summary>
    public bool IsSigned { get; }

    /// <summary>The input contract, parsed from the manifest when the bundle loaded.</summary>
    public InputContract Contract { get; }

    /// <summary>Bundle id.</summary>
    public string Id => Manifest.Id;

    /// <summary>Bundle version.</summary>
    public string Version => Manifest.Version;

    /// <summary>Bundle version, parsed for ordering.</summary>
    public SemanticVersion SemanticVersion { get; private init; } = null!;

    /// <summary>Loads and verifies a bundle from a .zip file or a directory.</summary>
    /// <exception cref="ModelException">Unreadable, tampered, unsigned when a signature is required, beyond the limits, or unsupported.</exception>
    public static ModelBundle Load(string path, BundleTrust? trust = null, CancellationToken cancellationToken = default) =>
        Load(BundleFiles.Read(path, cancellationToken), path, trust, cancellationToken);

    /// <summary>Loads and verifies a bundle from its files (name → bytes); <paramref name="source"/> names it in errors.</summary>
    public static ModelBundle Load(IReadOnlyDictionary<string, byte[]> files, string source, BundleTrust? trust = null, CancellationToken cancellationToken = default)
    {
        trust ??= BundleTrust.None;
        if (!files.TryGetValue(BundleFiles.Manifest, out var manifestBytes))
            throw new ModelException(source, "no manifest.json");
        // The signature covers the manifest's exact bytes: an untrusted manifest is refused before anything reads it.
        var signed = VerifySignature(files, manifestBytes, trust, source);
        var manifest = ManifestValidation.Parse(manifestBytes, source);
        VerifyFiles(files, manifest, source);
        var loaded = new List<LoadedModel>();
        try
        {
            var contract = InputContract.Parse(manifest.Input, source);
            var probe = Probe(contract);
            for (var i = 0; i < manifest.Models.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    loaded.Add(LoadModel(manifest.Models[i], manifest, files, probe, source));
                }
                catch (Exception ex) when (ex is ArgumentException or JsonException or InvalidOperationException)
                {
                    throw new ModelException(source, $"models[{i}]: unsupported pipeline: {LibraryMessage.Of(ex.Message)}", ex);
                }
            }
            return new ModelBundle(source, manifest, BundleFiles.Sha256(manifestBytes), signed, contract, [.. loaded])
            {
                SemanticVersion = SemanticVersion.Parse(manifest.Version),
            };
        }
        catch (Exception ex)
        {
            foreach (var model in loaded) model.Dispose();
            if (ex is ModelException or OperationCanceledException or OutOfMemoryException) throw;
            // Whatever else a bundle provokes refuses that bundle; it never escapes as an unexplained crash.
            throw new ModelException(source, $"could not be loaded ({ex.GetType().Name}): {LibraryMessage.Of(ex.Message)}", ex);
        }
    }

    /// <summary>Predicts every target of the bundle for one spectrum.</summary>
    /// <exception cref="InputContractException">The spectrum does not meet the input contract.</exception>
    public IReadOnlyList<TargetPrediction> Predict(Spectrum spectrum) => Predict(new InputSpectrum(spectrum));

    /// <summary>Predicts every target of the bundle for one spectrum, read in wavenumbers once for every bundle.</summary>
    /// <exception cref="InputContractException">The spectrum does not meet the input contract.</exception>
    public IReadOnlyList<TargetPrediction> Predict(InputSpectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var onGrid = Contract.ToGrid(spectrum);
        var predictions = new List<TargetPrediction>();
        foreach (var model in _models)
        {
            var descriptors = model.Features.Describe(onGrid);
            var domain = model.Domain.Assess(descriptors);
            var values = new double[model.Targets.Length];
            model.Predict(onGrid, descriptors, values);
            for (var t = 0; t < model.Targets.Length; t++) predictions.Add(model.Output.Predict(t, values[t], Manifest.Id, Manifest.Version, domain));
        }
        return predictions;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in _models) model.Dispose();
    }

    private static void VerifyFiles(IReadOnlyDictionary<string, byte[]> files, BundleManifest manifest, string source)
    {
        foreach (var (name, expected) in manifest.Files)
        {
            if (!files.TryGetValue(name, out var data)) throw new ModelException(source, $"file '{name}' listed in the manifest is missing");
            var actual = BundleFiles.Sha256(data);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new ModelException(source, $"file '{name}' has SHA-256 {actual} but the manifest says {expected}: the bundle was altered");
        }
        foreach (var name in files.Keys)
            if (name is not (BundleFiles.Manifest or BundleFiles.Signature) && !manifest.Files.ContainsKey(name))
                throw new ModelException(source, $"file '{name}' is not listed in the manifest");
    }

    private static bool VerifySignature(IReadOnlyDictionary<string, byte[]> files, byte[] manifest, BundleTrust trust, string source)
    {
        if (!files.TryGetValue(BundleFiles.Signature, out var signatureText))
        {
            if (trust.RequireSignature) throw new ModelException(source, "the bundle is not signed and a signature is required");
            return false;
        }
        if (!trust.HasKeys) return false;
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(signatureText).Trim());
        }
        catch (FormatException)
        {
            throw new ModelException(source, "manifest.sig is not base64");
        }
        if (!trust.Verifies(manifest, signature))
            throw new ModelException(source, "the signature does not verify with any trusted key");
        return true;
    }

    private static LoadedModel LoadModel(ModelEntry entry, BundleManifest manifest, IReadOnlyDictionary<string, byte[]> files, Spectrum probe, string source)
    {
        if (entry.Targets.IsDefaultOrEmpty) throw new ModelException(source, "a model lists no targets");
        var targets = entry.Targets.Select(name => manifest.Targets.FirstOrDefault(t => t.Name == name)
            ?? throw new ModelException(source, $"model target '{name}' is not among the bundle's targets")).ToArray();
        var features = Pipeline(entry.Features, files, probe, source);
        var members = new List<EnsembleMember>();
        IRegressor? regressor = null;
        try
        {
            if (entry.Model.Kind == "ensemble")
            {
                if (targets.Length != 1) throw new ModelException(source, $"an ensemble predicts one target; the manifest gives it {targets.Length}");
                foreach (var member in entry.Model.Members ?? [])
                {
                    var memberFeatures = Pipeline(member.Features, files, probe, source);
                    members.Add(new EnsembleMember(memberFeatures, Regressor(member.Model, entry.Targets, memberFeatures, files, source),
                        member.Model.Transform ?? TargetTransform.None));
                }
                regressor = new LinearRegressor(Artefact<LinearModelArtefact>(files, entry.Model.File, source), 1);
                if (regressor.FeatureCount != members.Count)
                    throw new ModelException(source, $"the ensemble weighs {regressor.FeatureCount} members but lists {members.Count}");
            }
            else regressor = Regressor(entry.Model, entry.Targets, features, files, source);
            var domain = Artefact<DomainArtefact>(files, entry.Domain.File, source).ToDomain(entry.Domain.Confidence);
            if (domain.Pca.FeatureCount != features.DescriptorCount)
                throw new ModelException(source, $"the applicability domain takes {domain.Pca.FeatureCount} features but the pipeline makes {features.DescriptorCount}");
            return new LoadedModel(targets, features, regressor, [.. members], domain, new ModelOutput(entry, targets, source));
        }
        catch
        {
            regressor?.Dispose();
            foreach (var member in members) member.Regressor.Dispose();
            throw;
        }
    }

    private static FeaturePipeline Pipeline(FeatureSpec spec, IReadOnlyDictionary<string, byte[]> files, Spectrum probe, string source)
    {
        var pca = spec.PcaFile is { } pcaFile ? Artefact<PcaArtefact>(files, pcaFile, source).ToPca() : null;
        return new FeaturePipeline(spec, probe, pca);
    }

    // The regressor of a single model, checked against the pipeline that feeds it.
    private static IRegressor Regressor(ModelSpec model, ImmutableArray<string> targets, FeaturePipeline features, IReadOnlyDictionary<string, byte[]> files, string source)
    {
        IRegressor regressor = model.Kind switch
        {
            "pls" => new LinearRegressor(Artefact<LinearModelArtefact>(files, model.File, source), targets.Length),
            "onnx" => new OnnxRegressor(OnnxModel.Load(Required(files, model.File, source), $"{source}:{model.File}"),
                model.Input ?? throw new ModelException(source, "an onnx model needs an input name"),
                targets, model.Outputs ?? []),
            "mbl" => new LearnedRegressor(new MblModel(Artefact<MblArtefact>(files, model.File, source)), targets.Length),
            "gpr" => new LearnedRegressor(new GprModel(Artefact<GprArtefact>(files, model.File, source)), targets.Length),
            "trees" => new LearnedRegressor(new TreeEnsembleModel(Artefact<TreeEnsembleArtefact>(files, model.File, source), $"{source}:{model.File}"), targets.Length),
            _ => throw new ModelException(source, $"model kind '{model.Kind}' is not supported (pls, mbl, gpr, trees, onnx or ensemble)"),
        };
        if (regressor.FeatureCount >= 0 && regressor.FeatureCount != features.FeatureCount)
        {
            regressor.Dispose();
            throw new ModelException(source, $"the {model.Kind} model takes {regressor.FeatureCount} features but its pipeline makes {features.FeatureCount}");
        }
        return regressor;
    }

    private static Spectrum Probe(InputContract contract)
    {
        var x = contract.Grid.ToArray();
        var y = new double[x.Length];
        for (var i = 0; i < y.Length; i++) y[i] = 0.5 + 0.25 * Math.Sin(i * 0.1);
        return Spectrum.Create(x, y, contract.XUnit, contract.YKind);
    }

    private static byte[] Required(IReadOnlyDictionary<string, byte[]> files, string name, string source) =>
        files.TryGetValue(name, out var data) ? data : throw new ModelException(source, $"artefact '{name}' is missing");

    private static T Artefact<T>(IReadOnlyDictionary<string, byte[]> files, string name, string source)
    {
        var json = Required(files, name, source);
        try
        {
            return ArtefactValidation.Check(JsonSerializer.Deserialize<T>(json, BundleManifest.JsonOptions)
                ?? throw new ModelException(source, $"artefact '{name}' is empty"), name, source);
        }
        catch (JsonException ex)
        {
            throw new ModelException(source, $"{name}: {ManifestValidation.JsonError(ex, json)}", ex);
        }
    }

    /// <summary>A loaded model; an ensemble's regressor weighs its members' predictions, a single model's takes its pipeline's input.</summary>
    private sealed record LoadedModel(TargetInfo[] Targets, FeaturePipeline Features, IRegressor Regressor, EnsembleMember[] Members, ApplicabilityDomain Domain,
        ModelOutput Output)
    {
        public void Predict(Spectrum onGrid, double[] descriptors, Span<double> values)
        {
            if (Members.Length == 0)
            {
                Regressor.Predict(Features.ToModelInput(descriptors), values);
                return;
            }
            var inputs = new double[Members.Length];
            for (var m = 0; m < Members.Length; m++) inputs[m] = Members[m].Predict(onGrid);
            Regressor.Predict(inputs, values);
        }

        public void Dispose()
        {
            Regressor.Dispose();
            foreach (var member in Members) member.Regressor.Dispose();
        }
    }

    /// <summary>A member of an ensemble: its own pipeline and one-target regressor; its prediction is back-transformed to the target's unit.</summary>
    private sealed record EnsembleMember(FeaturePipeline Features, IRegressor Regressor, TargetTransform Transform)
    {
        public double Predict(Spectrum onGrid)
        {
            Span<double> value = stackalloc double[1];
            Regressor.Predict(Features.ToModelInput(Features.Describe(onGrid)), value);
            return Transform.Inverse(value[0]);
        }
    }
}
