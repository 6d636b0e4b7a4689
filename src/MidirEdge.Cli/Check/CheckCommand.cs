using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MidirEdge.Agent;
using MidirEdge.Cli.Commands;
using MidirEdge.Cli.Failures;
using MidirEdge.Cli.Settings;

namespace MidirEdge.Cli.Check;

/// <summary>
/// <c>midir-edge check [--config FILE]</c>, the doctor: the settings as they take effect (secrets masked), then one line per
/// check marked ✔, ! or ✖. Exit 0 when nothing failed, 1 otherwise, so the install script and a technician can rely on it.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var config = RunCommand.ConfigOption("The agent's JSON settings file, as given to run");
        var command = new Command("check", "Check what the agent needs before running it: settings, adapters' folders and ports, models, broker, health port, disk and clock") { config };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = AgentHost.CreateBuilder(parse.GetValue(config)?.FullName, [], SettingArguments.Of(parse));
            // The checks say what they find; the agent's own log lines (a bundle loaded, a bundle refused) would repeat it.
            builder.Logging.ClearProviders();
            var configuration = (IConfigurationRoot)builder.Configuration;
            Console.WriteLine("Settings (secrets masked):");
            foreach (var line in EffectiveSettings.Lines(configuration)) Console.WriteLine($"  {line}");
            Console.WriteLine();

            var unknown = Unknown(configuration);
            using var host = builder.Build();
            var lines = new List<CheckLine> { SettingsLine(host, configuration, unknown) };
            Print(lines[0]);
            await foreach (var line in new AgentChecks(host.Services, TimeProvider.System).RunAsync(cancellationToken))
            {
                Print(line);
                lines.Add(line);
            }
            var failed = lines.Count(l => l.Mark == CheckMark.Failed);
            Console.WriteLine();
            Console.WriteLine(failed == 0 ? "Ready to run." : $"{failed} problem(s) to fix before the agent can do its work.");
            return failed == 0 ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    // Keys nothing reads (a typo), with the nearest valid key; null when there are none.
    private static string? Unknown(IConfigurationRoot configuration)
    {
        try
        {
            UnknownSettings.Check(configuration, SettingsSchema.Agent);
            return null;
        }
        catch (UsageException unknown)
        {
            return unknown.Message;
        }
    }

    // Unknown keys and values the options refuse; the checks that need a refused section say so again in their own line.
    private static CheckLine SettingsLine(IHost host, IConfigurationRoot configuration, string? unknown)
    {
        var problems = new List<string>();
        if (unknown is not null) problems.Add(unknown);
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problems.Add(Failure.Describe(ex).Message);
        }
        var files = configuration.Providers.OfType<JsonConfigurationProvider>().Select(EffectiveSettings.FileOf).Where(File.Exists);
        return problems.Count == 0
            ? CheckLine.Passed("settings", $"valid (read from {string.Join(", ", files)}, the environment and the command line)")
            : CheckLine.Failed("settings", string.Join(" ", problems));
    }

    private static void Print(CheckLine line) => Console.WriteLine($"{line.Symbol} {line.Subject,-28} {line.Finding}");
}
