using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MidirEdge.Agent;
using MidirEdge.Agent.Capturing;
using MidirEdge.Cli.Demo;
using MidirEdge.Cli.Hosting;
using MidirEdge.Agent.Profiles;

namespace MidirEdge.Cli.Commands;

/// <summary><c>midir-edge run [--config FILE] [--demo]</c>: the unattended agent.</summary>
internal static partial class RunCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON settings file (on top of appsettings.json; environment variables and --MidirEdge:Key=value override it)" };
        var demo = new Option<bool>("--demo") { Description = "Run on temporary folders with the bundled demo models, replay the demo spectra, and print every result" };
        var keep = new Option<bool>("--keep") { Description = "With --demo: keep the temporary folders (inbox, archive, quarantine, cache) after the demo" };
        var command = new Command("run", "Run the agent: watch for spectra, predict, publish over MQTT") { config, demo, keep };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var setup = parse.GetValue(demo) ? DemoSetup.Create(parse.GetValue(keep)) : null;
            if (parse.GetValue(config) is { Exists: false } missing)
                return CliErrors.Fail("run", $"settings file {missing.FullName} does not exist", CliErrors.UsageError);
            using var host = Build(parse.GetValue(config)?.FullName, setup, [.. parse.UnmatchedTokens]);
            try
            {
                // Settings are checked before the host starts, so a wrong key is one clear line rather than a logged stack trace.
                host.Services.GetService<IStartupValidator>()?.Validate();
                // Adapters load their device profiles when built: a bad profile is a settings error as well.
                _ = host.Services.GetServices<ICaptureAdapter>().ToArray();
                await host.StartAsync(cancellationToken);
            }
            catch (OptionsValidationException ex)
            {
                return CliErrors.Fail("run", "invalid settings: " + string.Join(" ", ex.Failures), CliErrors.UsageError);
            }
            catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
            {
                // Several sections wrong at once: name every key in the one line.
                var failures = ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures);
                return CliErrors.Fail("run", "invalid settings: " + string.Join(" ", failures), CliErrors.UsageError);
            }
            catch (InvalidOperationException ex) when (ex.InnerException is FormatException or NotSupportedException or ArgumentException
                && ex.Source == "Microsoft.Extensions.Configuration.Binder")
            {
                return CliErrors.Fail("run", "invalid settings: " + WrongType(ex.Message), CliErrors.UsageError);
            }
            catch (DeviceProfileException ex)
            {
                return CliErrors.Fail("run", "invalid device profile: " + ex.Message, CliErrors.UsageError);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0; // stopped while starting, e.g. during the first load of the model folder
            }
            if (setup is not null)
            {
                Console.WriteLine($"Demo: agent running on {setup.Root}; replaying {DemoSetup.Spectra.Length} spectra into {setup.Inbox}. Press Ctrl+C to stop{(parse.GetValue(keep) ? "" : " (the folder is deleted then; --keep keeps it)")}.");
                _ = setup.ReplayAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
            await host.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A value of the wrong type ("Port": "abc") as the key's own sentence, from the binder's message
    /// ("Failed to convert configuration value 'abc' at 'KEY' to type 'System.Int32'."); any other wording is kept as it is.
    /// </summary>
    private static string WrongType(string binderMessage)
    {
        var match = BinderFailure().Match(binderMessage);
        if (!match.Success) return binderMessage;
        var wanted = match.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Double" => "a number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a duration such as 00:00:30",
            var type when typeof(AgentHost).Assembly.GetType(type) is { IsEnum: true } options => "one of " + string.Join(", ", Enum.GetNames(options)),
            var type => "a " + type[(type.LastIndexOf('.') + 1)..],
        };
        return $"{match.Groups["key"].Value} must be {wanted} (got '{match.Groups["value"].Value}').";
    }

    [System.Text.RegularExpressions.GeneratedRegex("value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex BinderFailure();

    /// <summary>The agent's host as the executable runs it: a systemd or Windows service, and the demo's printer with <paramref name="demo"/>.</summary>
    internal static IHost Build(string? configFile, DemoSetup? demo, string[] args)
    {
        var builder = AgentHost.CreateBuilder(configFile, demo?.Settings() ?? [], args);
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
