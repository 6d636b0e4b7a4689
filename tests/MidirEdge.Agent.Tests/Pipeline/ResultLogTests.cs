using System.Globalization;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Models.Prediction;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary><c>midir-edge run</c> logs each result's values at Information, in one line, as the demo prints them.</summary>
public sealed class ResultLogTests : IDisposable
{
    private readonly TempDirectory _root = new("result-log");
    private readonly MosquittoBroker _broker = new();

    /// <inheritdoc />
    public void Dispose()
    {
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>Values with their intervals and units, flags in parentheses, a unit equal to the target left out, the QC flags of a spectrum that did not pass.</summary>
    [Fact]
    public void A_result_reads_as_target_value_interval_unit_and_flags()
    {
        Prediction[] predictions =
        [
            new("C", 12.5, "g/kg", "pls-C", "3", true, 1.2, 0.004) { Interval = new ResultInterval(9.6, 15.4, 0.9) },
            new("ex_K", 182.04, "mg/kg", "gpr-K", "1", true, 3.1, 0.01) { Quality = PredictionQuality.Indicative },
            new("pH", 6.1, "pH", "pls-pH", "1", false, 14.9, 0.02),
        ];
        Assert.Equal("C=12.5 [9.6–15.4] g/kg, ex_K=182.04 mg/kg (indicative), pH=6.1 (outside domain)",
            ResultText.Values(predictions, new QcSummary(true, [])));
        Assert.Equal("no predictions; QC: noise, coverage:pls-C",
            ResultText.Values([], new QcSummary(false, [new QcFlag(QcCheckKind.Noise), new QcFlag(QcCheckKind.Coverage, "pls-C")])));
    }

    /// <summary>The executable, as a service runs it, logs the sample and its values when a dropped file is published.</summary>
    [Fact]
    public async Task Run_logs_each_results_values_in_one_line()
    {
        var inbox = Folder("inbox");
        var models = Folder("models");
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(models, "demo-yamsys-C.zip"));
        await using var results = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/log/alpha/result");
        using var agent = AgentProcess.Start(
            "run", "--MidirEdge:Site=log", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Folder("data")}", $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Adapters:FileWatch:Path={inbox}", "--MidirEdge:Adapters:FileWatch:Include:0=*",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200", "--MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.200",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port.ToString(CultureInfo.InvariantCulture)}",
            "--MidirEdge:Health:Enabled=false");
        try
        {
            var staged = Path.Combine(_root.Path, "BF_lo_01_soil_cal.1");
            File.Copy(Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"), staged);
            File.Move(staged, Path.Combine(inbox, "BF_lo_01_soil_cal.1"));

            var result = (await results.WaitUntilAsync(m => m.Count >= 1))[0].Json;
            var c = result.GetProperty("predictions")[0];
            var interval = c.GetProperty("interval");
            var expected = string.Create(CultureInfo.InvariantCulture,
                $"BF_lo_01_soil_cal: C={c.GetProperty("value").GetDouble():0.##} [{interval.GetProperty("lower").GetDouble():0.##}–{interval.GetProperty("upper").GetDouble():0.##}] g/kg (result {result.GetProperty("id").GetString()}, ");
            var line = await Eventually.Async(() => agent.Output.Split('\n').FirstOrDefault(l => l.Contains(expected, StringComparison.Ordinal)), l => l is not null);
            Assert.EndsWith(" ms)", line!.TrimEnd(), StringComparison.Ordinal);
            Assert.Contains("info: MidirEdge.Agent.Pipeline.SpectrumProcessor", agent.Output, StringComparison.Ordinal);
        }
        finally
        {
            await agent.TerminateAsync();
        }
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root.Path, name)).FullName;
}
