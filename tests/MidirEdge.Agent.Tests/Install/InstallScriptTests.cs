using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Install;

/// <summary>
/// install/install.sh run for real, staged under a temporary <c>--root</c>: the layout it creates, the installed agent
/// running on the settings it writes, an upgrade that keeps edited settings, its errors, and the unit it installs.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Collection(ArmEmulationTests.Publishing)]
public sealed partial class InstallScriptTests : IDisposable
{
    private const int SIGTERM = 15;
    private readonly PublishedAgent _published;
    private readonly TempDirectory _root = new("install");

    /// <summary>Takes the agent folder the fixture published once for all tests.</summary>
    public InstallScriptTests(PublishedAgent published) => _published = published;

    /// <summary>Removes the staged tree.</summary>
    public void Dispose() => _root.Dispose();

    /// <summary>The binaries, device profiles, settings and data folders land where the README says; systemd is left alone.</summary>
    [Fact]
    public async Task Installs_binaries_settings_and_data_folders_and_leaves_systemd_alone()
    {
        var install = await InstallAsync("--no-service");

        // The doctor ran on the installed settings: the inbox is there, and no model yet is the technician's next step.
        Assert.Contains($"✔ adapter inbox (file-watch)   folder {Staged("/var/lib/midir-edge/inbox")}", install.Stdout);
        Assert.Contains($"✖ models                       no bundle in {Staged("/var/lib/midir-edge/models")}", install.Stdout);
        Assert.Contains("midir-edge: the check found problems", install.Stdout);

        Assert.True(File.GetUnixFileMode(Staged("/opt/midir-edge/midir-edge")).HasFlag(UnixFileMode.OtherExecute));
        Assert.True(File.Exists(Staged("/opt/midir-edge/appsettings.json")));
        Assert.Contains(Staged("/opt/midir-edge/device-profiles/bruker-opus-folder.json"), Directory.GetFiles(Staged("/opt/midir-edge/device-profiles")));
        Assert.True(Directory.Exists(Staged("/var/lib/midir-edge/inbox")));
        Assert.True(Directory.Exists(Staged("/var/lib/midir-edge/models")));
        Assert.False(Directory.Exists(Staged("/etc/systemd")));
        Assert.False(Directory.Exists(Staged("/opt/midir-edge.new")) || Directory.Exists(Staged("/opt/midir-edge.old")));

        using var settings = JsonDocument.Parse(File.ReadAllText(Staged("/etc/midir-edge/midir-edge.json")));
        var agent = settings.RootElement.GetProperty("MidirEdge");
        var host = HostLabel().Replace(Environment.MachineName.Split('.')[0], "");
        Assert.Equal(host.Length > 0 ? host : "lab", agent.GetProperty("Site").GetString());
        Assert.Equal("/var/lib/midir-edge", agent.GetProperty("DataDir").GetString());
        Assert.Equal("/var/lib/midir-edge/inbox", agent.GetProperty("Adapters").GetProperty("FileWatch").GetProperty("Path").GetString());
        Assert.Equal("/var/lib/midir-edge/models", agent.GetProperty("Models").GetProperty("Path").GetString());
        Assert.Equal("", agent.GetProperty("Mqtt").GetProperty("Host").GetString());

        var version = await RunAsync(Staged("/opt/midir-edge/midir-edge"), ["--version"]);
        Assert.True(version.ExitCode == 0, version.Output);
        Assert.StartsWith("0.", version.Stdout);
    }

