namespace MidirEdge.Models.Learners;

/// <summary>A tree ensemble as stored in a bundle (<c>*.trees.json</c>): an ONNX graph that ONNX Runtime runs on the device.</summary>
/// <param name="Components">Principal components of the descriptors the applicability domain checks.</param>
/// <param name="Input">Name of the graph's float input [batch, features] that takes the model input.</param>
/// <param name="Output">Name of the graph's float output [batch, 1] that holds the prediction (model scale).</param>
/// <param name="Graph">The serialised ONNX model (base64 in JSON).</param>
public sealed record TreeEnsembleArtefact(int Components, string Input, string Output, byte[] Graph);
