namespace MidirEdge.Models.Prediction;

/// <summary>A spectrum does not meet a model's input contract (x range, unit, y kind, finite values).</summary>
public sealed class InputContractException(string model, string reason) : Exception($"{model}: {reason}")
{
    /// <summary>The bundle that refused the spectrum.</summary>
    public string Model { get; } = model;

    /// <summary>Why the spectrum was refused.</summary>
    public string Reason { get; } = reason;
}
