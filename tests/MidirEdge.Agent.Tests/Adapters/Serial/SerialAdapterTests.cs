using Microsoft.Extensions.Logging.Abstractions;
using MidirEdge.Agent.Adapters.Serial;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Profiles;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Agent.Tests.Profiles;
using MidirEdge.Cli.Simulation;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Adapters.Serial;

public sealed class SerialAdapterTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private readonly SocatPair _pair = new();

    public void Dispose() => _pair.Dispose();

    /// <summary>The ab block of a real Alpha II file.</summary>
    private static Spectrum Ab { get; } = SpectrumFile.Read(Fixtures.ReadBytes("data/opus/617262_1TP_C-1_A5.0"), "617262_1TP_C-1_A5.0")
        .Spectra.Single(s => s.Metadata.Block == "ab");

    private static SerialProfile Shipped(string name) => SerialProfile.From(DeviceProfile.Load(Path.Combine(DeviceProfileTests.ShippedFolder, name + ".json")));

    private static SerialProfile BinaryProfile => Shipped("generic-binary-serial") with
    {
        Axis = new SpectrumAxis(Ab.X[0], Ab.X[^1], Ab.Length),
        Trigger = null,
    };

    [Fact]
    public async Task Ascii_frames_arrive_with_exact_values_and_header_metadata()
    {
        var profile = Shipped("generic-ascii-serial");
        await using var agent = AgentRun.Start(_pair.A, profile);
        await agent.ConnectedAsync();
        var sent = await SerialSimulator.RunAsync(_pair.B, profile, Ab, TimeSpan.FromMilliseconds(100), 2, CancellationToken.None);
        Assert.Equal(2, sent);

        var first = await agent.NextAsync();
        var second = await agent.NextAsync();
        Assert.Equal("serial", first.Adapter);
        Assert.Equal(_pair.A, first.Source);
        Assert.True(first.Content.IsEmpty);
        Assert.Same(NoCompletion.Instance, first.Completion);
        Assert.Equal(first.ContentHash, second.ContentHash);
        var s = first.Spectrum!;
        Assert.Equal(Ab.X.ToArray(), s.X.ToArray());
        Assert.Equal(Ab.Y.ToArray(), s.Y.ToArray());
        Assert.Equal((XUnit.Wavenumber, YKind.Absorbance), (s.XUnit, s.YKind));
        Assert.Equal(Ab.Metadata.SampleName, s.Metadata.SampleName);
        Assert.Equal(Ab.Metadata.AcquiredUtc, s.Metadata.AcquiredUtc);
    }

    [Fact]
    public async Task Binary_frames_answer_the_trigger_and_carry_float32_values()
    {
        var profile = BinaryProfile with { Trigger = new SerialTrigger("MEAS\r\n", TimeSpan.FromMilliseconds(300)) };
        await using var agent = AgentRun.Start(_pair.A, profile);
        await agent.ConnectedAsync();
        using var stop = new CancellationTokenSource(Guard);
        var sent = await SerialSimulator.RunAsync(_pair.B, profile, Ab, TimeSpan.FromSeconds(1), 2, stop.Token);
        Assert.Equal(2, sent);   // the adapter asked twice: on connect and after "every"
        for (var n = 0; n < 2; n++)
        {
            var s = (await agent.NextAsync()).Spectrum!;
            Assert.Equal(Ab.Length, s.Length);
            for (var i = 0; i < s.Length; i++)
            {
                Assert.Equal((double)(float)Ab.Y[i], s.Y[i]);
                Assert.Equal(Ab.X[i], s.X[i], Math.Abs(Ab.X[i]) * 1e-12);
            }
        }
    }

    /// <summary>Line noise, a frame failing its CRC and one cut off go out as failed captures naming why; the next whole frame arrives.</summary>
    [Fact]
    public async Task Corrupted_frame_and_garbage_go_out_as_failed_captures_and_the_next_frame_arrives()
    {
        var profile = BinaryProfile with
        {
            BinaryFrames = BinaryProfile.BinaryFrames! with { BigEndian = true, Crc = FrameCrc.Crc32 },
        };
        await using var agent = AgentRun.Start(_pair.A, profile);
        await agent.ConnectedAsync();
        var good = FrameEncoder.Encode(profile, Ab);
        var corrupted = (byte[])good.Clone();
        corrupted[100] ^= 0x40;
        var other = FrameEncoder.Encode(profile, Ab.WithY(Ab.Y.Select(y => y * 0.5).ToArray()));
        using (var port = new System.IO.Ports.SerialPort(_pair.B, profile.BaudRate))
        {
            port.Open();
            port.Write([0x00, 0xA5, 0x13, 0x37], 0, 4);            // line noise, including half a sync
            port.Write(corrupted, 0, corrupted.Length);
            port.Write(good, 0, good.Length / 3);                   // a frame cut off by a reset…
            port.Write(other, 0, other.Length);                     // …then a whole one
        }
        var failed = new List<Capture>();
        Capture next;
        while ((next = await agent.NextAsync()).Spectrum is null) failed.Add(next);
        Assert.Equal((double)(float)(Ab.Y[0] * 0.5), next.Spectrum.Y[0]);
        Assert.Equal((double)(float)(Ab.Y[^1] * 0.5), next.Spectrum.Y[^1]);
        Assert.NotEmpty(failed);
        Assert.All(failed, f => Assert.StartsWith("bad frame: ", f.Failure, StringComparison.Ordinal));
        Assert.All(failed, f => Assert.Equal((_pair.A, "serial", ""), (f.Source, f.Adapter, f.ContentHash)));
        Assert.Contains(failed, f => f.Failure!.Contains("CRC-32 mismatch", StringComparison.Ordinal));
        await agent.AssertNothingAsync(TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Half a frame then silence: after the frame timeout it goes out as a failed capture, and the next frame arrives whole.</summary>
    [Fact]
    public async Task Frame_that_stops_midway_times_out_and_the_next_one_arrives()
    {
        var profile = Shipped("generic-ascii-serial") with { FrameTimeout = TimeSpan.FromMilliseconds(300) };
        await using var agent = AgentRun.Start(_pair.A, profile);
        await agent.ConnectedAsync();
        var frame = FrameEncoder.Encode(profile, Ab);
        using var port = new System.IO.Ports.SerialPort(_pair.B, profile.BaudRate);
        port.Open();
        port.Write(frame, 0, frame.Length / 2);
        var timedOut = await agent.NextAsync();
        Assert.Equal("bad frame: no byte for 0.3 s in the middle of a frame", timedOut.Failure);
        // Without the timeout the rest of this frame would join the half above and fail its CRC.
        port.Write(frame, frame.Length / 2, frame.Length - frame.Length / 2);
        port.Write(frame, 0, frame.Length);
        var next = await agent.NextAsync();
        while (next.Spectrum is null) next = await agent.NextAsync();   // the second half, alone, is a bad frame of its own
        Assert.Equal(Ab.Y.ToArray(), next.Spectrum.Y.ToArray());
    }

    /// <summary>The adapter names its closed port as its problem while the port is gone, with the reason it could not be opened.</summary>
    [Fact]
    public async Task A_closed_port_is_the_adapters_problem()
    {
        await using var agent = AgentRun.Start(_pair.A, BinaryProfile);
        await agent.ConnectedAsync();
        Assert.Null(agent.Problem);
        _pair.Kill();
        await agent.DisconnectedAsync();
        var problem = await Eventually.Async(() => agent.Problem, p => p is not null && p.Contains('('));
        Assert.StartsWith($"port {_pair.A} is closed (", problem, StringComparison.Ordinal);
        _pair.Start();
        await agent.ConnectedAsync();
        Assert.Null(agent.Problem);
    }

    [Fact]
    public async Task Adapter_reconnects_when_the_port_vanishes_and_comes_back()
    {
        var profile = BinaryProfile;
        await using var agent = AgentRun.Start(_pair.A, profile);
        await agent.ConnectedAsync();
        await SerialSimulator.RunAsync(_pair.B, profile, Ab, TimeSpan.FromMilliseconds(100), 1, CancellationToken.None);
        Assert.NotNull((await agent.NextAsync()).Spectrum);

        _pair.Kill();                                      // USB unplugged
        await agent.DisconnectedAsync();
        Assert.DoesNotContain("midir_serial_reopens_total{adapter=\"serial\"} 1", await agent.MetricsAsync(), StringComparison.Ordinal);
        _pair.Start();                                     // plugged back in at the same path
        await agent.ConnectedAsync();
        await SerialSimulator.RunAsync(_pair.B, profile, Ab, TimeSpan.FromMilliseconds(100), 1, CancellationToken.None);
        Assert.Equal(Ab.Length, (await agent.NextAsync()).Spectrum!.Length);
        // The gap while the port was gone is counted: frames sent then are lost.
        var metrics = await agent.MetricsAsync();
        Assert.Contains("midir_serial_reopens_total{adapter=\"serial\"} 1", metrics, StringComparison.Ordinal);
        Assert.Matches("midir_serial_gap_seconds_total\\{adapter=\"serial\"\\} [0-9.e-]+", metrics);
    }

    /// <summary>A serial adapter running over a bounded channel until disposed.</summary>
    /// <summary>A serial adapter running over a bounded channel, with waits on its connection state.</summary>
    private sealed class AgentRun(SerialAdapter adapter, AgentMetrics metrics) : IAsyncDisposable
    {
        private readonly AdapterRun _run = AdapterRun.Start(adapter);

        public static AgentRun Start(string port, SerialProfile profile)
        {
            var options = new SerialOptions { Port = port, Profile = "test", Device = profile, ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromMilliseconds(400) };
            var metrics = new AgentMetrics();
            return new AgentRun(new SerialAdapter(options, TimeProvider.System, metrics, NullLogger<SerialAdapter>.Instance), metrics);
        }

        public async Task<string> MetricsAsync()
        {
            using var exported = new MemoryStream();
            await metrics.Registry.CollectAndExportAsTextAsync(exported);
            return System.Text.Encoding.UTF8.GetString(exported.ToArray());
        }

        public Task ConnectedAsync() => _run.WaitUntilAsync(() => adapter.IsConnected, "connect");

        public Task DisconnectedAsync() => _run.WaitUntilAsync(() => !adapter.IsConnected, "notice the lost port");

        public string? Problem => ((ICaptureAdapter)adapter).Problem;

        public Task<Capture> NextAsync() => _run.NextAsync();

        public Task AssertNothingAsync(TimeSpan quiet) => _run.AssertNothingAsync(quiet);

        public ValueTask DisposeAsync() => _run.DisposeAsync();
    }
}
