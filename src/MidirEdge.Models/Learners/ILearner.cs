namespace MidirEdge.Models.Learners;

/// <summary>A regression method the builder cross-validates and fits on a feature matrix (rows × features).</summary>
/// <remarks>Implementations are stateless, so folds can be cross-validated in parallel.</remarks>
public interface ILearner
{
    /// <summary>Short name used in training summaries and on the command line, e.g. <c>pls</c>.</summary>
    string Name { get; }

    /// <summary>How many hyper-parameter settings are cross-validated for training sets of at least <paramref name="rows"/> rows of <paramref name="features"/> features; setting 0 is the simplest.</summary>
    int Settings(int rows, int features);

    /// <summary>A setting in words for tables and reports, e.g. <c>8 LV</c>.</summary>
    string Describe(int setting);

    /// <summary>Fits on the training rows and predicts the test rows for settings 0…<paramref name="settings"/> − 1: result[setting][test row].</summary>
    double[][] FitPredict(double[][] trainX, double[] trainY, double[][] testX, int settings);

    /// <summary>Fits the final model with one setting.</summary>
    LearnedModel Fit(double[][] x, double[] y, int setting);
}
