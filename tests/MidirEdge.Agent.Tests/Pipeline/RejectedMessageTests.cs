using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MidirEdge.Agent.Adapters.Serial;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Profiles;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary>
/// Every capture that gives no result (a quarantined file, a serial frame that fails quality control or cannot be decoded)
/// reaches a real Mosquitto subscriber as a <c>midir-edge/rejected/1</c> message on the rejected topic.
/// </summary>
public sealed class RejectedMessageTests : IDisposable
{
    private readonly TempDirectory _root = new("rejected");
    private readonly MosquittoBroker _broker = new();

    /// <inheritdoc />
    public void Dispose()
    {
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>
    /// A corrupt file, an empty one and one no model covers are quarantined, and each gives a rejected message naming the
    /// file, the adapter, the kind, the reason (the one in its quarantine note) and, for the quality failure, the flags;
    /// a good file gives a result and no rejected message.
    /// </summary>
    [Fact]
    public async Task Each_quarantined_file_gives_a_rejected_message()
    {
        var inbox = Folder("inbox");
        await using var rejected = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/alpha/rejected");
        await using var results = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/alpha/result");
        using var host = Agent(
            $"--MidirEdge:Adapters:FileWatch:Path={inbox}", "--MidirEdge:Adapters:FileWatch:Include:0=*",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200", "--MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.200");
        await host.StartAsync();
        try
        {
            var staging = Folder("staging");
            File.WriteAllBytes(Path.Combine(staging, "broken.0"), Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1").AsSpan(0, 9000).ToArray());
            File.WriteAllBytes(Path.Combine(staging, "empty.0"), []);
            File.Copy(Fixtures.Path("data/opus/617262_1TP_C-1_A5.0"), Path.Combine(staging, "617262_1TP_C-1_A5.0"));
            File.Copy(Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"), Path.Combine(staging, "BF_lo_01_soil_cal.1"));
            foreach (var file in Directory.GetFiles(staging)) File.Move(file, Path.Combine(inbox, Path.GetFileName(file)));

            var messages = (await rejected.WaitUntilAsync(m => m.Count >= 3)).ToDictionary(m => Path.GetFileName(m.Json.GetProperty("source").GetString()!), m => m);
            await results.WaitUntilAsync(m => m.Count >= 1);
            Assert.Equal(["617262_1TP_C-1_A5.0", "broken.0", "empty.0"], messages.Keys.Order(StringComparer.Ordinal));
            Assert.All(messages.Values, m => Assert.False(m.Retain));

            var broken = messages["broken.0"].Json;
            Assert.Equal("midir-edge/rejected/1", broken.GetProperty("schema").GetString());
            Assert.Matches("^[0-9a-f]{32}$", broken.GetProperty("id").GetString());
            Assert.Equal(("lab", "alpha", "inbox"), (broken.GetProperty("site").GetString(), broken.GetProperty("instrument").GetString(), broken.GetProperty("adapter").GetString()));
            Assert.Equal(Path.Combine(inbox, "broken.0"), broken.GetProperty("source").GetString());
            Assert.Equal("unreadable", broken.GetProperty("kind").GetString());
            Assert.Equal(0, broken.GetProperty("qcFlags").GetArrayLength());
            Assert.False(broken.TryGetProperty("spectrumHash", out _));
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", broken.GetProperty("rejectedUtc").GetString());
            var note = await File.ReadAllTextAsync(Path.Combine(inbox, "quarantine", "broken.0.error.txt"));
            Assert.StartsWith(broken.GetProperty("reason").GetString()!, note, StringComparison.Ordinal);

            var empty = messages["empty.0"].Json;
            Assert.Equal(("unreadable", "empty file (0 bytes)"), (empty.GetProperty("kind").GetString(), empty.GetProperty("reason").GetString()));
            Assert.True(File.Exists(Path.Combine(inbox, "quarantine", "empty.0.error.txt")));

            var uncovered = messages["617262_1TP_C-1_A5.0"].Json;
            Assert.Equal("qc", uncovered.GetProperty("kind").GetString());
            Assert.StartsWith("quality control failed: ", uncovered.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Contains("demo-yamsys-C needs", uncovered.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Contains("coverage:demo-yamsys-C", uncovered.GetProperty("qcFlags").EnumerateArray().Select(f => f.GetString()));
            Assert.Matches("^[0-9a-f]{32}$", uncovered.GetProperty("spectrumHash").GetString());
            Assert.True(uncovered.TryGetProperty("sampleName", out _));
            Assert.True(File.Exists(Path.Combine(inbox, "quarantine", "617262_1TP_C-1_A5.0.error.txt")));

            Assert.Equal("BF_lo_01_soil_cal", Assert.Single(results.Messages).Json.GetProperty("sampleName").GetString());
            Assert.Equal(3, rejected.Messages.Count);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Over a socat serial pair, a frame that cannot be decoded and a spectrum no model covers each give a rejected message.</summary>
    [Fact]
    public async Task A_bad_serial_frame_and_a_spectrum_failing_quality_control_give_rejected_messages()
    {
        using var pair = new SocatPair();
        await using var rejected = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/alpha/rejected");
        using var host = Agent($"--MidirEdge:Adapters:Serial:Port={pair.A}", "--MidirEdge:Adapters:Serial:Profile=generic-ascii-serial");
        await host.StartAsync();
        try
        {
            var serial = host.Services.GetServices<ICaptureAdapter>().OfType<SerialAdapter>().Single();
            await Eventually.True(() => serial.IsConnected);
            var profile = SerialProfile.From(DeviceProfile.Load(Path.Combine(AppContext.BaseDirectory, "device-profiles", "generic-ascii-serial.json")));
            var uncovered = OpusReader.Read(Fixtures.ReadBytes("data/opus/617262_1TP_C-1_A5.0"), "617262_1TP_C-1_A5.0").FindData("ab")!.Spectrum;
            using (var port = new System.IO.Ports.SerialPort(pair.B, profile.BaudRate))
            {
                port.Open();
                port.Write("#BEGIN\r\n4000,0.1\r\n3999,0.2\r\n#END\r\n");   // no CHECKSUM= line
                var frame = FrameEncoder.Encode(profile, uncovered);
                port.Write(frame, 0, frame.Length);
                await rejected.WaitUntilAsync(m => m.Count >= 2);
            }

            var bad = rejected.Messages[0].Json;
            Assert.Equal(("serial", pair.A, "unreadable"), (bad.GetProperty("adapter").GetString(), bad.GetProperty("source").GetString(), bad.GetProperty("kind").GetString()));
            Assert.Equal("bad frame: the CHECKSUM= line is missing", bad.GetProperty("reason").GetString());
            var qc = rejected.Messages[1].Json;
            Assert.Equal(("qc", pair.A), (qc.GetProperty("kind").GetString(), qc.GetProperty("source").GetString()));
            Assert.Contains("coverage:demo-yamsys-C", qc.GetProperty("qcFlags").EnumerateArray().Select(f => f.GetString()));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private IHost Agent(params string[] adapter)
    {
        var models = Folder("models");
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(models, "demo-yamsys-C.zip"), overwrite: true);
        return AgentHost.CreateBuilder(null, [],
        [
            "--MidirEdge:Site=lab", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Folder("data")}",
            $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port.ToString(CultureInfo.InvariantCulture)}",
            "--MidirEdge:Health:Enabled=false",
            .. adapter,
        ]).Build();
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root.Path, name)).FullName;
}
