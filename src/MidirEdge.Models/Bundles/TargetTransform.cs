using System.Text.Json.Serialization;

namespace MidirEdge.Models.Bundles;

/// <summary>The scale a model was fitted on: its predictions are back-transformed to the target's unit.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TargetTransform>))]
public enum TargetTransform
{
    /// <summary>The target as measured.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>ln(1 + y), for skewed non-negative targets; back-transformed by exp(z) − 1.</summary>
    [JsonStringEnumMemberName("log1p")]
    Log1p,
}

/// <summary>Forward and back transforms of <see cref="TargetTransform"/>.</summary>
public static class TargetTransforms
{
    /// <summary>The value on the model's scale.</summary>
    public static double Forward(this TargetTransform transform, double value) => transform switch
    {
        TargetTransform.Log1p => Math.Log(1 + value),
        _ => value,
    };

    /// <summary>The value in the target's unit.</summary>
    public static double Inverse(this TargetTransform transform, double value) => transform switch
    {
        TargetTransform.Log1p => Math.Exp(value) - 1,
        _ => value,
    };
}
