using Xunit.Abstractions;

namespace MidirEdge.Faults.Tests;

/// <summary>The short form of the fault campaign, run by <c>.ci/run</c>; the long form runs on demand (see README.md).</summary>
public sealed class FaultCampaignTests(ITestOutputHelper output)
{
    /// <summary>Nothing lost, duplicated, crashed or hung, and every bad file and bundle refused with a one-line reason.</summary>
    [Fact]
    public async Task The_agent_keeps_every_guarantee_under_faults()
    {
        var progress = new StringWriter();
        await using var campaign = new FaultCampaign(CampaignSettings.Short, progress);
        var report = await campaign.RunAsync();
        output.WriteLine(progress.ToString());
        output.WriteLine(report.ToString());
        var artefact = Path.Combine(AppContext.BaseDirectory, "fault-campaign.md");
        await File.WriteAllTextAsync(artefact, report.ToString());
        if (!report.Passed) campaign.KeepLogs(Path.Combine(AppContext.BaseDirectory, "fault-campaign-logs"));
        Assert.True(report.Passed, report.ToString());
    }
}
