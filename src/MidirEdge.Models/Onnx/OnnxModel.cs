using System.Buffers;
using System.Numerics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MidirEdge.Models.Onnx;

/// <summary>
/// An ONNX model run with ONNX Runtime on batches of feature rows (one spectrum or feature vector per row).
/// Thread-safe: <see cref="Run(string, IReadOnlyList{double[]})"/> may be called concurrently; dispose once when done.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _outputNames;

    private OnnxModel(string source, InferenceSession session)
    {
        Source = source;
        _session = session;
        Inputs = Describe(session.InputNames, session.InputMetadata);
        Outputs = Describe(session.OutputNames, session.OutputMetadata);
        _outputNames = [.. session.OutputNames];
    }

    /// <summary>File name or label the model was loaded from; used in error messages.</summary>
    public string Source { get; }

    /// <summary>Graph inputs, in graph order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    /// <summary>Graph outputs, in graph order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>Loads a model from an .onnx file.</summary>
    /// <param name="path">Path of the .onnx file.</param>
    /// <param name="intraOpThreads">Threads ONNX Runtime may use inside one operator; 1 suits a small edge device.</param>
    /// <exception cref="ModelException">The file is missing or is not a valid ONNX model.</exception>
    public static OnnxModel Load(string path, int intraOpThreads = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        if (!File.Exists(path)) throw new ModelException(path, "file not found");
        using var options = CreateOptions(intraOpThreads);
        return Create(path, () => new InferenceSession(path, options));
    }

    /// <summary>Loads a model from the bytes of an .onnx file.</summary>
    /// <param name="model">Serialized ONNX model.</param>
    /// <param name="source">Name used in error messages, e.g. the bundle entry it came from.</param>
    /// <param name="intraOpThreads">Threads ONNX Runtime may use inside one operator; 1 suits a small edge device.</param>
    /// <exception cref="ModelException">The bytes are not a valid ONNX model.</exception>
    public static OnnxModel Load(byte[] model, string source, int intraOpThreads = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        if (model.Length == 0) throw new ModelException(source, "model is empty");
        using var options = CreateOptions(intraOpThreads);
        return Create(source, () => new InferenceSession(model, options));
    }

    /// <summary>Runs the model on a batch of rows fed to one named input; returns every output as rows (batch × values).</summary>
    /// <param name="input">Name of the graph input the rows feed.</param>
    /// <param name="rows">One row per sample, each with <see cref="OnnxTensorInfo.FeatureCount"/> values.</param>
    /// <returns>Each output name mapped to its rows; a row holds the output's values for one sample.</returns>
    /// <exception cref="ModelException">Unknown input, rows of the wrong width, or inference failed.</exception>
    public IReadOnlyDictionary<string, double[][]> Run(string input, IReadOnlyList<double[]> rows) => RunCore(input, rows);

    /// <inheritdoc cref="Run(string, IReadOnlyList{double[]})"/>
    public IReadOnlyDictionary<string, double[][]> Run(string input, IReadOnlyList<float[]> rows) => RunCore(input, rows);

    /// <summary>Runs the model and picks each target's column out of its output: target name → one value per row.</summary>
    /// <param name="input">Name of the graph input the rows feed.</param>
    /// <param name="rows">One row per sample.</param>
    /// <param name="targets">Where each target lives among the outputs.</param>
    /// <exception cref="ModelException">Unknown input or output, column out of range, rows of the wrong width, or inference failed.</exception>
    public IReadOnlyDictionary<string, double[]> Predict(string input, IReadOnlyList<double[]> rows, IReadOnlyList<OnnxTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var target in targets)
        {
            ArgumentNullException.ThrowIfNull(target, nameof(targets));
            if (Array.IndexOf(_outputNames, target.Output) < 0)
                throw new ModelException(Source, $"target '{target.Name}' refers to output '{target.Output}', which the model does not have (outputs: {string.Join(", ", _outputNames)})");
        }
        var outputs = Run(input, rows);
        var predictions = new Dictionary<string, double[]>(targets.Count, StringComparer.Ordinal);
        foreach (var target in targets)
        {
            var output = outputs[target.Output];
            var values = new double[output.Length];
            for (var r = 0; r < output.Length; r++)
            {
                if ((uint)target.Column >= (uint)output[r].Length)
                    throw new ModelException(Source, $"target '{target.Name}' asks for column {target.Column} of output '{target.Output}', which has {output[r].Length} column(s)");
                values[r] = output[r][target.Column];
            }
            predictions[target.Name] = values;
        }
        return predictions;
    }

    /// <summary>Releases the native ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();

    private static SessionOptions CreateOptions(int intraOpThreads) => new()
    {
        IntraOpNumThreads = intraOpThreads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    private static OnnxModel Create(string source, Func<InferenceSession> open)
    {
        InferenceSession session;
        try
        {
            session = open();
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelException(source, $"not a valid ONNX model: {ex.Message}", ex);
        }
        return new OnnxModel(source, session);
    }

    private static OnnxTensorInfo[] Describe(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata)
    {
        var infos = new OnnxTensorInfo[names.Count];
        for (var i = 0; i < infos.Length; i++)
        {
            var node = metadata[names[i]];
            var shape = node.IsTensor ? (int[])node.Dimensions.Clone() : [];
            infos[i] = new OnnxTensorInfo(names[i], node.ElementType, Array.AsReadOnly(shape));
        }
        return infos;
    }

    private Dictionary<string, double[][]> RunCore<T>(string input, IReadOnlyList<T[]> rows) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rows);
        var info = FindInput(input);
        var shape = InputShape(info, rows);
        return info.ElementType == typeof(float) ? RunPacked<T, float>(input, rows, shape)
            : info.ElementType == typeof(double) ? RunPacked<T, double>(input, rows, shape)
            : throw new ModelException(Source, $"input '{input}' holds {info.ElementType.Name}; only float and double inputs are supported");
    }

    /// <summary>Packs the rows into a pooled buffer of the input's element type and runs the session on it.</summary>
    private Dictionary<string, double[][]> RunPacked<TIn, TOut>(string input, IReadOnlyList<TIn[]> rows, long[] shape)
        where TIn : INumberBase<TIn> where TOut : unmanaged, INumberBase<TOut>
    {
        var width = rows[0].Length;
        var count = rows.Count * width;
        var buffer = ArrayPool<TOut>.Shared.Rent(count);
        try
        {
            for (var r = 0; r < rows.Count; r++)
            {
                var row = rows[r];
                var offset = r * width;
                for (var j = 0; j < width; j++) buffer[offset + j] = TOut.CreateTruncating(row[j]);
            }
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, count), shape);
            using var options = new RunOptions();
            using var results = _session.Run(options, [input], [value], _outputNames);
            var outputs = new Dictionary<string, double[][]>(_outputNames.Length, StringComparer.Ordinal);
            for (var i = 0; i < _outputNames.Length; i++) outputs[_outputNames[i]] = Unpack(_outputNames[i], results[i]);
            return outputs;
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelException(Source, $"inference failed: {ex.Message}", ex);
        }
        finally
        {
            ArrayPool<TOut>.Shared.Return(buffer);
        }
    }

    private OnnxTensorInfo FindInput(string input)
    {
        foreach (var info in Inputs)
            if (info.Name == input) return info;
        var names = new string[Inputs.Count];
        for (var i = 0; i < names.Length; i++) names[i] = Inputs[i].Name;
        throw new ModelException(Source, $"the model has no input '{input}' (inputs: {string.Join(", ", names)})");
    }

    private long[] InputShape<T>(OnnxTensorInfo info, IReadOnlyList<T[]> rows)
    {
        if (rows.Count == 0) throw new ModelException(Source, $"no rows given for input '{info.Name}'");
        var dims = info.Shape;
        if (dims.Count == 0) throw new ModelException(Source, $"input '{info.Name}' is a scalar or non-tensor; expected a [batch, ...] tensor");
        if (dims[0] > 0 && dims[0] != rows.Count)
            throw new ModelException(Source, $"input '{info.Name}' takes a batch of exactly {dims[0]} row(s), got {rows.Count}");
        var shape = new long[dims.Count];
        shape[0] = rows.Count;
        var width = info.FeatureCount;
        if (width is null)
        {
            if (dims.Count != 2)
                throw new ModelException(Source, $"input '{info.Name}' has dynamic non-batch dimensions [{string.Join(", ", dims)}]; cannot shape rows into it");
            width = rows[0]?.Length ?? 0;
        }
        for (var i = 1; i < dims.Count; i++) shape[i] = dims[i] < 0 ? width.Value : dims[i];
        for (var r = 0; r < rows.Count; r++)
        {
            var length = rows[r]?.Length ?? throw new ArgumentException($"row {r} is null", nameof(rows));
            if (length != width)
                throw new ModelException(Source, $"row {r} has {length} value(s); input '{info.Name}' takes {width} per row");
        }
        return shape;
    }

    private double[][] Unpack(string name, OrtValue value)
    {
        if (!value.IsTensor) throw new ModelException(Source, $"output '{name}' is not a tensor; only tensor outputs are supported");
        var typeAndShape = value.GetTensorTypeAndShape();
        var shape = typeAndShape.Shape;
        var count = (int)typeAndShape.ElementCount;
        var rowCount = shape.Length == 0 ? 1 : (int)shape[0];
        var width = rowCount == 0 ? 0 : count / rowCount;
        var rows = new double[rowCount][];
        switch (typeAndShape.ElementDataType)
        {
            case TensorElementType.Float:
                var floats = value.GetTensorDataAsSpan<float>();
                for (var r = 0; r < rowCount; r++)
                {
                    var row = rows[r] = new double[width];
                    var source = floats.Slice(r * width, width);
                    for (var j = 0; j < width; j++) row[j] = source[j];
                }
                break;
            case TensorElementType.Double:
                var doubles = value.GetTensorDataAsSpan<double>();
                for (var r = 0; r < rowCount; r++) rows[r] = doubles.Slice(r * width, width).ToArray();
                break;
            default:
                throw new ModelException(Source, $"output '{name}' holds {typeAndShape.ElementDataType}; only float and double outputs are supported");
        }
        return rows;
    }
}
