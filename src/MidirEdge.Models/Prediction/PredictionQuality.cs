using System.Text.Json.Serialization;

namespace MidirEdge.Models.Prediction;

/// <summary>How far a prediction can be trusted as a number, from the model's cross-validated skill.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PredictionQuality>))]
public enum PredictionQuality
{
    /// <summary>The model met the skill thresholds (<see cref="ModelSkill"/>), or declares no statistics.</summary>
    [JsonStringEnumMemberName("quantitative")]
    Quantitative,

    /// <summary>The model is weak: use the value to rank or screen, not as a measurement.</summary>
    [JsonStringEnumMemberName("indicative")]
    Indicative,
}
