using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace MidirEdge.Models.Trees;

/// <summary>Gradient-boosted regression trees (ML.NET FastTree, least squares); setting s is the s-th (trees, leaves) pair, smallest ensemble first.</summary>
/// <param name="grid">The (trees, leaves) pairs cross-validated; by default 100 × 4, 200 × 8 and 400 × 16.</param>
public sealed class GbtLearner((int Trees, int Leaves)[]? grid = null) : TreeLearner
{
    private readonly (int Trees, int Leaves)[] _grid = [.. (grid ?? [(100, 4), (200, 8), (400, 16)]).OrderBy(g => g.Trees * g.Leaves)];

    /// <summary>Shrinkage of every tree's contribution.</summary>
    private const double LearningRate = 0.05;

    /// <summary>Fewest training rows in a leaf: with ~3 replicates per soil, a leaf always spans more than one soil.</summary>
    private const int MinimumRowsPerLeaf = 5;

    /// <inheritdoc />
    public override string Name => "gbt";

    /// <inheritdoc />
    public override int Settings(int rows, int features) => _grid.Length;

    /// <summary>The setting as trees×leaves, e.g. <c>200×8</c>.</summary>
    public override string Describe(int setting) => $"{_grid[setting].Trees}×{_grid[setting].Leaves}";

    private protected override IEstimator<ITransformer> Trainer(MLContext context, int setting) =>
        context.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = _grid[setting].Trees,
            NumberOfLeaves = _grid[setting].Leaves,
            LearningRate = LearningRate,
            MinimumExampleCountPerLeaf = MinimumRowsPerLeaf,
            NumberOfThreads = 1,
        });
}
