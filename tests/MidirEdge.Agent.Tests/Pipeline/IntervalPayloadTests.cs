using System.Globalization;
using System.Text.Json;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Models.Building;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary>Prediction intervals and quality flags reach a real MQTT subscriber and `predict`'s CSV, and agree.</summary>
public sealed class IntervalPayloadTests : IDisposable
{
    private readonly TempDirectory _root = new("interval-");

    /// <summary>Removes the temporary files.</summary>
    public void Dispose() => _root.Dispose();

    /// <summary>
    /// A bundle with a conformal interval for ex_K (no skill on these soils) publishes its interval and
    /// <c>quality: "indicative"</c> at a Mosquitto subscriber, and `predict` writes the same value, bounds and flag.
    /// </summary>
    [Fact]
    public async Task A_bundle_with_an_interval_publishes_it_and_predict_writes_the_same_bounds()
    {
        var bundle = BuildWeakBundle();
        var inbox = Directory.CreateDirectory(Path.Combine(_root.Path, "inbox")).FullName;
        var models = Directory.CreateDirectory(Path.Combine(_root.Path, "models")).FullName;
        File.Copy(bundle, Path.Combine(models, "k.zip"));
        using var broker = new MosquittoBroker();
        await using var probe = await MqttProbe.ConnectAsync(broker.Host, broker.Port, "midir/e2e/alpha/result");
        using var host = AgentHost.CreateBuilder(null, [],
        [
            "--MidirEdge:Site=e2e", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}",
            $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Adapters:FileWatch:Path={inbox}",
            "--MidirEdge:Adapters:FileWatch:Include:0=*",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200",
            "--MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.200",
            $"--MidirEdge:Mqtt:Host={broker.Host}", $"--MidirEdge:Mqtt:Port={broker.Port}",
            "--MidirEdge:Health:Enabled=false",
        ]).Build();
        await host.StartAsync();
        try
        {
            var file = Fixtures.Path("data/opus/BF_lo_01_soil_cal.1");
            File.Copy(file, Path.Combine(inbox, Path.GetFileName(file)));

            var messages = await probe.WaitUntilAsync(m => m.Count >= 1);
            var k = Assert.Single(messages[0].Json.GetProperty("predictions").EnumerateArray());
            Assert.Equal(["target", "value", "model", "version", "inDomain", "t2", "q", "interval", "quality"], k.EnumerateObject().Select(p => p.Name));
            var interval = k.GetProperty("interval");
            Assert.Equal(["lower", "upper", "level"], interval.EnumerateObject().Select(p => p.Name));
            Assert.Equal(0.9, interval.GetProperty("level").GetDouble());
            Assert.True(interval.GetProperty("lower").GetDouble() < k.GetProperty("value").GetDouble()
                && k.GetProperty("value").GetDouble() < interval.GetProperty("upper").GetDouble());
            Assert.Equal("indicative", k.GetProperty("quality").GetString());

            var (code, stdout, stderr) = await CliProcess.RunAsync("predict", "--model", bundle, "--input", file);
            Assert.True(code == 0, stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("id,ex_K,ex_K_lower,ex_K_upper,ex_K_quality,in_domain,error", lines[0]);
            var fields = lines[1].Split(',');
            Assert.Equal(k.GetProperty("value").GetDouble(), Parse(fields[1]));
            Assert.Equal(interval.GetProperty("lower").GetDouble(), Parse(fields[2]));
            Assert.Equal(interval.GetProperty("upper").GetDouble(), Parse(fields[3]));
            Assert.Equal("indicative", fields[4]);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>A bundle that declares neither interval nor quality (built before them) gives the v1 entry it always gave.</summary>
    [Fact]
    public void A_bundle_without_interval_or_quality_gives_the_entry_it_gave_before()
    {
        var files = DemoBundles.Edit(m =>
        {
            var model = m["models"]![0]!.AsObject();
            model.Remove("interval");
            model.Remove("quality");
        });
        using var bundle = ModelBundle.Load(files, "old.zip");
        var spectrum = CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv").SpectrumAt(0);
        var p = Assert.Single(bundle.Predict(spectrum));

        var json = JsonSerializer.Serialize(Prediction.From(p, bundle), DeliveryJson.Default.Prediction);

        Assert.Equal(JsonSerializer.Serialize(new Prediction(p.Target, p.Value, p.Unit, p.Model, p.Version, p.InDomain, p.Domain.T2, p.Domain.Q), DeliveryJson.Default.Prediction), json);
        Assert.DoesNotContain("interval", json, StringComparison.Ordinal);
        Assert.DoesNotContain("quality", json, StringComparison.Ordinal);
    }

    private string BuildWeakBundle()
    {
        var table = CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv");
        var built = new ModelBuilder(table, "sample_id", new BuildOptions(Repeats: 1, TryLog1p: false)).Build("ex_K", [CandidatePipeline.StandardNormalVariate]);
        var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity("k", "k", "1.0.0"), table, "sample_id", [built], DateTimeOffset.UnixEpoch);
        var path = Path.Combine(_root.Path, "k.zip");
        BundleWriter.WriteZip(path, manifest, artefacts);
        return path;
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
