using MidirEdge.Models.Bundles;

namespace MidirEdge.Models.Prediction;

/// <summary>Judges a model's cross-validated skill: weak below R² 0.5 or RPIQ 1.5.</summary>
public static class ModelSkill
{
    /// <summary>Cross-validated R² below which a model is weak.</summary>
    public const double MinR2 = 0.5;

    /// <summary>Cross-validated RPIQ below which a model is weak.</summary>
    public const double MinRpiq = 1.5;

    /// <summary>The quality of predictions made with this skill.</summary>
    public static PredictionQuality Judge(double r2, double rpiq) => r2 < MinR2 || rpiq < MinRpiq ? PredictionQuality.Indicative : PredictionQuality.Quantitative;

    /// <summary>The quality of a target's predictions from the model's stored statistics; quantitative when it stores none.</summary>
    public static PredictionQuality Judge(ModelEntry entry, string target) =>
        entry.Quality ?? (entry.Training?.Statistics.GetValueOrDefault(target) is { } s ? Judge(s.R2, s.Rpiq) : PredictionQuality.Quantitative);
}
