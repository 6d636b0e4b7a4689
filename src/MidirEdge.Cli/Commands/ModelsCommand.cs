using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MidirEdge.Cli.Failures;
using MidirEdge.Cli.Settings;
using MidirEdge.Models.Store;
using Spectre.Console;

namespace MidirEdge.Cli.Commands;

/// <summary><c>midir-edge models install BUNDLE | list | rollback ID</c>: manage the bundles the agent runs, in its configured model folder.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "Install, list and roll back the model bundles the agent runs (a running agent picks changes up by itself)");
        var config = RunCommand.ConfigOption("The agent's JSON settings file, to find its model folder and trusted keys");
        config.Recursive = true;
        command.Options.Add(config);

        var bundle = new Argument<FileInfo>("BUNDLE") { Description = "Bundle .zip (or directory) to verify and install" }.Bundle();
        var install = new Command("install", "Verify a bundle (hashes, signature, pipeline) and install it; the previous version is kept for rollback") { bundle };
        install.TreatUnmatchedTokensAsErrors = false;
        install.SetAction(parse => Run(parse, config, store =>
        {
            var installed = store.Install(parse.GetRequiredValue(bundle).FullName);
            Console.WriteLine($"Installed {installed.Id} {installed.Version} ({string.Join(", ", installed.Manifest.Targets.Select(t => t.Name))}){(installed.IsSigned ? ", signed" : "")}");
        }));

        var list = new Command("list", "List the active bundles");
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction(parse => Run(parse, config, store =>
        {
            var table = new Table().AddColumns("id", "version", "targets", "signed", "created", "source");
            foreach (var b in store.Active)
                table.AddRow(b.Id, b.Version, string.Join(", ", b.Manifest.Targets.Select(t => t.Name)), b.IsSigned ? "yes" : "no",
                    b.Manifest.Created.UtcDateTime.ToString("yyyy-MM-dd"), Path.GetFileName(b.Source));
            AnsiConsole.Write(table);
        }));

        var id = new Argument<string>("ID") { Description = "Bundle id to return to its previous version" };
        var rollback = new Command("rollback", "Retire the active version of a bundle so the previous one runs again") { id };
        rollback.TreatUnmatchedTokensAsErrors = false;
        rollback.SetAction(parse => Run(parse, config, store =>
        {
            var target = parse.GetRequiredValue(id);
            if (!store.Active.Any(b => b.Id == target))
                throw new UsageException(store.Active.IsEmpty
                    ? $"no bundle '{target}'; none is installed."
                    : $"no bundle '{target}'; installed: {string.Join(", ", store.Active.Select(b => b.Id).Order(StringComparer.Ordinal))}.");
            if (!store.Rollback(target)) throw new CommandFailedException($"{target}: no previous version to return to.");
            Console.WriteLine($"{target} is now at {store.Active.First(b => b.Id == target).Version}");
        }));

        command.Subcommands.Add(install);
        command.Subcommands.Add(list);
        command.Subcommands.Add(rollback);
        return command;
    }

    // The store is the agent's own, resolved from the same settings as 'run', so both agree on the folder and the trusted keys.
    private static int Run(ParseResult parse, Option<FileInfo?> config, Action<ModelStore> action)
    {
        using var host = RunCommand.Build(parse.GetValue(config)?.FullName, null, SettingArguments.Of(parse));
        StartChecks.ForModels(host.Services);
        var store = host.Services.GetRequiredService<ModelStore>();
        store.Reload();
        action(store);
        return ExitCodes.Success;
    }
}
