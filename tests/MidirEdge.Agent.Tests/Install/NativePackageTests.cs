using System.IO.Compression;
using System.Runtime.Versioning;
using System.Text.Json;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Install;

/// <summary>The test classes that take the package install.sh publishes for this machine, published once for all of them.</summary>
[CollectionDefinition(ArmEmulationTests.Publishing)]
public sealed class PublishingCollection : ICollectionFixture<PublishedAgent>;

/// <summary>
/// The Linux package is Native AOT (src/MidirEdge.Cli/MidirEdge.Cli.csproj): the installed executable gives the
/// framework-dependent build's results, and refuses in one line what it cannot run. The agent itself (settings, models,
/// capture, MQTT, health, cache) runs from it in <see cref="InstallScriptTests"/>.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Collection(ArmEmulationTests.Publishing)]
public sealed class NativePackageTests(PublishedAgent published)
{
    private string Agent => Path.Combine(published.Folder, "midir-edge");

    /// <summary>One native executable: no runtime, JIT or IL beside it, no symbols, no ML.NET FastTree or LDA natives.</summary>
    [Fact]
    public void The_package_is_one_native_executable_without_a_runtime()
    {
        Assert.True(File.Exists(Agent));
        Assert.False(File.Exists(Path.Combine(published.Folder, "midir-edge.dll")));
        Assert.False(File.Exists(Path.Combine(published.Folder, "libcoreclr.so")));
        Assert.False(File.Exists(Path.Combine(published.Folder, "libclrjit.so")));
        Assert.Empty(Directory.GetFiles(published.Folder, "*.pdb"));
        Assert.Empty(Directory.GetFiles(published.Folder, "*.dbg"));
        Assert.False(File.Exists(Path.Combine(published.Folder, "libFastTreeNative.so")));
        Assert.False(File.Exists(Path.Combine(published.Folder, "libLdaNative.so")));
    }

    /// <summary>Every spectrum of a real OPUS file, as JSON, is the same text as the framework-dependent build's.</summary>
    [Theory]
    [InlineData("data/opus/BF_lo_01_soil_cal.1")]
    [InlineData("data/opus/617262_1TP_C-1_A5.0")]
    public async Task Read_json_equals_the_framework_dependent_build(string file)
    {
        string[] arguments = ["read", "--json", Fixtures.Path(file)];

        var native = await InstallScriptTests.RunAsync(Agent, arguments);
        var jit = await PackageComparison.RunX64Async(arguments);

        Assert.True(native.ExitCode == 0, native.Output);
        Assert.True(jit.ExitCode == 0, jit.Output);
        Assert.Equal(jit.Stdout, native.Stdout);
    }

    /// <summary>Kymatio 0.3's reference batch, scattered by the native build, is within 1e-6 of Kymatio and 1e-12 of the JIT build.</summary>
    [Fact]
    public async Task Scatter_matches_the_kymatio_reference_and_the_framework_dependent_build()
    {
        using var work = new TempDirectory("native-scatter");
        using var batch = await PackageComparison.KymatioBatchAsync(work.Path);

        var native = await InstallScriptTests.RunAsync(Agent, batch.Arguments("native.json"));
        var jit = await PackageComparison.RunX64Async(batch.Arguments("jit.json"));

        Assert.True(native.ExitCode == 0, native.Output);
        Assert.True(jit.ExitCode == 0, jit.Output);
        using var nativeOutput = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(work.Path, "native.json")));
        using var jitOutput = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(work.Path, "jit.json")));
        PackageComparison.AssertWithin(batch.Output, nativeOutput.RootElement.GetProperty("output"), 1e-6, "native against Kymatio");
        // The native x64 build has 256-bit vectors; the JIT build takes the machine's widest, so the FFTs may round differently.
        PackageComparison.AssertWithin(jitOutput.RootElement.GetProperty("output"), nativeOutput.RootElement.GetProperty("output"), 1e-12, "native against JIT");
    }

    /// <summary>
    /// The 7 demo bundles, and a gradient-boosted trees bundle (scored through ONNX, without ML.NET's native FastTree
    /// library, which the package leaves out), predict the demo spectra as the JIT build does: the same rows, flags and
    /// errors, numbers within 1e-12.
    /// </summary>
    [Theory]
    [InlineData("demo/models")]
    [InlineData("tests/fixtures/bundles/trees-gbt-C.zip")]
    public async Task Predict_equals_the_framework_dependent_build(string models)
    {
        string[] arguments = ["predict", "--model", Fixtures.RepositoryPath(models), "--input", Fixtures.RepositoryPath("demo/spectra")];

        var native = await InstallScriptTests.RunAsync(Agent, arguments);
        var jit = await PackageComparison.RunX64Async(arguments);

        Assert.Equal(jit.ExitCode, native.ExitCode);
        Assert.Equal(11, native.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        PackageComparison.AssertSameCsv(jit.Stdout, native.Stdout);
    }

    /// <summary>
    /// ML.NET trains trees with code generated at run time, which a native executable cannot run: asked for by name they
    /// are refused in one line (exit 2); <c>--learner all</c> leaves them out with a note; the other learners build.
    /// </summary>
    [Fact]
    public async Task Tree_learners_are_refused_in_one_line_and_the_others_build()
    {
        using var work = new TempDirectory("native-build");
        var table = Path.Combine(work.Path, "soils.csv");
        using (var gzip = new GZipStream(File.OpenRead(Fixtures.Path("data/yamsys/yamsys_dev.csv.gz")), CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip))
            await File.WriteAllLinesAsync(table, Enumerable.Range(0, 61).Select(_ => reader.ReadLine()!));
        string[] Build(string learner, string bundle) =>
            ["model", "build", "--data", table, "--target", "C", "--group", "sample_id", "--pipeline", "snv", "--learner", learner,
             "--allow-weak", "--out", Path.Combine(work.Path, bundle)];

        var gbt = await InstallScriptTests.RunAsync(Agent, Build("gbt", "gbt.zip"));
        var pls = await InstallScriptTests.RunAsync(Agent, Build("pls", "pls.zip"));

        Assert.Equal(2, gbt.ExitCode);
        var line = Assert.Single(gbt.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("midir-edge model build: --learner gbt: ML.NET trains trees with run-time generated code", line);
        Assert.False(File.Exists(Path.Combine(work.Path, "gbt.zip")));
        Assert.True(pls.ExitCode == 0, pls.Output);
        var predicted = await PackageComparison.RunX64Async(
            ["predict", "--model", Path.Combine(work.Path, "pls.zip"), "--input", Fixtures.RepositoryPath("demo/spectra/BF_lo_02_soil_cal.0.csv")]);
        Assert.True(predicted.ExitCode == 0, predicted.Output);
    }
}
