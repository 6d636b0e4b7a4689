using Microsoft.ML;
using Microsoft.ML.Data;

namespace MidirEdge.Models.Trees;

/// <summary>Feature rows (and targets) as an ML.NET data view of float feature vectors, the type ML.NET's trees train on.</summary>
internal static class TreeData
{
    public const string Features = "Features";
    public const string Label = "Label";
    public const string Score = "Score";

    /// <summary>Rows with their targets, for training.</summary>
    public static IDataView Labelled(MLContext context, double[][] x, double[] y) =>
        context.Data.LoadFromEnumerable(x.Select((row, i) => new LabelledRow { Features = ToFloat(row), Label = (float)y[i] }), Schema<LabelledRow>(x));

    /// <summary>Rows without targets, for prediction and for the ONNX export, whose graph then takes only the features.</summary>
    public static IDataView Unlabelled(MLContext context, double[][] x) =>
        context.Data.LoadFromEnumerable(x.Select(row => new Row { Features = ToFloat(row) }), Schema<Row>(x));

    private static float[] ToFloat(double[] row) => Array.ConvertAll(row, v => (float)v);

    // The vector column needs its width in the schema: ML.NET's trees take only fixed-size vectors.
    private static SchemaDefinition Schema<T>(double[][] x)
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema[Features].ColumnType = new VectorDataViewType(NumberDataViewType.Single, x[0].Length);
        return schema;
    }

    private class Row
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class LabelledRow : Row
    {
        public float Label { get; set; }
    }
}
