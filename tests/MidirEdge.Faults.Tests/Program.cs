namespace MidirEdge.Faults.Tests;

/// <summary>
/// <c>dotnet run -c Release --project tests/MidirEdge.Faults.Tests -- [--long] [--seed N] [--keep]</c>: runs the fault campaign
/// and prints its table; exit code 0 when every guarantee held, 1 otherwise. <c>--keep</c> leaves its folders for inspection. <c>dotnet test</c> runs the short form.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var settings = args.Contains("--long") ? CampaignSettings.Long : CampaignSettings.Short;
        var keep = args.Contains("--keep");
        var seed = Array.IndexOf(args, "--seed");
        if (seed >= 0)
        {
            if (seed + 1 >= args.Length || !int.TryParse(args[seed + 1], out var value))
            {
                await Console.Error.WriteLineAsync("faults: --seed needs an integer");
                return 2;
            }
            settings = settings with { Seed = value };
        }
        await using var campaign = new FaultCampaign(settings, Console.Out, keepFolders: keep);
        var report = await campaign.RunAsync();
        Console.WriteLine();
        Console.WriteLine(report);
        if (report.Passed) return 0;
        var logs = Path.Combine(Environment.CurrentDirectory, "fault-campaign-logs");
        campaign.KeepLogs(logs);
        Console.WriteLine($"agent logs: {logs}");
        return 1;
    }
}
