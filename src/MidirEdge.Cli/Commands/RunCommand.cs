using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MidirEdge.Agent;
using MidirEdge.Agent.Capturing;
using MidirEdge.Cli.Demo;
using MidirEdge.Cli.Failures;
using MidirEdge.Cli.Hosting;
using MidirEdge.Cli.Settings;

namespace MidirEdge.Cli.Commands;

/// <summary><c>midir-edge run [--config FILE] [--demo]</c>: the unattended agent.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = ConfigOption("JSON settings file (on top of appsettings.json; environment variables and --MidirEdge:Key=value override it)");
        var demo = new Option<bool>("--demo") { Description = "Run on temporary folders with the bundled demo models, replay the demo spectra, and print every result" };
        var keep = new Option<bool>("--keep") { Description = "With --demo: keep the temporary folders (inbox, archive, quarantine, cache) after the demo" };
        var command = new Command("run", "Run the agent: watch for spectra, predict, publish over MQTT") { config, demo, keep };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = SettingArguments.Of(parse);
            using var setup = parse.GetValue(demo) ? DemoSetup.Create(parse.GetValue(keep)) : null;
            using var host = Build(parse.GetValue(config)?.FullName, setup, settings);
            try
            {
                // Settings are checked before the host starts, so a wrong key is one clear line rather than a logged stack trace.
                host.Services.GetService<IStartupValidator>()?.Validate();
                // Adapters load their device profiles when built: a bad profile is a settings error as well.
                _ = host.Services.GetServices<ICaptureAdapter>().ToArray();
                StartChecks.ForRun(host.Services);
                await host.StartAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Success; // stopped while starting, e.g. during the first load of the model folder
            }
            if (setup is not null)
            {
                Console.WriteLine($"Demo: agent running on {setup.Root}; replaying {DemoSetup.Spectra.Length} spectra into {setup.Inbox}. Press Ctrl+C to stop{(parse.GetValue(keep) ? "" : " (the folder is deleted then; --keep keeps it)")}.");
                _ = setup.ReplayAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
            await host.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The <c>--config FILE</c> option of the commands that read the agent's settings.</summary>
    internal static Option<FileInfo?> ConfigOption(string description) => new Option<FileInfo?>("--config") { Description = description }.ExistingFile();

    /// <summary>
    /// The agent's host as the executable runs it: a systemd or Windows service, and the demo's printer with <paramref name="demo"/>.
    /// A setting no part of the agent reads (a typo) is refused here, before any is bound.
    /// </summary>
    internal static IHost Build(string? configFile, DemoSetup? demo, string[] args)
    {
        var builder = AgentHost.CreateBuilder(configFile, demo?.Settings() ?? [], args);
        UnknownSettings.Check(builder.Configuration, SettingsSchema.Agent);
        builder.AddLogFile();
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(options => options.ServiceName = "midir-edge");
        if (demo is not null)
        {
            builder.Services.AddSingleton(Console.Out);
            builder.Services.AddHostedService<ResultPrinter>();
        }
        return builder.Build();
    }
}
