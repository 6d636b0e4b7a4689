using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary>The whole agent, in-process, with a real Mosquitto, real folders and the demo models.</summary>
public sealed class AgentEndToEndTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new("midir-e2e-");
    private readonly MosquittoBroker _broker = new();
    private IHost _host = null!;
    private MqttProbe _probe = null!;

    private string Inbox => Path.Combine(_root.Path, "inbox");

    /// <summary>Starts the agent on a temporary inbox, models folder and cache, publishing to the test broker.</summary>
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Inbox);
        var models = Directory.CreateDirectory(Path.Combine(_root.Path, "models")).FullName;
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(models, "demo-yamsys-C.zip"));
        _probe = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/e2e/alpha/result");
        _host = AgentHost.CreateBuilder(null, [],
        [
            "--MidirEdge:Site=e2e", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}",
            $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Adapters:FileWatch:Path={Inbox}",
            "--MidirEdge:Adapters:FileWatch:Include:0=*",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200",
            "--MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.200",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}",
            // The agent retries every 2–3 s, so after an outage the test's subscriber is back before the backlog is sent.
            "--MidirEdge:Mqtt:ReconnectMinDelay=00:00:02", "--MidirEdge:Mqtt:ReconnectMaxDelay=00:00:03",
            "--MidirEdge:Health:Enabled=false",
        ]).Build();
        await _host.StartAsync();
    }

    /// <summary>Stops the agent and the broker.</summary>
    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _probe.DisposeAsync();
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>An OPUS file dropped in the inbox yields a result whose C equals `midir-edge predict` on the same file.</summary>
    [Fact]
    public async Task An_opus_file_yields_the_prediction_of_the_predict_command()
    {
        var file = Fixtures.Path("data/opus/BF_lo_01_soil_cal.1");
        Drop(file);

        var messages = await _probe.WaitUntilAsync(m => m.Count >= 1);
        var result = messages[0].Json;
        Assert.Equal("BF_lo_01_soil_cal", result.GetProperty("sampleName").GetString());
        var c = result.GetProperty("predictions").EnumerateArray().Single(p => p.GetProperty("target").GetString() == "C");

        var (code, stdout, stderr) = await CliProcess.RunAsync("predict", "--model", Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), "--input", file);
        Assert.True(code == 0, stderr);
        var expected = double.Parse(stdout.Split('\n')[1].Split(',')[1], CultureInfo.InvariantCulture);
        Assert.Equal(expected, c.GetProperty("value").GetDouble());
        Assert.True(c.GetProperty("inDomain").GetBoolean());
        await Eventually.Async(() => File.Exists(Path.Combine(Inbox, "BF_lo_01_soil_cal.1")), gone => !gone);

        // Every stage of the pipeline was timed once.
        var metrics = _host.Services.GetRequiredService<AgentMetrics>();
        using var exported = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(exported);
        var text = System.Text.Encoding.UTF8.GetString(exported.ToArray());
        foreach (var stage in new[] { "read", "qc", "predict", "store" })
            Assert.Contains($"midir_stage_duration_seconds_count{{stage=\"{stage}\"}} 1", text, StringComparison.Ordinal);
    }

    /// <summary>A corrupt file goes to quarantine with its reason, and the agent goes on with the next file.</summary>
    [Fact]
    public async Task A_corrupt_file_is_quarantined_and_the_agent_keeps_going()
    {
        var corrupt = Path.Combine(_root.Path, "broken.0");
        File.WriteAllBytes(corrupt, Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1").AsSpan(0, 9000).ToArray());
        Drop(corrupt);
        var reason = Path.Combine(Inbox, "quarantine", "broken.0.error.txt");
        await Eventually.Async(() => File.Exists(reason), exists => exists);
        Assert.Contains("broken.0", await File.ReadAllTextAsync(reason));

        Drop(Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"));
        await _probe.WaitUntilAsync(m => m.Count >= 1);
    }

    /// <summary>With the broker down while 50 spectra arrive, all 50 results come after it returns, in order, with unique ids.</summary>
    [Fact]
    public async Task Fifty_results_survive_a_broker_outage_in_order()
    {
        var table = CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv");
        _broker.Stop();
        var names = new List<string>();
        for (var row = 0; row < 50; row++)
        {
            var name = table.RowIds[row]!;
            var csv = Path.Combine(_root.Path, name + ".csv");
            await File.WriteAllLinesAsync(csv, ["wavenumber,absorbance", .. table.X.Select((x, i) => string.Create(CultureInfo.InvariantCulture, $"{x},{table.Values[row][i]:R}"))]);
            Drop(csv);
            names.Add(Path.GetFileNameWithoutExtension(csv));
            await Eventually.Async(() => File.Exists(Path.Combine(Inbox, name + ".csv")), present => !present);
        }
        _broker.Start();
        await _probe.DisposeAsync();
        _probe = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/e2e/alpha/result");

        var messages = await _probe.WaitUntilAsync(m => m.Count >= 50);
        Assert.Equal(names, messages.Select(m => m.Json.GetProperty("sampleName").GetString()));
        Assert.Equal(50, messages.Select(m => m.Json.GetProperty("id").GetString()).Distinct().Count());
    }

    // Written beside the inbox, then moved in, as instrument software finishes a file.
    private void Drop(string file)
    {
        var staged = Path.Combine(_root.Path, "staged-" + Path.GetFileName(file));
        File.Copy(file, staged, overwrite: true);
        File.Move(staged, Path.Combine(Inbox, Path.GetFileName(file)));
    }
}
