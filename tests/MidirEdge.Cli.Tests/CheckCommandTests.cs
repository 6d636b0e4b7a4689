using System.Text.Json;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>
/// `midir-edge check`, the doctor, run as a technician runs it against real folders, a real Mosquitto and real socat ports:
/// each problem is its own ✖ line naming the cause, and the exit code says whether anything failed.
/// </summary>
public sealed class CheckCommandTests : IDisposable
{
    private const string User = "lab/alpha";
    private const string Password = "hunter2-secret";
    private readonly TempDirectory _root = new("check");
    private readonly MosquittoBroker _broker;
    private readonly SocatPair _serial = new();

    /// <summary>A broker that wants a password, an inbox, a model folder with one demo bundle and a live serial pair.</summary>
    public CheckCommandTests()
    {
        _broker = new MosquittoBroker($"user {Environment.UserName}\npassword_file {MosquittoBroker.PasswordFile(_root.Path, (User, Password))}\n", allowAnonymous: false);
        Directory.CreateDirectory(Inbox);
        Directory.CreateDirectory(ModelFolder);
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-N.zip"), Path.Combine(ModelFolder, "demo-yamsys-N.zip"));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _serial.Dispose();
        _broker.Dispose();
        _root.Dispose();
    }

    private string Inbox => Path.Combine(_root.Path, "inbox");

    private string ModelFolder => Path.Combine(_root.Path, "models");

    /// <summary>Everything in place: every line passes, the password is never printed, exit 0.</summary>
    [Fact]
    public async Task A_working_setup_passes()
    {
        var (code, stdout, stderr) = await CheckAsync(Settings());
        Assert.True(code == 0, stdout + stderr);
        Assert.Empty(stderr);
        Assert.DoesNotContain("✖", stdout);
        Assert.DoesNotContain(Password, stdout);
        Assert.Contains("MidirEdge:Mqtt:Password = ****", stdout);
        Assert.Contains($"✔ adapter inbox (file-watch)", stdout);
        Assert.Contains($"✔ adapter lab (serial)", stdout);
        Assert.Matches(@"✔ model demo-yamsys-N +1\.2\.0: N RMSECV 0\.14\d? g/kg, R² 0\.9\d", stdout);
        Assert.Contains($"✔ broker", stdout);
        Assert.Contains($"127.0.0.1:{_broker.Port} as {User} accepts the agent", stdout);
        Assert.Contains("Ready to run.", stdout);
    }

    /// <summary>The broker is not there: its line says nothing listens at the address and which settings name it.</summary>
    [Fact]
    public async Task A_missing_broker_is_its_line()
    {
        var settings = Settings();
        var nobody = Ports.Free();
        settings["Mqtt"]!["Port"] = nobody;
        var (code, stdout, _) = await CheckAsync(settings);
        Assert.Equal(1, code);
        Assert.Contains($"✖ broker                       broker 127.0.0.1:{nobody} cannot be reached: nothing listens there (MidirEdge:Mqtt:Host, :Port)", Lines(stdout));
        Assert.Single(Failed(stdout));
    }

    /// <summary>A wrong password: the broker's refusal, naming the settings, not a tight reconnect loop.</summary>
    [Fact]
    public async Task A_wrong_password_is_its_line()
    {
        var settings = Settings();
        settings["Mqtt"]!["Password"] = "wrong";
        var (code, stdout, _) = await CheckAsync(settings);
        Assert.Equal(1, code);
        var line = Assert.Single(Failed(stdout));
        Assert.StartsWith("✖ broker", line);
        Assert.Contains($"broker 127.0.0.1:{_broker.Port} refused the connection: not authorised (MidirEdge:Mqtt:Username, :Password", line);
    }

    /// <summary>A serial port whose device has gone (socat killed, as a USB adapter unplugged): its adapter's line names the port and the setting.</summary>
    [Fact]
    public async Task A_closed_serial_port_is_its_line()
    {
        _serial.Kill();
        var (code, stdout, _) = await CheckAsync(Settings());
        Assert.Equal(1, code);
        var line = Assert.Single(Failed(stdout));
        Assert.StartsWith("✖ adapter lab (serial)", line);
        Assert.Contains($"port {_serial.A} does not open (MidirEdge:Adapters:lab:Port): serial device {_serial.A} does not exist", line);
    }

    /// <summary>No bundle in the model folder: results would carry no predictions, and the line says how to install one.</summary>
    [Fact]
    public async Task An_empty_models_folder_is_its_line()
    {
        File.Delete(Path.Combine(ModelFolder, "demo-yamsys-N.zip"));
        var (code, stdout, _) = await CheckAsync(Settings());
        Assert.Equal(1, code);
        var line = Assert.Single(Failed(stdout));
        Assert.Equal($"✖ models                       no bundle in {ModelFolder}: results would carry no predictions (install one with: midir-edge models install BUNDLE)", line);
    }

