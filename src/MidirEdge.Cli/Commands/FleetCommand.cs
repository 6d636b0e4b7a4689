using System.CommandLine;
using System.Globalization;
using MidirEdge.Agent.Fleet;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Cli.Failures;
using MidirEdge.Cli.Fleet;
using MidirEdge.Models.Bundles;
using Spectre.Console;

namespace MidirEdge.Cli.Commands;

/// <summary>
/// <c>midir-edge fleet status | deploy BUNDLE --to PATTERN | rollback ID --to PATTERN</c>: the instruments publishing to one broker,
/// seen through their retained statuses and driven through their command topics (agents with <c>MidirEdge:Fleet:Enabled</c>).
/// </summary>
internal static class FleetCommand
{
    public static Command Create()
    {
        var broker = new Option<string>("--broker") { Description = "Broker as HOST[:PORT] (port 1883 by default, 8883 with --tls)", Required = true, Recursive = true };
        var username = new Option<string?>("--username") { Description = "User name at the broker (the ACL in install/mosquitto/ names it 'fleet')", Recursive = true };
        var password = new Option<string?>("--password") { Description = "Password of --username", Recursive = true };
        var tls = new Option<bool>("--tls") { Description = "Connect with TLS", Recursive = true };
        var ca = new Option<FileInfo?>("--ca-file") { Description = "PEM CA the broker's certificate must chain to (default: the system store)", Recursive = true }.ExistingFile();
        var cert = new Option<FileInfo?>("--cert") { Description = "Client certificate: PEM (with --key) or PKCS#12", Recursive = true }.ExistingFile();
        var key = new Option<FileInfo?>("--key") { Description = "PEM private key of --cert", Recursive = true }.ExistingFile();
        var command = new Command("fleet", "See and update many instruments through their MQTT broker: status, model deployment, rollback")
        {
            broker, username, password, tls, ca, cert, key,
        };
        MqttOptions Broker(ParseResult parse) => BrokerOptions(parse.GetRequiredValue(broker), parse.GetValue(username), parse.GetValue(password),
            parse.GetValue(tls), parse.GetValue(ca), parse.GetValue(cert), parse.GetValue(key));

        var site = new Option<string?>("--site") { Description = "Only the instruments of this site" };
        var statusWait = WaitOption("How long to wait for the online instruments' fresh statuses", "3s");
        var status = new Command("status", "Table of the instruments: state, agent version, models, outbox depth, last result") { site, statusWait };
        status.SetAction(async (parse, cancellationToken) =>
        {
            var pattern = Pattern($"{parse.GetValue(site) ?? "+"}/+", "--site");
            var wait = Wait(parse, statusWait);
            await using var client = await FleetClient.ConnectAsync(Broker(parse), cancellationToken);
            var known = await client.DiscoverAsync(pattern, cancellationToken);
            var online = known.Where(s => s.State == "online").ToArray();
            // Each online agent republishes its status, so the table shows its outbox and last result as of now.
            if (online.Length > 0)
                await client.SendAsync(online, "status", [], wait, cancellationToken);
            var table = new Table().AddColumns("instrument", "state", "version", "models", "outbox", "last result", "missing");
            foreach (var s in client.Statuses(pattern))
                table.AddRow(Markup.Escape(s.Name), s.State, Markup.Escape(s.Version), Markup.Escape(string.Join(", ", s.Models.Select(m => $"{m.Id} {m.Version}"))),
                    s.OutboxDepth.ToString(CultureInfo.InvariantCulture), FleetClient.Format(s.LastResultUtc), Markup.Escape(string.Join(", ", s.Missing)));
            Write(table);
            Console.WriteLine($"{known.Count} instrument(s), {online.Length} online");
            return ExitCodes.Success;
        });

        var bundle = new Argument<FileInfo>("BUNDLE") { Description = "Signed bundle .zip to install on every matching instrument" }.ExistingFile();
        var to = ToOption();
        var deployWait = WaitOption("How long to wait for every instrument's answer (e.g. 60s, 2m)", "60s");
        var deploy = new Command("deploy", "Send a signed bundle to the matching instruments, record it as their desired model, and wait for each answer")
        {
            bundle, to, deployWait,
        };
        deploy.SetAction(async (parse, cancellationToken) =>
        {
            var pattern = Pattern(parse.GetRequiredValue(to), "--to");
            var wait = Wait(parse, deployWait);
            var file = parse.GetRequiredValue(bundle);
            DesiredBundle sent;
            using (var loaded = ModelBundle.Load(file.FullName, cancellationToken: cancellationToken))
                sent = new DesiredBundle(loaded.Id, loaded.Version, loaded.ManifestSha256);
            var payload = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
            await using var client = await FleetClient.ConnectAsync(Broker(parse), cancellationToken);
            var targets = await Targets(client, pattern, cancellationToken);
            Console.WriteLine($"deploying {sent.Id} {sent.Version} ({sent.Sha256[..12]}) to {targets.Count} instrument(s)");
            var outcomes = await client.DeployAsync(targets, payload, sent, wait, cancellationToken);
            return Report(outcomes, $"{sent.Id} {sent.Version}");
        });

        var id = new Argument<string>("ID") { Description = "Bundle id to return to its previous version" };
        var rollbackTo = ToOption();
        var rollbackWait = WaitOption("How long to wait for every instrument's answer", "60s");
        var rollback = new Command("rollback", "Return a bundle to its previous version on the matching instruments, and wait for each answer")
        {
            id, rollbackTo, rollbackWait,
        };
        rollback.SetAction(async (parse, cancellationToken) =>
        {
            var pattern = Pattern(parse.GetRequiredValue(rollbackTo), "--to");
            var wait = Wait(parse, rollbackWait);
            var bundleId = parse.GetRequiredValue(id);
            await using var client = await FleetClient.ConnectAsync(Broker(parse), cancellationToken);
            var targets = await Targets(client, pattern, cancellationToken);
            var payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new RollbackCommand(bundleId), FleetJson.Default.RollbackCommand);
            var outcomes = await client.SendAsync(targets, "models/rollback", payload, wait, cancellationToken);
            foreach (var o in outcomes.Where(o => o.Outcome != "refused"))
            {
                // The version now active is the desired one; with no answer yet, the id is left to the instrument.
                var now = o.Reply is { Version: { } version, Sha256: { } sha } ? new DesiredBundle(bundleId, version, sha) : null;
                await client.PublishDesiredAsync(o.Target, FleetClient.Desired(o.Target, bundleId, now), cancellationToken);
            }
            return Report(outcomes, $"{bundleId} rolled back");
        });

