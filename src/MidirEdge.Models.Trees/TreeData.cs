using Microsoft.ML;
using Microsoft.ML.Data;

namespace MidirEdge.Models.Trees;

/// <summary>
/// Feature rows (and targets) as an ML.NET data view of float feature vectors, the type ML.NET's trees train on.
/// Written by hand because ML.NET's <c>LoadFromEnumerable</c> generates its row getters with Reflection.Emit, which the
/// Native AOT package cannot run.
/// </summary>
internal sealed class TreeData : IDataView
{
    public const string Features = "Features";
    public const string Label = "Label";
    public const string Score = "Score";

    private readonly double[][] _x;
    private readonly double[]? _y;

    private TreeData(double[][] x, double[]? y)
    {
        _x = x;
        _y = y;
        // The vector column needs its width in the schema: ML.NET's trees take only fixed-size vectors.
        var schema = new DataViewSchema.Builder();
        schema.AddColumn(Features, new VectorDataViewType(NumberDataViewType.Single, x[0].Length));
        if (y is not null) schema.AddColumn(Label, NumberDataViewType.Single);
        Schema = schema.ToSchema();
    }

    /// <summary>Rows with their targets, for training.</summary>
    public static IDataView Labelled(double[][] x, double[] y) => new TreeData(x, y);

    /// <summary>Rows without targets, for prediction and for the ONNX export, whose graph then takes only the features.</summary>
    public static IDataView Unlabelled(double[][] x) => new TreeData(x, null);

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _x.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    /// <summary>The rows in order, each feature rounded to float as the trees take it.</summary>
    private sealed class Cursor(TreeData data) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => data.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 < data._x.Length)
            {
                _position++;
                return true;
            }
            _position = -1;
            return false;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Name switch
            {
                Features => (ValueGetter<VBuffer<float>>)ReadFeatures,
                Label => (ValueGetter<float>)ReadLabel,
                _ => throw new ArgumentOutOfRangeException(nameof(column), column.Name, "not a column of the feature rows"),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"column {column.Name} is {column.Type}, not {typeof(TValue).Name}");
        }

        private void ReadFeatures(ref VBuffer<float> value)
        {
            var row = data._x[_position];
            var editor = VBufferEditor.Create(ref value, row.Length);
            for (var i = 0; i < row.Length; i++) editor.Values[i] = (float)row[i];
            value = editor.Commit();
        }

        private void ReadLabel(ref float value) => value = (float)data._y![_position];
    }
}