    /// <summary>
    /// The installed binary, on the generated settings with its folders moved under the staged root by environment
    /// variables (as a technician would override a key), installs a model, predicts a dropped spectrum, publishes
    /// the result on the embedded broker, archives the file, and exits 0 on SIGTERM as systemd stops it.
    /// </summary>
    [Fact]
    public async Task The_installed_agent_runs_on_the_generated_settings_and_stops_cleanly_on_SIGTERM()
    {
        await InstallAsync("--no-service");
        var agent = Staged("/opt/midir-edge/midir-edge");
        var settings = Staged("/etc/midir-edge/midir-edge.json");
        string site;
        using (var json = JsonDocument.Parse(File.ReadAllText(settings)))
            site = json.RootElement.GetProperty("MidirEdge").GetProperty("Site").GetString()!;
        int mqttPort = Ports.Free(), healthPort = Ports.Free();
        var environment = new Dictionary<string, string>
        {
            ["MidirEdge__DataDir"] = Staged("/var/lib/midir-edge"),
            ["MidirEdge__Models__Path"] = Staged("/var/lib/midir-edge/models"),
            ["MidirEdge__Adapters__FileWatch__Path"] = Staged("/var/lib/midir-edge/inbox"),
            ["MidirEdge__Adapters__FileWatch__StableFor"] = "00:00:00.300",
            ["MidirEdge__Mqtt__Port"] = $"{mqttPort}",
            ["MidirEdge__Health__Url"] = $"http://127.0.0.1:{healthPort}",
        };

        var model = await RunAsync(agent, ["models", "install", Staged("/opt/midir-edge/demo/models/demo-yamsys-C.zip"), "--config", settings], environment);
        Assert.True(model.ExitCode == 0, model.Output);
        var list = await RunAsync(agent, ["models", "list", "--config", settings], environment);
        Assert.True(list.ExitCode == 0, list.Output);
        Assert.Contains("demo-yamsys-C", list.Stdout);

        var output = new StringBuilder();
        using var process = Start(agent, ["run", "--config", settings], environment, output);
        try
        {
            using (var http = new HttpClient())
            {
                await Eventually.True(() =>
                {
                    if (process.HasExited) throw new InvalidOperationException($"the agent exited with {process.ExitCode}:\n{Read(output)}");
                    try
                    {
                        using var response = http.GetAsync($"http://127.0.0.1:{healthPort}/healthz").GetAwaiter().GetResult();
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                });
            }
            await using var probe = await MqttProbe.ConnectAsync("127.0.0.1", mqttPort, $"midir/{site}/ftir-1/result");
            var spectrum = Staged("/var/lib/midir-edge/BF_lo_02_soil_cal.0.csv");
            File.Copy(Staged("/opt/midir-edge/demo/spectra/BF_lo_02_soil_cal.0.csv"), spectrum);
            File.Move(spectrum, Staged("/var/lib/midir-edge/inbox/BF_lo_02_soil_cal.0.csv"));

            var result = (await probe.WaitUntilAsync(m => m.Count >= 1))[0].Json;
            Assert.Equal("C", result.GetProperty("predictions")[0].GetProperty("target").GetString());
            var archive = Staged("/var/lib/midir-edge/inbox/archive");
            await Eventually.True(() => Directory.Exists(archive) && Directory.GetFiles(archive, "BF_lo_02_soil_cal.0.csv", SearchOption.AllDirectories).Length == 1);
        }
        finally
        {
            if (!process.HasExited) Kill(process.Id, SIGTERM);
            using var guard = new CancellationTokenSource(MqttProbe.Guard);
            try
            {
                await process.WaitForExitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"the agent did not stop on SIGTERM:\n{Read(output)}");
            }
        }
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{Read(output)}");
        Assert.True(File.Exists(Staged("/var/lib/midir-edge/midir-edge.db")));
    }

