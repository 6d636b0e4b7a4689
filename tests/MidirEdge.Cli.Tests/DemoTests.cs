using System.Globalization;
using System.Text.RegularExpressions;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Cli.Tests;

/// <summary><c>midir-edge run --demo</c> ends with a summary line and leaves no temporary folder behind unless asked to keep it.</summary>
public sealed partial class DemoTests
{
    /// <summary>
    /// The demo prints each result and the quarantined file as they reach its subscriber; stopped (SIGTERM, as Ctrl+C), it
    /// prints how many were published and quarantined and how long it ran, and deletes its folder.
    /// </summary>
    [Fact]
    public async Task The_demo_ends_with_a_summary_and_deletes_its_folder()
    {
        using var demo = Start();
        try
        {
            // Nine of the ten demo spectra give results; the tenth (an Alpha II file beyond the models' range) is quarantined.
            await Eventually.True(() => demo.Output.Contains("[9] ", StringComparison.Ordinal) && demo.Output.Contains("[quarantined 1] 617262_1TP_C-1_A5.0: quality control failed", StringComparison.Ordinal));
        }
        finally
        {
            await demo.TerminateAsync();
        }
        var root = Root(demo.Output);
        Assert.Equal(0, demo.ExitCode);
        Assert.Matches(@"Demo summary: 9 result\(s\) published, 1 file\(s\) quarantined, \d+\.\d s", demo.Output);
        Assert.False(Directory.Exists(root), $"{root} is left behind");
    }

    /// <summary>With <c>--keep</c> the folder stays, and the demo says where.</summary>
    [Fact]
    public async Task With_keep_the_folder_stays()
    {
        using var demo = Start("--keep");
        try
        {
            await Eventually.True(() => demo.Output.Contains("Dashboard view: subscribed", StringComparison.Ordinal));
        }
        finally
        {
            await demo.TerminateAsync();
        }
        var root = Root(demo.Output);
        try
        {
            Assert.Equal(0, demo.ExitCode);
            Assert.Contains("Demo summary: ", demo.Output, StringComparison.Ordinal);
            Assert.Contains($"Demo folders kept in {root}", demo.Output, StringComparison.Ordinal);
            Assert.True(Directory.Exists(Path.Combine(root, "inbox")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static AgentProcess Start(params string[] options) =>
        AgentProcess.Start(["run", "--demo", .. options, $"--MidirEdge:Mqtt:Port={Ports.Free().ToString(CultureInfo.InvariantCulture)}", "--MidirEdge:Health:Url=http://127.0.0.1:0"]);

    private static string Root(string output)
    {
        var match = DemoRoot().Match(output);
        Assert.True(match.Success, output);
        return match.Groups["root"].Value;
    }

    [GeneratedRegex("Demo: agent running on (?<root>[^;]+);")]
    private static partial Regex DemoRoot();
}
