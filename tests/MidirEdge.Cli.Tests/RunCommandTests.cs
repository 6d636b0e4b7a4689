using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Cli.Tests;

/// <summary><c>midir-edge run</c> refuses bad settings before it starts, with one line naming what is wrong.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("run-command");

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    /// <summary>A wrong value names its key; a profile that does not exist names the file; both exit 2 without a stack trace.</summary>
    [Theory]
    [InlineData("--MidirEdge:Mqtt:Port=0", "midir-edge run: invalid settings: MidirEdge:Mqtt:Port must be between 1 and 65535 (got 0).")]
    [InlineData("--MidirEdge:Mqtt:Port=abc", "midir-edge run: invalid settings: MidirEdge:Mqtt:Port must be a whole number (got 'abc').")]
    [InlineData("--MidirEdge:Pipeline:AdapterRestartMinDelay=soon", "midir-edge run: invalid settings: MidirEdge:Pipeline:AdapterRestartMinDelay must be a duration such as 00:00:30 (got 'soon').")]
    [InlineData("--MidirEdge:Adapters:FileWatch:AfterProcessing=Shred", "midir-edge run: invalid settings: MidirEdge:Adapters:FileWatch:AfterProcessing must be one of Archive, Leave (got 'Shred').")]
    [InlineData("--MidirEdge:Adapters:FileWatch:Profile=no-such-instrument", "midir-edge run: invalid device profile: ")]
    [InlineData("--MidirEdge:Adapters:Serial:Profile=no-such-instrument", "midir-edge run: invalid device profile: ")]
    [InlineData("--MidirEdge:Adapters:Serial:Profile=", "midir-edge run: invalid settings: MidirEdge:Adapters:Serial:Profile must name a serial device profile.")]
    public async Task Refuses_bad_settings_with_one_line(string setting, string expected)
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(
            "run", $"--MidirEdge:DataDir={_dir.Path}", $"--MidirEdge:Adapters:FileWatch:Path={_dir.Path}/inbox",
            "--MidirEdge:Adapters:FileWatch:Include:0=*", "--MidirEdge:Adapters:Serial:Port=/dev/null", "--MidirEdge:Adapters:Serial:Profile=generic-ascii-serial",
            "--MidirEdge:Health:Enabled=false", setting);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", stdout + stderr, StringComparison.Ordinal);
    }

    /// <summary>Wrong values in several sections are all named in the one line.</summary>
    [Fact]
    public async Task Names_every_wrong_key_at_once()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(
            "run", $"--MidirEdge:DataDir={_dir.Path}", "--MidirEdge:Adapters:Serial:Port=/dev/null", "--MidirEdge:Mqtt:Port=0",
            "--MidirEdge:Health:Enabled=false");

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("MidirEdge:Mqtt:Port must be between 1 and 65535 (got 0).", line, StringComparison.Ordinal);
        Assert.Contains("MidirEdge:Adapters:Serial:Profile must name a serial device profile.", line, StringComparison.Ordinal);
    }
}