    /// <summary>A second run replaces the binaries (a stray file goes) and keeps the technician's settings and the data byte for byte.</summary>
    [Fact]
    public async Task Reinstalling_upgrades_the_binaries_and_keeps_edited_settings_and_data()
    {
        await InstallAsync("--no-service");
        const string edited = "{ \"MidirEdge\": { \"Site\": \"edited-by-hand\", \"Mqtt\": { \"Host\": \"broker.lab\" } } }\n";
        await File.WriteAllTextAsync(Staged("/etc/midir-edge/midir-edge.json"), edited);
        await File.WriteAllTextAsync(Staged("/var/lib/midir-edge/models/kept.zip"), "model");
        await File.WriteAllTextAsync(Staged("/opt/midir-edge/stray.txt"), "left by an older version");

        var second = await InstallAsync("--no-service");

        Assert.Contains("keeping the settings", second.Stdout);
        Assert.Equal(edited, await File.ReadAllTextAsync(Staged("/etc/midir-edge/midir-edge.json")));
        Assert.Equal("model", await File.ReadAllTextAsync(Staged("/var/lib/midir-edge/models/kept.zip")));
        Assert.False(File.Exists(Staged("/opt/midir-edge/stray.txt")));
        Assert.True(File.Exists(Staged("/opt/midir-edge/midir-edge")));
    }

    /// <summary>
    /// An upgrade keeps the version it replaced; <c>--rollback</c> puts it back (settings and data untouched) and a second
    /// <c>--rollback</c> returns to the upgrade; with nothing kept it is refused in one line.
    /// </summary>
    [Fact]
    public async Task Rollback_puts_back_the_version_an_upgrade_replaced()
    {
        var script = Fixtures.RepositoryPath("install/install.sh");
        AssertRefused(await RunAsync(script, ["--root", _root.Path, "--rollback"]), "nothing to roll back to");
        await InstallAsync("--no-service");
        await File.WriteAllTextAsync(Staged("/opt/midir-edge/older.txt"), "the version before the upgrade");
        await File.WriteAllTextAsync(Staged("/etc/midir-edge/midir-edge.json"), "{ \"MidirEdge\": { \"Site\": \"kept\" } }\n");
        await InstallAsync("--no-service");
        Assert.False(File.Exists(Staged("/opt/midir-edge/older.txt")));

        var back = await RunAsync(script, ["--root", _root.Path, "--no-service", "--rollback"]);

        Assert.True(back.ExitCode == 0, back.Output);
        Assert.Contains("rolled back", back.Stdout);
        Assert.True(File.Exists(Staged("/opt/midir-edge/older.txt")));
        Assert.True(File.Exists(Staged("/opt/midir-edge/midir-edge")));
        Assert.False(File.Exists(Staged("/opt/midir-edge.previous/older.txt")));
        Assert.Contains("kept", await File.ReadAllTextAsync(Staged("/etc/midir-edge/midir-edge.json")));
        var forward = await RunAsync(script, ["--root", _root.Path, "--no-service", "--rollback"]);
        Assert.True(forward.ExitCode == 0, forward.Output);
        Assert.False(File.Exists(Staged("/opt/midir-edge/older.txt")));
    }

    /// <summary>Unknown or incomplete options and unusable values stop the script with one <c>install.sh:</c> line and nothing installed.</summary>
    [Theory]
    [InlineData("unknown option '--bogus'", "--bogus")]
    [InlineData("--prefix needs a value", "--prefix")]
    [InlineData("--prefix must be an absolute path", "--prefix", "relative/midir-edge")]
    [InlineData("--data-dir must be an absolute path", "--data-dir", "/var/lib/with space")]
    [InlineData("--user must be a plain account name", "--user", "Lab User")]
    [InlineData("is not a folder", "--from", "/nonexistent/midir-edge")]
    public async Task Bad_options_exit_non_zero_with_an_install_sh_line(string message, params string[] options)
    {
        var run = await RunAsync(Fixtures.RepositoryPath("install/install.sh"), ["--root", _root.Path, .. options]);

        AssertRefused(run, message);
        Assert.Empty(Directory.GetFileSystemEntries(_root.Path));
    }

