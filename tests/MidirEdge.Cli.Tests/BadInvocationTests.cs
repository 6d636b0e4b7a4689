using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>
/// The built <c>midir-edge</c>, run as a technician runs it, with bad settings, ports, folders, files and options in every
/// command: each failure is exactly one line on stderr naming the cause, no stack trace, and the documented exit code
/// (2: what was typed or configured is wrong; 1: the input cannot be used).
/// </summary>
public sealed class BadInvocationTests(BadInvocationTests.Scene scene) : IClassFixture<BadInvocationTests.Scene>
{
    /// <summary>Real files, folders and a taken port the invocations point at; placeholders in the table name them.</summary>
    public sealed class Scene : IDisposable
    {
        private readonly TempDirectory _dir = new("bad-invocations");
        private readonly TcpListener _busy = new(IPAddress.Loopback, 0);

        /// <summary>Writes the files and listens on the taken port.</summary>
        public Scene()
        {
            _busy.Start();
            Directory.CreateDirectory(Path.Combine(_dir.Path, "folder"));
            File.WriteAllText(Path.Combine(_dir.Path, "file.txt"), "a file, not a folder\n");
            File.WriteAllText(Path.Combine(_dir.Path, "malformed.json"), "{\n  \"MidirEdge\": {\n    \"Site\": \"lab\" \"Instrument\": \"x\"\n  }\n}\n");
            File.WriteAllText(Path.Combine(_dir.Path, "typo.json"), "{ \"MidirEdge\": { \"Mqtt\": { \"Prot\": 1884 } } }");
            File.WriteAllText(Path.Combine(_dir.Path, "section.json"), "{ \"MidirEdge\": { \"Mqt\": { \"Port\": 1884 } } }");
            File.WriteAllText(Path.Combine(_dir.Path, "signals.csv"), string.Join(',', Enumerable.Range(0, 256).Select(i => Math.Sin(i / 9.0).ToString("R", CultureInfo.InvariantCulture))) + "\n");
            var wavenumbers = Enumerable.Range(0, 20).Select(i => (4000 - 2 * i).ToString(CultureInfo.InvariantCulture));
            File.WriteAllLines(Path.Combine(_dir.Path, "table.csv"),
            [
                "sample_id,C," + string.Join(',', wavenumbers),
                .. Enumerable.Range(0, 6).Select(r => $"s{r},{1 + r * 0.1:0.0}," + string.Join(',', Enumerable.Range(0, 20).Select(i => (0.5 + 0.01 * i + 0.02 * r).ToString("R", CultureInfo.InvariantCulture)))),
            ]);
        }

        /// <summary>The invocation's arguments and expected text with each placeholder replaced by its path or port.</summary>
        public string Expand(string text) => text
            .Replace("{dir}", _dir.Path, StringComparison.Ordinal)
            .Replace("{data}", $"--MidirEdge:DataDir={Path.Combine(_dir.Path, "data")}", StringComparison.Ordinal)
            .Replace("{busy}", ((IPEndPoint)_busy.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{opus}", Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"), StringComparison.Ordinal)
            .Replace("{png}", Fixtures.RepositoryPath("docs/img/plot-spectrum.png"), StringComparison.Ordinal)
            .Replace("{bundle}", Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), StringComparison.Ordinal)
            .Replace("{bundles}", Fixtures.RepositoryPath("demo/models"), StringComparison.Ordinal);

