using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Cli.Tests;

/// <summary><c>midir-edge bench agent</c> runs a real agent process against a real Mosquitto and reports what it measured.</summary>
public sealed class BenchAgentTests : IDisposable
{
    private readonly MosquittoBroker _broker = new();

    /// <inheritdoc />
    public void Dispose() => _broker.Dispose();

    /// <summary>A small run measures every figure and exits 0; the numbers themselves are for people, not asserted.</summary>
    [Fact]
    public async Task Measures_a_small_run_against_mosquitto()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync("bench", "agent", "--count", "20", "--latency-samples", "3", "--stable-ms", "50",
            "--mqtt-host", _broker.Host, "--mqtt-port", _broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}\n{stdout}");
        foreach (var figure in new[] { "start-up", "latency", "throughput", "memory", "shutdown" })
            Assert.Contains(stdout.Split('\n'), line => line.StartsWith(figure + " ", StringComparison.Ordinal));
    }

    /// <summary>Parameters that cannot make a measurement exit 2 with one line.</summary>
    [Theory]
    [InlineData("--count", "5")]
    [InlineData("--stable-ms", "0")]
    [InlineData("--models", "/no/such/folder")]
    public async Task Refuses_bad_parameters(string option, string value)
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync("bench", "agent", option, value);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("midir-edge bench agent: ", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }
}
