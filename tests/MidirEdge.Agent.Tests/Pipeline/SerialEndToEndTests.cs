using MidirEdge.Agent.Adapters.Serial;
using MidirEdge.Agent.Profiles;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Cli.Simulation;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary>A spectrum sent over a socat serial pair by the instrument simulator becomes a published result.</summary>
public sealed class SerialEndToEndTests : IDisposable
{
    private readonly TempDirectory _root = new("midir-serial-e2e-");
    private readonly MosquittoBroker _broker = new();
    private readonly SocatPair _pair = new();

    /// <summary>Stops the broker and the serial pair.</summary>
    public void Dispose()
    {
        _pair.Dispose();
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>The ASCII serial profile carries the Alpha spectrum to a C prediction equal to the bundle's own.</summary>
    [Fact]
    public async Task A_spectrum_over_serial_yields_a_result()
    {
        var models = Directory.CreateDirectory(Path.Combine(_root.Path, "models")).FullName;
        var bundlePath = Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip");
        File.Copy(bundlePath, Path.Combine(models, "demo-yamsys-C.zip"));
        await using var probe = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/serial/alpha/result");
        using var host = AgentHost.CreateBuilder(null, [],
        [
            "--MidirEdge:Site=serial", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}",
            $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Adapters:Serial:Port={_pair.A}",
            "--MidirEdge:Adapters:Serial:Profile=generic-ascii-serial",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}",
            "--MidirEdge:Health:Enabled=false",
        ]).Build();
        await host.StartAsync();
        try
        {
            var ab = OpusReader.Read(Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1"), "BF_lo_01_soil_cal.1").FindData("ab")!.Spectrum;
            var profile = SerialProfile.From(DeviceProfile.Load(Path.Combine(AppContext.BaseDirectory, "device-profiles", "generic-ascii-serial.json")));
            // Sent a few times: the agent may open its end of the pair a moment after it starts; repeats are the same spectrum, published once.
            await SerialSimulator.RunAsync(_pair.B, profile, ab, TimeSpan.FromSeconds(1), 3, CancellationToken.None);

            var result = (await probe.WaitUntilAsync(m => m.Count >= 1))[0].Json;
            Assert.Equal("BF_lo_01_soil_cal", result.GetProperty("sampleName").GetString());
            using var bundle = ModelBundle.Load(bundlePath);
            Assert.Equal(bundle.Predict(ab)[0].Value, result.GetProperty("predictions")[0].GetProperty("value").GetDouble(), 1e-9);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