        /// <summary>Stops listening and removes the files.</summary>
        public void Dispose()
        {
            _busy.Stop();
            _dir.Dispose();
        }
    }

    /// <summary>
    /// Name, exit code, a fragment the line must hold, an environment variable (NAME=value, or empty), and the arguments.
    /// <c>run</c> is always given a data folder under the scene, no health endpoint and a free broker port first, which a case may override.
    /// </summary>
    public static TheoryData<string, int, string, string, string[]> Cases() => new()
    {
        // Settings: files, keys, types, values, profiles.
        { "run: settings file missing", 2, "--config {dir}/missing.json does not exist", "", ["run", "--config", "{dir}/missing.json"] },
        { "run: settings file is a folder", 2, "--config {dir}/folder is a folder, not a file", "", ["run", "--config", "{dir}/folder"] },
        { "run: malformed JSON names file and line", 2, "{dir}/malformed.json:3:19: not valid JSON: ", "", ["run", "--config", "{dir}/malformed.json"] },
        { "run: misspelt key in a file", 2, "unknown setting MidirEdge:Mqtt:Prot in {dir}/typo.json; did you mean MidirEdge:Mqtt:Port?", "", ["run", "--config", "{dir}/typo.json"] },
        { "run: misspelt section in a file", 2, "unknown setting MidirEdge:Mqt:Port in {dir}/section.json; did you mean MidirEdge:Mqtt:Port?", "", ["run", "--config", "{dir}/section.json"] },
        { "run: misspelt section on the command line", 2, "unknown setting MidirEdge:Helth:Url on the command line; did you mean MidirEdge:Health:Url?", "", ["run", "--MidirEdge:Helth:Url=http://127.0.0.1:1"] },
        { "run: misspelt key in the environment", 2, "unknown setting MidirEdge:Mqtt:Qso in the environment (MidirEdge__Mqtt__Qso); did you mean MidirEdge:Mqtt:Qos?", "MidirEdge__Mqtt__Qso=2", ["run"] },
        { "run: misspelt root section", 2, "unknown setting MidirEgde:Site on the command line; did you mean MidirEdge:Site?", "", ["run", "--MidirEgde:Site=lab"] },
        { "run: misspelt key of a named adapter", 2, "unknown setting MidirEdge:Adapters:lab:Pth on the command line; did you mean MidirEdge:Adapters:lab:Path?", "",
            ["run", "--MidirEdge:Adapters:lab:Kind=file-watch", "--MidirEdge:Adapters:lab:Pth={dir}/inbox"] },
        { "run: wrong type", 2, "invalid settings: MidirEdge:Mqtt:Port must be a whole number (got 'abc').", "", ["run", "--MidirEdge:Mqtt:Port=abc"] },
        { "run: bad enum value", 2, "MidirEdge:Adapters:FileWatch:AfterProcessing must be one of Archive, Leave (got 'Shred')", "",
            ["run", "--MidirEdge:Adapters:FileWatch:Path={dir}/inbox", "--MidirEdge:Adapters:FileWatch:Include:0=*", "--MidirEdge:Adapters:FileWatch:AfterProcessing=Shred"] },
        { "run: value out of range", 2, "MidirEdge:Mqtt:Port", "", ["run", "--MidirEdge:Mqtt:Port=0"] },
        { "run: unknown log level", 2, "Logging:LogLevel values must be one of Trace, Debug, Information, Warning, Error, Critical, None (got 'Loud').", "",
            ["run", "--Logging:LogLevel:Default=Loud"] },
        { "run: unknown device profile lists the known ones", 2, "invalid device profile: no-such-instrument: no such profile in ", "",
            ["run", "--MidirEdge:Adapters:Serial:Port=/dev/null", "--MidirEdge:Adapters:Serial:Profile=no-such-instrument"] },
        { "run: mistyped option", 2, "unknown option --confg; did you mean --config?", "", ["run", "--confg", "{dir}/typo.json"] },
        { "run: stray argument", 2, "unexpected argument extra", "", ["run", "extra"] },

        // Ports and folders.
        { "run: broker port in use", 2, "port {busy} on 127.0.0.1 is in use by another program (MidirEdge:Mqtt:Port, the embedded MQTT broker)", "", ["run", "--MidirEdge:Mqtt:Port={busy}"] },
        { "run: health port in use", 2, "port {busy} on 127.0.0.1 is in use by another program (MidirEdge:Health:Url, the dashboard and health endpoint)", "",
            ["run", "--MidirEdge:Health:Enabled=true", "--MidirEdge:Health:Url=http://127.0.0.1:{busy}"] },
        { "run: data folder is a file", 2, "MidirEdge:DataDir {dir}/file.txt is a file, not a folder.", "", ["run", "--MidirEdge:DataDir={dir}/file.txt"] },
        { "run: data folder cannot be created", 2, "MidirEdge:DataDir {dir}/file.txt/data does not exist and cannot be created: {dir}/file.txt is a file.", "",
            ["run", "--MidirEdge:DataDir={dir}/file.txt/data"] },
        { "run: data folder not writable", 2, "MidirEdge:DataDir /proc/midir-edge-data does not exist and cannot be created", "", ["run", "--MidirEdge:DataDir=/proc/midir-edge-data"] },
        { "run: model folder is a file", 2, "MidirEdge:Models:Path {dir}/file.txt is a file, not a folder.", "", ["run", "--MidirEdge:Models:Path={dir}/file.txt"] },

        // models
        { "models rollback: no such bundle", 2, "no bundle 'nope'; none is installed.", "", ["models", "rollback", "nope", "{data}"] },
        { "models install: a folder that is no bundle", 2, "BUNDLE {dir}/folder is a folder without manifest.json, not a bundle", "", ["models", "install", "{dir}/folder", "{data}"] },
        { "models install: an image", 1, "{png}: not a readable bundle archive", "", ["models", "install", "{png}", "{data}"] },
        { "models list: misspelt setting", 2, "unknown setting MidirEdge:Models:Pth on the command line; did you mean MidirEdge:Models:Path?", "", ["models", "list", "--MidirEdge:Models:Pth={dir}", "{data}"] },
        { "models: mistyped command", 2, "Did you mean list?", "", ["models", "lst"] },

        // read
        { "read: a folder", 2, "FILE {dir}/folder is a folder, not a file.", "", ["read", "{dir}/folder"] },
        { "read: a missing file", 2, "FILE {dir}/missing.0 does not exist.", "", ["read", "{dir}/missing.0"] },
        { "read: an image", 1, "{png}: not an OPUS, JCAMP-DX or CSV file: looks like a PNG image", "", ["read", "{png}"] },
        { "read: mistyped option", 2, "Unrecognized command or argument '--jsn'. Did you mean --json?", "", ["read", "{opus}", "--jsn"] },

        // scatter
        { "scatter: an OPUS file for signals", 1, "{opus}: not a CSV of signals: looks like a Bruker OPUS file", "", ["scatter", "--J", "4", "--input", "{opus}"] },
        { "scatter: wrong type", 2, "Cannot parse argument 'abc' for option '--J'", "", ["scatter", "--J", "abc", "--input", "{dir}/signals.csv"] },
        { "scatter: output is a folder", 2, "--output {dir}/folder is a folder; name a file to write.", "", ["scatter", "--J", "4", "--input", "{dir}/signals.csv", "--output", "{dir}/folder"] },
        { "scatter: unknown Kymatio release", 2, "--kymatio must be 0.3 or 0.4 (got '0.9').", "", ["scatter", "--J", "4", "--input", "{dir}/signals.csv", "--kymatio", "0.9"] },

        // model
        { "model build: an OPUS file for the table", 1, "{opus}: not a CSV table: looks like a Bruker OPUS file", "",
            ["model", "build", "--data", "{opus}", "--target", "C", "--group", "sample_id", "--out", "{dir}/C.zip"] },
        { "model build: unknown target lists the columns", 2, "--target Carbon: {dir}/table.csv has no such column. Its columns: sample_id, C.", "",
            ["model", "build", "--data", "{dir}/table.csv", "--target", "Carbon", "--group", "sample_id", "--out", "{dir}/C.zip"] },
        { "model build: misspelt group column", 2, "--group sampleid: {dir}/table.csv has no such column; did you mean sample_id?", "",
            ["model", "build", "--data", "{dir}/table.csv", "--target", "C", "--group", "sampleid", "--out", "{dir}/C.zip"] },
        { "model build: unit without a target", 2, "--unit % is not TARGET=UNIT", "",
            ["model", "build", "--data", "{dir}/table.csv", "--target", "C", "--group", "sample_id", "--unit", "%", "--out", "{dir}/C.zip"] },
        { "model build: output is a folder", 2, "--out {dir}/folder is a folder; name a file to write.", "",
            ["model", "build", "--data", "{dir}/table.csv", "--target", "C", "--group", "sample_id", "--out", "{dir}/folder"] },
        { "model build: unknown learner", 2, "--learner: Argument 'svm' not recognized.", "",
            ["model", "build", "--data", "{dir}/table.csv", "--target", "C", "--group", "sample_id", "--learner", "svm", "--out", "{dir}/C.zip"] },
        { "model build: unknown pipeline", 2, "--pipeline: Argument 'snv2' not recognized.", "",
            ["model", "build", "--data", "{dir}/table.csv", "--target", "C", "--group", "sample_id", "--pipeline", "snv2", "--out", "{dir}/C.zip"] },
        { "model evaluate: a folder that is no bundle", 2, "--model {dir}/folder is a folder without manifest.json, not a bundle", "",
            ["model", "evaluate", "--model", "{dir}/folder", "--data", "{dir}/table.csv"] },
        { "model evaluate: an image for the table", 1, "{png}: not a CSV table: looks like a PNG image", "", ["model", "evaluate", "--model", "{bundle}", "--data", "{png}"] },
        { "model compare: repeats out of range", 2, "--repeats must be between 1 and 50.", "",
            ["model", "compare", "--data", "{dir}/table.csv", "--target", "C", "--group", "sample_id", "--repeats", "0"] },
        { "model: missing required options", 2, "Option '--data' is required.", "", ["model", "build", "--target", "C"] },

        // bench read
        { "bench read: a missing file", 2, "INPUT {dir}/missing.0 does not exist.", "", ["bench", "read", "{dir}/missing.0"] },
        { "bench read: a glob that matches nothing", 2, "INPUT {dir}/*.nothing matches no file.", "", ["bench", "read", "{dir}/*.nothing"] },
        { "bench read: nothing readable", 1, "none of the 1 file(s) could be read.", "", ["bench", "read", "{dir}/file.txt"] },
        // predict
        { "predict: output is a folder", 2, "--output {dir}/folder is a folder; name a file to write.", "", ["predict", "--model", "{bundle}", "--input", "{opus}", "--output", "{dir}/folder"] },
        { "predict: output in a missing folder", 2, "--output {dir}/nowhere/p.csv is in {dir}/nowhere, which does not exist.", "",
            ["predict", "--model", "{bundle}", "--input", "{opus}", "--output", "{dir}/nowhere/p.csv"] },
        { "predict: a folder without bundles", 2, "--model {dir}/folder is a folder without manifest.json or bundles", "", ["predict", "--model", "{dir}/folder", "--input", "{opus}"] },
        { "predict: a glob that matches nothing", 2, "--input {dir}/*.nothing matches no file.", "", ["predict", "--model", "{bundle}", "--input", "{dir}/*.nothing"] },
        { "check: settings file missing", 2, "--config {dir}/missing.json does not exist", "", ["check", "--config", "{dir}/missing.json"] },
        { "predict: unknown id column", 2, "--id name: {dir}/table.csv has no such column.", "", ["predict", "--model", "{bundle}", "--input", "{dir}/table.csv", "--id", "name"] },
        { "predict: an image for the model", 1, "{png}: not a readable bundle archive", "", ["predict", "--model", "{png}", "--input", "{opus}"] },
        { "predict: an image for the input", 1, "{png}: not an OPUS, JCAMP-DX or CSV file: looks like a PNG image", "", ["predict", "--model", "{bundle}", "--input", "{png}"] },

        // plot, bench, simulate, the root
        { "plot spectrum: output is a folder", 2, "--out {dir}/folder is a folder; name a file to write.", "", ["plot", "spectrum", "{opus}", "--out", "{dir}/folder"] },
        { "plot scalogram: J out of range", 2, "J must be between 1 and 24.", "", ["plot", "scalogram", "{opus}", "--J", "40", "--out", "{dir}/s.png"] },
        { "bench scatter: unknown precision", 2, "--precision: Argument 'half' not recognized.", "", ["bench", "scatter", "--J", "4", "--precision", "half"] },
        { "bench agent: models folder is a file", 2, "--models {opus} is a file, not a folder.", "", ["bench", "agent", "--models", "{opus}"] },
        { "simulate: unknown profile lists the known ones", 2, "invalid device profile: no-such-instrument: no such profile in ", "",
            ["simulate", "serial", "--profile", "no-such-instrument", "--port", "/dev/null", "--spectrum", "{opus}"] },
        { "simulate: a file-watch profile", 2, "bruker-opus-folder.json: adapter: is not \"serial\"", "",
            ["simulate", "serial", "--profile", "bruker-opus-folder", "--port", "/dev/null", "--spectrum", "{opus}"] },
        { "no command", 2, "Required command was not provided. Commands: run, check, read, ", "", [] },
        { "mistyped command", 2, "Unrecognized command or argument 'modle'. Did you mean model?", "", ["modle", "build"] },
    };

    /// <summary>Exactly one line on stderr, holding the expected fragment, no stack trace, and the documented exit code.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Fails_with_one_line_and_the_documented_code(string name, int exitCode, string expected, string variable, string[] args)
    {
        var arguments = args.Select(scene.Expand).ToList();
        if (arguments is ["run", ..])
            arguments.InsertRange(1, [scene.Expand("{data}"), "--MidirEdge:Health:Enabled=false", $"--MidirEdge:Mqtt:Port={Ports.Free()}"]);
        var environment = variable.Split('=', 2) is [var key, var value] ? new Dictionary<string, string> { [key] = value } : new Dictionary<string, string>();

        var (code, stdout, stderr) = await CliProcess.RunAsync(environment, [.. arguments]);

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"{name}: {lines.Length} lines on stderr:\n{stderr}");
        Assert.StartsWith("midir-edge", lines[0], StringComparison.Ordinal);
        Assert.Contains(scene.Expand(expected), lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.True(code == exitCode, $"{name}: exit {code}, expected {exitCode}: {lines[0]}");
    }

    /// <summary>There are at least 30 cases, and every command is among them.</summary>
    [Fact]
    public void The_table_covers_every_command()
    {
        var cases = Cases().Select(row => (string[])row[4]).ToArray();
        Assert.True(cases.Length >= 30);
        foreach (var command in new[] { "run", "check", "models", "read", "scatter", "model", "predict", "plot", "bench", "simulate" })
            Assert.Contains(cases, args => args.Length > 0 && args[0] == command);
    }

    /// <summary>--verbose adds the stack trace after the one line, for a bug report.</summary>
    [Fact]
    public async Task Verbose_adds_the_stack_trace()
    {
        var (code, _, stderr) = await CliProcess.RunAsync("read", scene.Expand("{png}"), "--verbose");

        Assert.Equal(1, code);
        Assert.StartsWith($"midir-edge read: {scene.Expand("{png}")}: not an OPUS", stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", stderr, StringComparison.Ordinal);
    }
}