    /// <summary>A bundle the folder holds but the agent would refuse is named with the reason; the good one still passes.</summary>
    [Fact]
    public async Task A_refused_bundle_is_its_line()
    {
        File.WriteAllBytes(Path.Combine(ModelFolder, "broken.zip"), [.. File.ReadAllBytes(Path.Combine(ModelFolder, "demo-yamsys-N.zip")).Take(3000)]);
        var (code, stdout, _) = await CheckAsync(Settings());
        Assert.Equal(1, code);
        Assert.StartsWith("✖ model broken.zip", Assert.Single(Failed(stdout)));
        Assert.Contains("✔ model demo-yamsys-N", stdout);
    }

    /// <summary>A missing inbox and a misspelt key: each its own line, and the checks after them still run.</summary>
    [Fact]
    public async Task Settings_and_folder_problems_do_not_stop_the_other_checks()
    {
        var settings = Settings();
        settings["Adapters"]!["inbox"]!["Path"] = Path.Combine(_root.Path, "no-such-inbox");
        settings["Mqtt"]!["Hots"] = "typo";
        var (code, stdout, stderr) = await CheckAsync(settings);
        Assert.Equal(1, code);
        Assert.Empty(stderr);
        var failed = Failed(stdout);
        Assert.Equal(2, failed.Count);
        Assert.Contains("MidirEdge:Mqtt:Hots", failed[0]);
        Assert.Contains("MidirEdge:Mqtt:Host", failed[0]);
        Assert.Contains($"folder {Path.Combine(_root.Path, "no-such-inbox")} does not exist (MidirEdge:Adapters:inbox:Path)", failed[1]);
        Assert.Contains("✔ broker", stdout);
        Assert.Contains("✔ clock", stdout);
    }

    /// <summary>An invalid MQTT section fails the settings and the broker, not the checks that only share its file.</summary>
    [Fact]
    public async Task An_invalid_section_fails_only_the_checks_it_is_about()
    {
        var settings = Settings();
        settings["Mqtt"]!["Port"] = 70000;
        var (code, stdout, stderr) = await CheckAsync(settings);
        Assert.Equal(1, code);
        Assert.Empty(stderr);
        var failed = Failed(stdout);
        Assert.Equal(2, failed.Count);
        Assert.All(failed, line => Assert.Contains("MidirEdge:Mqtt:Port must be between 1 and 65535 (got 70000)", line));
        Assert.StartsWith("✖ settings", failed[0]);
        Assert.StartsWith("✖ broker", failed[1]);
        Assert.Contains("✔ health", stdout);
    }

    private System.Text.Json.Nodes.JsonObject Settings() => new()
    {
        ["DataDir"] = Path.Combine(_root.Path, "data"),
        ["Site"] = "lab",
        ["Instrument"] = "alpha",
        ["Health"] = new System.Text.Json.Nodes.JsonObject { ["Url"] = $"http://127.0.0.1:{Ports.Free()}" },
        ["Mqtt"] = new System.Text.Json.Nodes.JsonObject { ["Host"] = _broker.Host, ["Port"] = _broker.Port, ["Username"] = User, ["Password"] = Password },
        ["Models"] = new System.Text.Json.Nodes.JsonObject { ["Path"] = ModelFolder },
        ["Adapters"] = new System.Text.Json.Nodes.JsonObject
        {
            ["inbox"] = new System.Text.Json.Nodes.JsonObject { ["Kind"] = "file-watch", ["Path"] = Inbox, ["Profile"] = "bruker-opus-folder" },
            ["lab"] = new System.Text.Json.Nodes.JsonObject { ["Kind"] = "serial", ["Port"] = _serial.A, ["Profile"] = "generic-ascii-serial" },
        },
    };

    private async Task<(int ExitCode, string Stdout, string Stderr)> CheckAsync(System.Text.Json.Nodes.JsonObject settings)
    {
        var file = Path.Combine(_root.Path, "config.json");
        await File.WriteAllTextAsync(file, new System.Text.Json.Nodes.JsonObject { ["MidirEdge"] = settings }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return await CliProcess.RunAsync("check", "--config", file);
    }

    private static string[] Lines(string stdout) => stdout.Split('\n', StringSplitOptions.TrimEntries);

    private static List<string> Failed(string stdout) => [.. Lines(stdout).Where(l => l.StartsWith('✖'))];
}