    /// <summary>Without dotnet on the PATH and without <c>--from</c> there is nothing to install.</summary>
    [Fact]
    public async Task Without_dotnet_and_without_from_it_says_so()
    {
        // A PATH holding every command of this machine except dotnet.
        var bin = Directory.CreateDirectory(Path.Combine(_root.Path, "bin")).FullName;
        foreach (var folder in new[] { "/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin" }.Where(Directory.Exists))
        {
            foreach (var command in Directory.GetFiles(folder))
            {
                var link = Path.Combine(bin, Path.GetFileName(command));
                if (Path.GetFileName(command) != "dotnet" && !File.Exists(link) && !Directory.Exists(link)) File.CreateSymbolicLink(link, command);
            }
        }

        var run = await RunAsync(Fixtures.RepositoryPath("install/install.sh"), ["--root", Path.Combine(_root.Path, "stage")],
            new Dictionary<string, string> { ["PATH"] = bin });

        AssertRefused(run, "dotnet not found");
    }

    /// <summary>Installing on this machine needs root; a normal user is told so (checked by dropping to <c>nobody</c> when the tests run as root).</summary>
    [Fact]
    public async Task A_normal_user_without_root_is_refused()
    {
        var script = Fixtures.RepositoryPath("install/install.sh");
        (int ExitCode, string Stdout, string Stderr, string Output) run;
        if (Environment.UserName == "root")
        {
            // nobody may not be able to read the repository: run a copy from a folder it can read.
            File.SetUnixFileMode(_root.Path, (UnixFileMode)0b111_101_101);
            var copy = Path.Combine(_root.Path, "install.sh");
            File.Copy(script, copy);
            File.SetUnixFileMode(copy, (UnixFileMode)0b111_101_101);
            run = await RunAsync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", copy, "--from", _published.Folder]);
        }
        else
        {
            run = await RunAsync(script, ["--from", _published.Folder]);
        }

        AssertRefused(run, "must run as root");
    }

    /// <summary>
    /// The unit installed without <c>--no-service</c> carries the chosen paths and account, and passes
    /// <c>systemd-analyze verify</c> with no warning (its ExecStart pointed at the staged binary, which verify requires to exist).
    /// </summary>
    [Theory]
    [InlineData("/opt/midir-edge", "/etc/midir-edge", "/var/lib/midir-edge", "midir-edge", "midir-edge", "midir-edge")]
    [InlineData("/opt/lab/agent", "/etc/lab/agent", "/srv/spectra", "ftir", "lab/agent", null)]
    public async Task The_installed_unit_has_the_chosen_paths_and_passes_systemd_analyze_verify(
        string prefix, string configDir, string dataDir, string user, string? configurationDirectory, string? stateDirectory)
    {
        await InstallAsync("--prefix", prefix, "--config-dir", configDir, "--data-dir", dataDir, "--user", user);

        var unit = await File.ReadAllLinesAsync(Staged("/etc/systemd/system/midir-edge.service"));
        Assert.Contains($"ExecStart={prefix}/midir-edge run --config {configDir}/midir-edge.json", unit);
        Assert.Contains($"WorkingDirectory={dataDir}", unit);
        Assert.Contains($"ReadWritePaths={dataDir}", unit);
        Assert.Contains($"User={user}", unit);
        Assert.Contains($"Group={user}", unit);
        Assert.Equal(configurationDirectory, Setting(unit, "ConfigurationDirectory"));
        Assert.Equal(stateDirectory, Setting(unit, "StateDirectory"));
        Assert.Equal(stateDirectory is null ? null : "0750", Setting(unit, "StateDirectoryMode"));
        Assert.Equal("notify", Setting(unit, "Type"));
        Assert.Equal("60s", Setting(unit, "TimeoutStopSec"));
        Assert.True(File.Exists(Staged(prefix + "/midir-edge")));
        Assert.True(File.Exists(Staged(configDir + "/midir-edge.json")));
        Assert.True(Directory.Exists(Staged(dataDir + "/inbox")));

        const string analyzer = "/usr/bin/systemd-analyze";
        Assert.True(File.Exists(analyzer), $"{analyzer} is needed to check the unit (Debian package systemd)");
        var check = Directory.CreateDirectory(Path.Combine(_root.Path, "verify")).FullName;
        await File.WriteAllLinesAsync(Path.Combine(check, "midir-edge.service"),
            unit.Select(line => line.StartsWith("ExecStart=", StringComparison.Ordinal) ? "ExecStart=" + Staged(line["ExecStart=".Length..]) : line));
        var verify = await RunAsync(analyzer, ["verify", "--man=no", Path.Combine(check, "midir-edge.service")]);
        Assert.True(verify.ExitCode == 0 && (verify.Stdout + verify.Stderr).Trim().Length == 0, verify.Output);
    }

