using System.Text.Json;
using MidirEdge.Scattering;
using MidirEdge.Tests;

namespace MidirEdge.Scattering.Tests;

/// <summary>One Kymatio reference case (tests/fixtures/reference/scattering/&lt;version&gt;/*.json.gz).</summary>
internal sealed class KymatioReference
{
    public required string Name { get; init; }
    public required KymatioVersion Version { get; init; }
    public required ScatteringParameters Parameters { get; init; }
    public required double[][] Inputs { get; init; }
    public required double[][][] Outputs { get; init; }
    public required int[] Order { get; init; }
    public required double?[][] N { get; init; }
    public required double?[][] J { get; init; }
    public required double?[][] Xi { get; init; }
    public required double?[][] Sigma { get; init; }

    public static readonly string[] Folders = ["kymatio-0.3.0", "kymatio-0.4-dev"];

    /// <summary>Relative fixture paths of every reference case in both version folders.</summary>
    public static IEnumerable<object[]> All() =>
        Folders.SelectMany(folder => Fixtures.Files($"reference/scattering/{folder}", "*.json.gz")
            .Select(path => new object[] { $"reference/scattering/{folder}/{Path.GetFileName(path)}" }));

    public static KymatioReference Load(string relative)
    {
        using var doc = Fixtures.ReadJson(relative);
        var root = doc.RootElement;
        var version = relative.Contains("0.4", StringComparison.Ordinal) ? KymatioVersion.V0_4 : KymatioVersion.V0_3;
        var p = root.GetProperty("params");
        int q1, q2 = 1;
        var q = p.GetProperty("Q");
        if (q.ValueKind == JsonValueKind.Array)
        {
            q1 = q[0].GetInt32();
            if (q.GetArrayLength() > 1) q2 = q[1].GetInt32();
        }
        else
        {
            q1 = q.GetInt32();
        }
        int? t = p.TryGetProperty("T", out var tValue) && tValue.ValueKind == JsonValueKind.Number ? tValue.GetInt32() : null;
        var maxOrder = p.TryGetProperty("max_order", out var mo) ? mo.GetInt32() : 2;
        var parameters = new ScatteringParameters(p.GetProperty("J").GetInt32(), p.GetProperty("shape").GetInt32(), q1, q2, t, maxOrder, version: version);

        var input = root.GetProperty("input");
        var output = root.GetProperty("output");
        double[][] inputs;
        double[][][] outputs;
        if (input[0].ValueKind == JsonValueKind.Array)
        {
            inputs = input.EnumerateArray().Select(Vector).ToArray();
            outputs = output.EnumerateArray().Select(Matrix).ToArray();
        }
        else
        {
            inputs = [Vector(input)];
            outputs = [Matrix(output)];
        }

        var meta = root.GetProperty("meta");
        return new KymatioReference
        {
            Name = relative,
            Version = version,
            Parameters = parameters,
            Inputs = inputs,
            Outputs = outputs,
            Order = meta.GetProperty("order").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            N = NullableMatrix(meta.GetProperty("n")),
            J = NullableMatrix(meta.GetProperty("j")),
            Xi = NullableMatrix(meta.GetProperty("xi")),
            Sigma = NullableMatrix(meta.GetProperty("sigma")),
        };
    }

    private static double[] Vector(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static double[][] Matrix(JsonElement e) => e.EnumerateArray().Select(Vector).ToArray();

    private static double?[][] NullableMatrix(JsonElement e) =>
        e.EnumerateArray().Select(row => row.EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null).ToArray()).ToArray();
}
