using MidirEdge.Models.Bundles;
using MidirEdge.Models.Onnx;

namespace MidirEdge.Models.Learners;

/// <summary>
/// Gradient-boosted trees or a random forest, fitted by the builder (ML.NET) and stored as an ONNX tree-ensemble graph;
/// the device runs the graph with ONNX Runtime, so it needs no training library. Thread-safe; dispose to free the session.
/// </summary>
public sealed class TreeEnsembleModel : LearnedModel, IDisposable
{
    private readonly OnnxModel _graph;

    /// <summary>Loads the graph of <paramref name="artefact"/> and checks that it takes and gives what the artefact says.</summary>
    /// <param name="artefact">The stored ensemble.</param>
    /// <param name="source">Names the graph in errors, e.g. the bundle file it came from.</param>
    /// <exception cref="ArgumentException">The graph lacks the input or output, or their shapes do not fit one target.</exception>
    /// <exception cref="ModelException">The graph is not a valid ONNX model.</exception>
    public TreeEnsembleModel(TreeEnsembleArtefact artefact, string source)
    {
        ArgumentNullException.ThrowIfNull(artefact);
        if (artefact.Graph is not { Length: > 0 }) throw new ArgumentException("a trees model needs its ONNX graph.");
        _graph = OnnxModel.Load(artefact.Graph, source);
        try
        {
            var input = _graph.Inputs.FirstOrDefault(i => i.Name == artefact.Input)
                ?? throw new ArgumentException($"the trees graph has no input '{artefact.Input}'.");
            if (input.Shape.Count != 2 || input.FeatureCount is not > 0)
                throw new ArgumentException($"the trees graph's input '{artefact.Input}' must be [batch, features] of fixed width.");
            var output = _graph.Outputs.FirstOrDefault(o => o.Name == artefact.Output)
                ?? throw new ArgumentException($"the trees graph has no output '{artefact.Output}'.");
            if (output.FeatureCount != 1) throw new ArgumentException($"the trees graph's output '{artefact.Output}' must hold one value per row.");
            FeatureCount = input.FeatureCount.Value;
            if (artefact.Components < 1 || artefact.Components > BundleLimits.MaxComponents)
                throw new ArgumentException($"trees components must lie between 1 and {BundleLimits.MaxComponents}; it is {artefact.Components}.");
        }
        catch
        {
            _graph.Dispose();
            throw;
        }
        Artefact = artefact;
    }

    /// <summary>The stored model.</summary>
    public TreeEnsembleArtefact Artefact { get; }

    /// <inheritdoc />
    public override string Kind => "trees";

    /// <inheritdoc />
    public override int Components => Artefact.Components;

    /// <inheritdoc />
    public override int FeatureCount { get; }

    /// <inheritdoc />
    public override byte[] ToJson() => BundleWriter.ToJson(Artefact);

    /// <inheritdoc />
    public override double Predict(double[] input)
    {
        if (input.Length != FeatureCount) throw new ArgumentException($"the trees model takes {FeatureCount} features; got {input.Length}.", nameof(input));
        return _graph.Run(Artefact.Input, [input])[Artefact.Output][0][0];
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _graph.Dispose();
}
