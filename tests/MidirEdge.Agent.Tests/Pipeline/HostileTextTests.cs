using System.Text;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary>
/// Instrument files whose bytes carry line breaks and terminal escape sequences: whatever the readers quote of them reaches
/// stderr, logs, <c>.error.txt</c> and MQTT payloads as one bounded line, with no control character.
/// </summary>
public sealed class HostileTextTests : IAsyncLifetime
{
    private const string Escape = "\u001b[2J\u001b[31m";
    private readonly TempDirectory _root = new("midir-hostile-");
    private readonly MosquittoBroker _broker = new();

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        _broker.Dispose();
        _root.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A real JCAMP-DX file whose ##NPOINTS record runs on for 6,000+ characters over many lines, with ESC sequences.</summary>
    private string MutatedJcamp()
    {
        var text = File.ReadAllText(Fixtures.Path("data/jcamp/ir/2-butanone.jdx"), Encoding.Latin1);
        var junk = string.Concat(Enumerable.Repeat($"{Escape}fake log line\r\n", 300));
        var path = Path.Combine(_root.Path, "mutated.jdx");
        File.WriteAllText(path, text.Replace("##NPOINTS=14106", "##NPOINTS=x" + junk, StringComparison.Ordinal), Encoding.Latin1);
        return path;
    }

    /// <summary>`midir-edge read` prints one line on stderr, bounded, with no control character, and exits 1.</summary>
    [Fact]
    public async Task Stderr_of_a_command_is_one_safe_line()
    {
        var (code, _, stderr) = await CliProcess.RunAsync("read", MutatedJcamp());
        Assert.Equal(1, code);
        var line = stderr.TrimEnd('\n');
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain(line, char.IsControl);
        Assert.InRange(line.Length, 20, OneLine.DefaultMaxLength + 100);
        Assert.StartsWith("midir-edge read: ", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// In the agent the mutated file is quarantined with a one-line reason, and a good file whose title carries escape
    /// sequences and a line break is published with a clean sample name.
    /// </summary>
    [Fact]
    public async Task Error_notes_and_payloads_carry_no_control_characters()
    {
        var inbox = Directory.CreateDirectory(Path.Combine(_root.Path, "inbox")).FullName;
        var models = Directory.CreateDirectory(Path.Combine(_root.Path, "models")).FullName;
        await using var probe = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/hostile/alpha/result");
        using var host = AgentHost.CreateBuilder(null, [],
        [
            "--MidirEdge:Site=hostile", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}",
            $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Adapters:FileWatch:Path={inbox}",
            "--MidirEdge:Adapters:FileWatch:Include:0=*",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200",
            "--MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.200",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}",
            "--MidirEdge:Health:Enabled=false",
        ]).Build();
        await host.StartAsync();

        File.Move(MutatedJcamp(), Path.Combine(inbox, "mutated.jdx"));
        var note = Path.Combine(inbox, "quarantine", "mutated.jdx.error.txt");
        // Written just after the move: wait for its last line.
        var lines = await Eventually.Async(() => File.Exists(note) ? File.ReadAllLines(note) : [], l => l.Length > 0 && l[^1].StartsWith("Quarantined", StringComparison.Ordinal));
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.DoesNotContain(l, char.IsControl));
        Assert.InRange(lines[0].Length, 20, OneLine.DefaultMaxLength + 100);

        var titled = Path.Combine(_root.Path, "titled.jdx");
        var text = File.ReadAllText(Fixtures.Path("data/jcamp/ir/2-butanone.jdx"), Encoding.Latin1);
        File.WriteAllText(titled, text.Replace("##TITLE=Methyl Ethyl Ketone", $"##TITLE=Methyl{Escape}Ethyl\u202eKetone", StringComparison.Ordinal), Encoding.Latin1);
        File.Move(titled, Path.Combine(inbox, "titled.jdx"));
        var messages = await probe.WaitUntilAsync(m => m.Count >= 1);
        var sample = messages[0].Json.GetProperty("sampleName").GetString()!;
        Assert.DoesNotContain(sample, char.IsControl);
        Assert.StartsWith(@"Methyl\u001B[2J\u001B[31mEthyl", sample, StringComparison.Ordinal);
        await host.StopAsync();
    }
}
