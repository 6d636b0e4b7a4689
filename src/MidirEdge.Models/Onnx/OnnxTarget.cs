namespace MidirEdge.Models.Onnx;

/// <summary>Maps a prediction target (e.g. soil C) to one column of a named model output.</summary>
/// <param name="Name">Target name, e.g. "C".</param>
/// <param name="Output">Model output that holds it.</param>
/// <param name="Column">Column of that output (0 for a single-valued output).</param>
public sealed record OnnxTarget(string Name, string Output, int Column = 0);
