namespace MidirEdge.Models.Onnx;

/// <summary>Name, element type and shape of one model input or output.</summary>
/// <param name="Name">Tensor name in the graph.</param>
/// <param name="ElementType">CLR element type (e.g. <see cref="float"/>).</param>
/// <param name="Shape">Dimensions; -1 marks a dynamic dimension (usually the batch).</param>
public sealed record OnnxTensorInfo(string Name, Type ElementType, IReadOnlyList<int> Shape)
{
    /// <summary>Values per batch row (product of the non-batch dimensions), or null when one of them is dynamic.</summary>
    public int? FeatureCount
    {
        get
        {
            if (Shape.Count < 2) return Shape.Count == 1 ? 1 : null;
            var count = 1;
            for (var i = 1; i < Shape.Count; i++)
            {
                if (Shape[i] < 0) return null;
                count *= Shape[i];
            }
            return count;
        }
    }
}
