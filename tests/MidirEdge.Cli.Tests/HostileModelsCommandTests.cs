using System.Text.Json.Nodes;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Spectra;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>`midir-edge models install` with the real C bundle made malformed, traversing or oversized: one line, exit 1, nothing written.</summary>
public sealed class HostileModelsCommandTests : IDisposable
{
    private readonly TempDirectory _root = new("midir-hostile-models-");

    /// <summary>Removes the folders.</summary>
    public void Dispose() => _root.Dispose();

    private string Models => Path.Combine(_root.Path, "site", "models");

    /// <summary>Each null field named on one line; before, a NullReferenceException ended the command with a stack trace.</summary>
    [Theory]
    [InlineData("files", "manifest.json: files is missing")]
    [InlineData("input", "manifest.json: input is missing")]
    [InlineData("domain", "manifest.json: models[0].domain is missing")]
    [InlineData("targets", "manifest.json: targets[0] is missing")]
    [InlineData("models", "manifest.json: models[0] is missing")]
    public async Task A_bundle_with_a_null_field_is_refused_with_one_line(string field, string reason)
    {
        var bundle = Write($"null-{field}.zip", m =>
        {
            switch (field)
            {
                case "domain": m["models"]![0]!["domain"] = null; break;
                case "targets" or "models": m[field]![0] = null; break;
                default: m[field] = null; break;
            }
        });

        var (code, stdout, stderr) = await Install(bundle);

        Assert.Equal(1, code);
        Assert.Equal($"midir-edge models install: {bundle}: {reason}", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.DoesNotContain(" at ", stdout + stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Models));
    }

    /// <summary>An id that climbs out of the folder, relative or absolute, is refused and nothing is written, though the folder it names exists.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_bundle_whose_id_climbs_out_of_the_folder_is_refused(bool absolute)
    {
        var escape = Directory.CreateDirectory(Path.Combine(_root.Path, "escape")).FullName;
        var id = absolute ? Path.Combine(escape, "evil") : "../../escape/evil";
        var bundle = Write("evil.zip", m => m["id"] = id);

        var (code, _, stderr) = await Install(bundle);

        Assert.Equal(1, code);
        Assert.StartsWith($"midir-edge models install: {bundle}: manifest.json: id {OneLine.Quote(id)} is not a safe bundle id", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(Directory.GetFileSystemEntries(Models));
        Assert.Empty(Directory.GetFileSystemEntries(escape));
    }

    /// <summary>A 160 KB bundle asking for J = 24, Q = 256 is refused by its size, naming the limit.</summary>
    [Fact]
    public async Task A_scattering_bomb_is_refused_naming_the_limit()
    {
        var bundle = Write("bomb.zip", DemoBundles.ScatteringBomb);

        var (code, _, stderr) = await Install(bundle);

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"midir-edge models install: {bundle}: manifest.json: models[0].features.scattering (J = 24, Q = 256/256, 1716 points) makes ", line);
        Assert.Contains("(limit ", line);
        Assert.Empty(Directory.GetFileSystemEntries(Models));
    }

    private string Write(string name, Action<JsonObject> edit) =>
        DemoBundles.WriteZip(DemoBundles.Edit(edit), Path.Combine(_root.Path, name));

    private Task<(int ExitCode, string Stdout, string Stderr)> Install(string bundle)
    {
        Directory.CreateDirectory(Models);
        return CliProcess.RunAsync("models", "install", bundle, $"--MidirEdge:Models:Path={Models}", $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}");
    }
}