    private string Staged(string absolute) => Path.Combine(_root.Path, absolute.TrimStart('/'));

    private async Task<(int ExitCode, string Stdout, string Stderr, string Output)> InstallAsync(params string[] options)
    {
        var run = await RunAsync(Fixtures.RepositoryPath("install/install.sh"), ["--root", _root.Path, "--from", _published.Folder, .. options]);
        Assert.True(run.ExitCode == 0, run.Output);
        return run;
    }

    private static void AssertRefused((int ExitCode, string Stdout, string Stderr, string Output) run, string message)
    {
        Assert.NotEqual(0, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("install.sh: ", line);
        Assert.Contains(message, line);
    }

    private static string? Setting(string[] unit, string key) =>
        unit.Where(line => line.StartsWith(key + "=", StringComparison.Ordinal)).Select(line => line[(key.Length + 1)..]).SingleOrDefault();

    /// <summary>Runs a program to the end and returns its exit code and output.</summary>
    internal static async Task<(int ExitCode, string Stdout, string Stderr, string Output)> RunAsync(
        string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var output = new StringBuilder();
        using var process = Start(executable, arguments, environment, output, out var stdout, out var stderr);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} did not finish:\n{Read(output)}");
        }
        return (process.ExitCode, Read(stdout), Read(stderr), $"{executable} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{Read(output)}");
    }

    private static Process Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, StringBuilder output) =>
        Start(executable, arguments, environment, output, out _, out _);

    private static Process Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment,
        StringBuilder output, out StringBuilder stdout, out StringBuilder stderr)
    {
        var start = new ProcessStartInfo(executable, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = new Process { StartInfo = start };
        StringBuilder outText = new(), errText = new();
        process.OutputDataReceived += (_, e) => Append(e.Data, outText, output);
        process.ErrorDataReceived += (_, e) => Append(e.Data, errText, output);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        (stdout, stderr) = (outText, errText);
        return process;
    }

    private static void Append(string? line, StringBuilder own, StringBuilder all)
    {
        if (line is null) return;
        lock (own) own.AppendLine(line);
        lock (all) all.AppendLine(line);
    }

    private static string Read(StringBuilder text) { lock (text) return text.ToString(); }

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex HostLabel();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

/// <summary>The agent published once per test class, by install.sh's own publish path (self-contained, for this machine).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PublishedAgent : IDisposable
{
    private readonly TempDirectory _root = new("install-published");

    /// <summary>Runs <c>install/install.sh --root TEMP --no-service</c>, which runs <c>dotnet publish</c>.</summary>
    public PublishedAgent()
    {
        var run = InstallScriptTests.RunAsync(Fixtures.RepositoryPath("install/install.sh"), ["--root", _root.Path, "--no-service"]).GetAwaiter().GetResult();
        if (run.ExitCode != 0) throw new InvalidOperationException(run.Output);
        Folder = Path.Combine(_root.Path, "opt", "midir-edge");
    }

    /// <summary>The published agent, as installed under the fixture's own root.</summary>
    public string Folder { get; }

    /// <summary>Removes the published folder.</summary>
    public void Dispose() => _root.Dispose();
}