        command.Subcommands.Add(status);
        command.Subcommands.Add(deploy);
        command.Subcommands.Add(rollback);
        return command;
    }

    private static Option<string> ToOption() =>
        new("--to") { Description = "Instruments as SITE/INSTRUMENT, either level may be '+': 'lab/+', '+/+', 'lab/alpha1'", Required = true };

    private static Option<string> WaitOption(string description, string defaultValue) =>
        new("--wait") { Description = description, DefaultValueFactory = _ => defaultValue };

    private static TimeSpan Wait(ParseResult parse, Option<string> option)
    {
        var text = parse.GetValue(option)!.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || value * unit > 86_400)
            throw new UsageException($"--wait must be a positive duration such as 60s, 2m or 500ms (got '{text}').");
        return TimeSpan.FromSeconds(value * unit);
    }

    private static string Pattern(string pattern, string option) =>
        FleetClient.IsPattern(pattern) ? pattern
            : throw new UsageException($"{option} must be SITE/INSTRUMENT, either level a name or '+' (got '{pattern}').");

    private static async Task<IReadOnlyList<InstrumentStatus>> Targets(FleetClient client, string pattern, CancellationToken cancellationToken)
    {
        var targets = await client.DiscoverAsync(pattern, cancellationToken);
        return targets.Count > 0 ? targets
            : throw new CommandFailedException($"no instrument matches '{pattern}': none has a retained status on midir/{pattern}/status.");
    }

    private static int Report(IReadOnlyList<CommandOutcome> outcomes, string what)
    {
        var table = new Table().AddColumns("instrument", "state", "answer", "version", "reason");
        foreach (var o in outcomes)
            table.AddRow(Markup.Escape(o.Target.Name), o.Target.State, o.Outcome, Markup.Escape(o.Reply?.Version ?? "-"), Markup.Escape(o.Reply?.Reason ?? ""));
        Write(table);
        var failed = outcomes.Count(o => o.Outcome is "refused" or "no answer");
        if (failed > 0)
            throw new CommandFailedException($"{what}: {outcomes.Count(o => o.Outcome == "refused")} refused, {outcomes.Count(o => o.Outcome == "no answer")} did not answer, " +
                $"{outcomes.Count - failed} of {outcomes.Count} took it.");
        Console.WriteLine($"{what}: all {outcomes.Count} instrument(s) took it");
        return ExitCodes.Success;
    }

    /// <summary>Writes a table; into a file or pipe at full width, since wrapped cells there only break each row over several lines.</summary>
    private static void Write(Table table)
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 1000;
        AnsiConsole.Write(table);
    }

    private static MqttOptions BrokerOptions(string broker, string? username, string? password, bool tls, FileInfo? ca, FileInfo? cert, FileInfo? key)
    {
        var colon = broker.LastIndexOf(':');
        var host = colon > 0 ? broker[..colon] : broker;
        var port = tls ? 8883 : 1883;
        if (host.Length == 0 || (colon > 0 && (!int.TryParse(broker[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)))
            throw new UsageException($"--broker must be HOST[:PORT] with a port from 1 to 65535 (got '{broker}').");
        if (password is not null && username is null) throw new UsageException("--password needs --username.");
        if (!tls && (ca is not null || cert is not null)) throw new UsageException("--ca-file and --cert need --tls.");
        if (key is not null && cert is null) throw new UsageException("--key needs --cert.");
        return new MqttOptions
        {
            Host = host, Port = port, Username = username ?? "", Password = password ?? "", UseTls = tls,
            CaFile = ca?.FullName ?? "", ClientCertificateFile = cert?.FullName ?? "", ClientKeyFile = key?.FullName ?? "",
        };
    }
}
