using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>
/// <c>midir-edge fleet</c> and <c>bench fleet</c> run wrongly, as a technician might: a bad pattern, broker, wait or count, a broker that is
/// not there, a site with no instrument. Each is one line on stderr naming the cause, exit 2 for what was typed, 1 for the rest.
/// </summary>
public sealed class FleetInvocationTests : IDisposable
{
    private readonly MosquittoBroker _broker = new();

    /// <summary>Stops the broker.</summary>
    public void Dispose() => _broker.Dispose();

    /// <summary>Name, exit code, a fragment the line must hold, and the arguments ({broker} is a running Mosquitto, {nobroker} a closed port).</summary>
    public static TheoryData<string, int, string, string[]> Cases() => new()
    {
        { "deploy: pattern with three levels", 2, "--to must be SITE/INSTRUMENT, either level a name or '+' (got 'lab/+/x')", ["fleet", "deploy", "{bundle}", "--to", "lab/+/x", "--broker", "{broker}"] },
        { "deploy: multi-level wildcard", 2, "--to must be SITE/INSTRUMENT", ["fleet", "deploy", "{bundle}", "--to", "lab/#", "--broker", "{broker}"] },
        { "deploy: missing bundle", 2, "BUNDLE", ["fleet", "deploy", "/nonexistent/b.zip", "--to", "lab/+", "--broker", "{broker}"] },
        { "deploy: bad wait", 2, "--wait must be a positive duration such as 60s, 2m or 500ms (got 'soon')", ["fleet", "deploy", "{bundle}", "--to", "lab/+", "--wait", "soon", "--broker", "{broker}"] },
        { "deploy: no --to", 2, "Option '--to' is required.", ["fleet", "deploy", "{bundle}", "--broker", "{broker}"] },
        { "deploy: no instrument matches", 1, "no instrument matches 'nosite/+'", ["fleet", "deploy", "{bundle}", "--to", "nosite/+", "--broker", "{broker}"] },
        { "status: bad port", 2, "--broker must be HOST[:PORT] with a port from 1 to 65535 (got 'localhost:99999')", ["fleet", "status", "--broker", "localhost:99999"] },
        { "status: no broker there", 1, "cannot connect to the broker 127.0.0.1:", ["fleet", "status", "--broker", "{nobroker}"] },
        { "status: certificate without TLS", 2, "--ca-file and --cert need --tls.", ["fleet", "status", "--broker", "{broker}", "--ca-file", "{bundle}"] },
        { "rollback: password without user", 2, "--password needs --username.", ["fleet", "rollback", "C", "--to", "lab/+", "--broker", "{broker}", "--password", "x"] },
        { "bench fleet: no agents", 2, "--agents must be at least 1 (got 0).", ["bench", "fleet", "--agents", "0"] },
        { "bench fleet: too many spectra", 2, "--spectra must be from 0 to 8", ["bench", "fleet", "--agents", "2", "--spectra", "9"] },
    };

    /// <summary>Exactly one line on stderr, holding the expected fragment, no stack trace, and the documented exit code.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Fails_with_one_line_and_the_documented_code(string name, int exitCode, string expected, string[] args)
    {
        string Expand(string text) => text
            .Replace("{bundle}", Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), StringComparison.Ordinal)
            .Replace("{nobroker}", $"127.0.0.1:{Ports.Free()}", StringComparison.Ordinal)
            .Replace("{broker}", $"{_broker.Host}:{_broker.Port}", StringComparison.Ordinal);

        var (code, stdout, stderr) = await CliProcess.RunAsync([.. args.Select(Expand)]);

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"{name}: {lines.Length} lines on stderr:\n{stderr}");
        Assert.StartsWith("midir-edge", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.True(code == exitCode, $"{name}: exit {code}, expected {exitCode}: {lines[0]}");
    }
}
