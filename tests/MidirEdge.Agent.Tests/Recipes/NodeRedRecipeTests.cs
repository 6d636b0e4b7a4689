using System.Text.Json.Nodes;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Domain;
using MidirEdge.Models.Prediction;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Recipes;

/// <summary>
/// docs/recipes/node-red-flow.json, as shipped, in a real Node-RED against a real Mosquitto fed by the agent's publisher:
/// one message per predicted target with the value, interval and quality.
/// </summary>
public sealed class NodeRedRecipeTests : IDisposable
{
    /// <summary>Where .ci/run installs Node-RED (npm, pinned) unless <c>MIDIR_NODE_RED</c> names the executable.</summary>
    private static readonly string Executable = Environment.GetEnvironmentVariable("MIDIR_NODE_RED") is { Length: > 0 } path
        ? path
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "midir-edge-tests", "node-red", "node_modules", ".bin", "node-red");

    private readonly TempDirectory _dir = new("node-red");
    private readonly MosquittoBroker _broker = new();

    /// <inheritdoc />
    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    /// <summary>A result with two predictions becomes two messages, each carrying its target's value, interval and quality.</summary>
    [Fact]
    public async Task The_flow_turns_a_result_into_one_message_per_target()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} not found; install it with 'npm install --prefix ~/.cache/midir-edge-tests/node-red node-red@4.1.8' (.ci/run does).");
        var output = Path.Combine(_dir.Path, "predictions.jsonl");
        WriteFlow(output);
        using var nodeRed = ChildProcess.Start(Executable, ["--settings", Path.Combine(_dir.Path, "settings.js"), "--userDir", _dir.Path],
            child => child.Log.Contains("Connected to broker", StringComparison.Ordinal), "Node-RED did not connect to the broker");

        var mqtt = TestData.Mqtt(_broker.Host, _broker.Port);
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"));
        using var publisher = TestData.Publisher(cache, mqtt, TimeProvider.System);
        await publisher.StartAsync(CancellationToken.None);
        var sent = new List<string>();
        var seed = 5;

        // Node-RED logs "connected" just before its subscription is acknowledged: send results until the flow has seen one.
        var lines = await Eventually.Async(
            () => File.Exists(output) ? File.ReadAllLines(output) : [],
            read => read.Length >= 2,
            Resend(() =>
            {
                var spectrum = TestData.Spectrum(seed++);
                var result = WithIntervalAndQuality(TestData.Conclusion(spectrum));
                sent.Add(result.Id);
                TestData.Delivery(cache, mqtt).Submit([(result, spectrum)]);
            }));

        var first = JsonNode.Parse(lines[0])!.AsObject();
        var second = JsonNode.Parse(lines[1])!.AsObject();
        Assert.Equal("C", (string?)first["target"]);
        Assert.Equal(12.5, (double?)first["value"]);
        Assert.Equal("g/kg", (string?)first["unit"]);
        Assert.Equal(9.6, (double?)first["lower"]);
        Assert.Equal(15.4, (double?)first["upper"]);
        Assert.Equal("quantitative", (string?)first["quality"]);
        Assert.Equal(TestData.Agent.Site, (string?)first["site"]);
        Assert.Equal(TestData.Agent.Instrument, (string?)first["instrument"]);
        Assert.Contains((string?)first["id"], sent);
        Assert.Equal((string?)first["id"], (string?)second["id"]);
        Assert.Equal("pH", (string?)second["target"]);
        Assert.Null(second["lower"]);
        Assert.Equal("indicative", (string?)second["quality"]);
        await publisher.StopAsync(CancellationToken.None);
    }

    /// <summary>The shipped flow with its broker moved to the test's, and a file node beside its debug node to read what it sent.</summary>
    private void WriteFlow(string output)
    {
        var flow = JsonNode.Parse(File.ReadAllText(Fixtures.RepositoryPath("docs/recipes/node-red-flow.json")))!.AsArray();
        var broker = flow.Single(n => (string?)n!["type"] == "mqtt-broker")!;
        broker["broker"] = _broker.Host;
        broker["port"] = _broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var perTarget = flow.Single(n => (string?)n!["type"] == "function")!;
        perTarget["wires"]![0]!.AsArray().Add("test-json");
        flow.Add(new JsonObject { ["id"] = "test-json", ["type"] = "json", ["z"] = "midir-tab", ["action"] = "str", ["wires"] = new JsonArray(new JsonArray("test-file")) });
        flow.Add(new JsonObject
        {
            ["id"] = "test-file", ["type"] = "file", ["z"] = "midir-tab", ["filename"] = output, ["filenameType"] = "str",
            ["appendNewline"] = true, ["createDir"] = true, ["overwriteFile"] = "false", ["encoding"] = "utf8", ["wires"] = new JsonArray(),
        });
        File.WriteAllText(Path.Combine(_dir.Path, "flows.json"), flow.ToJsonString());
        var port = Ports.Free();
        File.WriteAllText(Path.Combine(_dir.Path, "settings.js"),
            $"module.exports = {{ uiHost: '127.0.0.1', uiPort: {port}, flowFile: 'flows.json', credentialSecret: false, httpAdminRoot: false, httpNodeRoot: false, editorTheme: {{ tours: false }} }};\n");
    }

    private static SpectrumResult WithIntervalAndQuality(SpectrumResult result) => result with
    {
        Predictions =
        [
            result.Predictions[0] with { Interval = new ResultInterval(9.6, 15.4, 0.9), Quality = PredictionQuality.Quantitative },
            result.Predictions[1] with { Quality = PredictionQuality.Indicative },
        ],
    };

    /// <summary>A tick for <see cref="Eventually"/> that runs <paramref name="send"/> now and then every two seconds.</summary>
    private static Action Resend(Action send)
    {
        var last = DateTime.MinValue;
        return () =>
        {
            if (DateTime.UtcNow - last < TimeSpan.FromSeconds(2)) return;
            last = DateTime.UtcNow;
            send();
        };
    }
}
