using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>`midir-edge simulate serial`, run as a user runs it.</summary>
public sealed class SimulateCommandTests
{
    /// <summary>A serial device that does not exist is named as missing, not as "access denied", in one line with exit 1.</summary>
    [Fact]
    public async Task A_missing_serial_device_is_reported_as_missing()
    {
        var port = "/dev/ttyMIDIR-" + Guid.NewGuid().ToString("N")[..8];
        var (code, _, stderr) = await CliProcess.RunAsync("simulate", "serial",
            "--profile", Fixtures.RepositoryPath("device-profiles/generic-ascii-serial.json"),
            "--port", port, "--spectrum", Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"), "--count", "1");

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"midir-edge simulate serial: serial device {port} does not exist (unplugged, or a wrong name)", line);
    }
}
