using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace MidirEdge.Models.Trees;

/// <summary>Random forest (ML.NET FastForest: bagged trees on random feature subsets, averaged); setting s is the s-th leaf count, fewest first.</summary>
/// <param name="leaves">Leaves per tree cross-validated; by default 8, 16 and 32.</param>
/// <param name="trees">Trees averaged; beyond a few hundred a forest's error no longer moves.</param>
public sealed class RfLearner(int[]? leaves = null, int trees = 300) : TreeLearner
{
    private readonly int[] _leaves = [.. (leaves ?? [8, 16, 32]).Order()];

    /// <summary>Fewest training rows in a leaf: with ~3 replicates per soil, a leaf always spans more than one soil.</summary>
    private const int MinimumRowsPerLeaf = 5;

    /// <inheritdoc />
    public override string Name => "rf";

    /// <inheritdoc />
    public override int Settings(int rows, int features) => _leaves.Length;

    /// <summary>The setting as trees×leaves, e.g. <c>300×16</c>.</summary>
    public override string Describe(int setting) => $"{trees}×{_leaves[setting]}";

    private protected override IEstimator<ITransformer> Trainer(MLContext context, int setting) =>
        context.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
        {
            NumberOfTrees = trees,
            NumberOfLeaves = _leaves[setting],
            MinimumExampleCountPerLeaf = MinimumRowsPerLeaf,
            NumberOfThreads = 1,
        });
}
