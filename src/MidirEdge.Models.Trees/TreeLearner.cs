using Microsoft.ML;
using Microsoft.ML.Data;
using MidirEdge.Models.Learners;

namespace MidirEdge.Models.Trees;

/// <summary>
/// A tree ensemble learner trained with ML.NET on float features; the final model is exported as an ONNX graph
/// (<see cref="TreeEnsembleModel"/>), so the device predicts with ONNX Runtime alone.
/// </summary>
/// <remarks>Each fit uses its own seeded context and one thread: folds run in parallel and repeat exactly.</remarks>
public abstract class TreeLearner : ILearner
{
    /// <summary>Seed of every fit, so a build repeats exactly.</summary>
    private const int Seed = 20261124;

    /// <summary>Most principal components of the descriptors the applicability domain of a tree model checks.</summary>
    private const int DomainComponents = 20;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract int Settings(int rows, int features);

    /// <inheritdoc />
    public abstract string Describe(int setting);

    /// <summary>The ML.NET trainer of one setting.</summary>
    private protected abstract IEstimator<ITransformer> Trainer(MLContext context, int setting);

    /// <inheritdoc />
    public double[][] FitPredict(double[][] trainX, double[] trainY, double[][] testX, int settings)
    {
        var predictions = new double[settings][];
        for (var s = 0; s < settings; s++)
        {
            var context = new MLContext(Seed);
            var model = Trainer(context, s).Fit(TreeData.Labelled(trainX, trainY));
            var scores = model.Transform(TreeData.Unlabelled(testX)).GetColumn<float>(TreeData.Score);
            predictions[s] = [.. scores.Select(v => (double)v)];
        }
        return predictions;
    }

    /// <inheritdoc />
    public LearnedModel Fit(double[][] x, double[] y, int setting)
    {
        var context = new MLContext(Seed);
        var model = Trainer(context, setting).Fit(TreeData.Labelled(x, y));
        using var graph = new MemoryStream();
        context.Model.ConvertToOnnx(model, TreeData.Unlabelled(x), graph, TreeData.Score);
        var bytes = graph.ToArray();
        // The exporter names the graph's tensors; read them back rather than assume its naming.
        using var probe = Onnx.OnnxModel.Load(bytes, $"{Name} export");
        var artefact = new TreeEnsembleArtefact(Math.Min(x[0].Length, DomainComponents), probe.Inputs.Single().Name, probe.Outputs.Single().Name, bytes);
        return new TreeEnsembleModel(artefact, $"{Name} export");
    }
}
