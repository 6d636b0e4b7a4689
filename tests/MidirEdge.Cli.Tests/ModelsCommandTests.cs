using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>`midir-edge models install | list | rollback` against a model folder, run as a technician runs them.</summary>
public sealed class ModelsCommandTests : IDisposable
{
    private readonly TempDirectory _root = new("midir-models-");

    /// <summary>Removes the folders.</summary>
    public void Dispose() => _root.Dispose();

    private string Folder => $"--MidirEdge:Models:Path={Path.Combine(_root.Path, "models")}";

    private string Data => $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}";

    /// <summary>Install puts a verified bundle in the folder; list shows it.</summary>
    [Fact]
    public async Task Install_then_list()
    {
        var install = await CliProcess.RunAsync("models", "install", Fixtures.RepositoryPath("demo/models/demo-yamsys-N.zip"), Folder, Data);
        Assert.True(install.ExitCode == 0, install.Stderr);
        Assert.Contains("Installed demo-yamsys-N 1.2.0 (N)", install.Stdout);
        Assert.True(File.Exists(Path.Combine(_root.Path, "models", "demo-yamsys-N@1.2.0.zip")));

        var list = await CliProcess.RunAsync("models", "list", Folder, Data);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("demo-yamsys-N", list.Stdout);
    }

    /// <summary>A bundle that is not one is refused with one line, and nothing is installed.</summary>
    [Fact]
    public async Task A_broken_bundle_is_refused()
    {
        var broken = Path.Combine(_root.Path, "broken.zip");
        File.WriteAllBytes(broken, Fixtures.ReadBytes(Fixtures.RepositoryPath("demo/models/demo-yamsys-N.zip")).AsSpan(0, 2000).ToArray());
        var (code, _, stderr) = await CliProcess.RunAsync("models", "install", broken, Folder, Data);
        Assert.Equal(1, code);
        Assert.StartsWith($"midir-edge models install: {broken}: ", stderr.Trim());
        Assert.Empty(Directory.GetFiles(Path.Combine(_root.Path, "models")));
    }
}
