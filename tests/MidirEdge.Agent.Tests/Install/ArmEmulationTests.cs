using System.Runtime.Versioning;
using System.Text.Json;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Install;

/// <summary>
/// The linux-arm64 package that install/publish.sh builds, run under qemu user-mode emulation, gives the x64 build's
/// results: <c>read</c> and <c>predict</c> byte for byte, <c>scatter</c> within Kymatio's tolerance.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Collection(Publishing)]
public sealed class ArmEmulationTests : IClassFixture<EmulatedArmAgent>
{
    /// <summary>
    /// The classes whose fixtures run dotnet publish: not in parallel, since both publishes build the library projects
    /// into the same obj folders.
    /// </summary>
    internal const string Publishing = "dotnet publish";

    private readonly EmulatedArmAgent _arm;

    /// <summary>Takes the arm64 package the fixture published once for all tests.</summary>
    public ArmEmulationTests(EmulatedArmAgent arm) => _arm = arm;

    /// <summary>Every spectrum of a real OPUS file, as JSON, is the same text on arm64 as on x64.</summary>
    [SkippableTheory]
    [InlineData("data/opus/BF_lo_01_soil_cal.1")]
    [InlineData("data/opus/617262_1TP_C-1_A5.0")]
    public async Task Read_json_equals_the_x64_build(string file)
    {
        _arm.SkipUnlessRunnable();
        string[] arguments = ["read", "--json", Fixtures.Path(file)];

        var arm = await _arm.RunAsync(arguments);
        var x64 = await PackageComparison.RunX64Async(arguments);

        Assert.True(arm.ExitCode == 0, arm.Output);
        Assert.True(x64.ExitCode == 0, x64.Output);
        Assert.Equal(x64.Stdout, arm.Stdout);
    }

    /// <summary>Kymatio 0.3's reference batch scattered on arm64 is within 1e-6 of each path's largest value, as on x64.</summary>
    [SkippableFact]
    public async Task Scatter_matches_the_kymatio_reference_and_the_x64_build()
    {
        _arm.SkipUnlessRunnable();
        using var work = new TempDirectory("arm64-scatter");
        using var batch = await PackageComparison.KymatioBatchAsync(work.Path);

        var arm = await _arm.RunAsync(batch.Arguments("arm64.json"));
        var x64 = await PackageComparison.RunX64Async(batch.Arguments("x64.json"));

        Assert.True(arm.ExitCode == 0, arm.Output);
        Assert.True(x64.ExitCode == 0, x64.Output);
        using var armOutput = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(work.Path, "arm64.json")));
        using var x64Output = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(work.Path, "x64.json")));
        Assert.Equal(x64Output.RootElement.GetProperty("shape").GetRawText(), armOutput.RootElement.GetProperty("shape").GetRawText());
        PackageComparison.AssertWithin(batch.Output, armOutput.RootElement.GetProperty("output"), 1e-6, "arm64 against Kymatio");
        // The FFTs of the two builds round differently (NEON against AVX): the same values to 1e-12 of each path's largest.
        PackageComparison.AssertWithin(x64Output.RootElement.GetProperty("output"), armOutput.RootElement.GetProperty("output"), 1e-12, "arm64 against x64");
    }

    /// <summary>
    /// The demo carbon bundle predicts three demo spectra on arm64 as the x64 build does, at x64's full width and at NEON's
    /// 128 bits: the same rows, flags and quality, and every number within 1e-12 relative (the sums differ with the vector
    /// width, and the log1p back-transform's exp in its last bit between the two platforms' maths libraries).
    /// </summary>
    [SkippableFact]
    public async Task Predict_with_a_demo_bundle_equals_the_x64_build()
    {
        _arm.SkipUnlessRunnable();
        string[] arguments =
        [
            "predict", "--model", Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), "--input",
            Fixtures.RepositoryPath("demo/spectra/BF_lo_02_soil_cal.0.csv"),
            Fixtures.RepositoryPath("demo/spectra/BF_lo_03_soil_cal.0.csv"),
            Fixtures.RepositoryPath("demo/spectra/BF_lo_01_soil_cal.1"),
        ];

        var arm = await _arm.RunAsync(arguments);
        var x64Neon = await PackageComparison.RunX64Async(arguments, new Dictionary<string, string> { ["DOTNET_PreferredVectorBitWidth"] = "128" });
        var x64 = await PackageComparison.RunX64Async(arguments);

        Assert.True(arm.ExitCode == 0, arm.Output);
        Assert.True(x64Neon.ExitCode == 0, x64Neon.Output);
        Assert.True(x64.ExitCode == 0, x64.Output);
        Assert.Equal(4, arm.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        PackageComparison.AssertSameCsv(x64Neon.Stdout, arm.Stdout);
        PackageComparison.AssertSameCsv(x64.Stdout, arm.Stdout);
    }
}

/// <summary>
/// The linux-arm64 package, published once per test class by install/publish.sh, and qemu-aarch64-static to run it
/// with Debian's arm64 loader, libc, libstdc++ and OpenSSL (multiarch packages that .ci/run installs).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class EmulatedArmAgent : IDisposable
{
    private const string Emulator = "qemu-aarch64-static";
    private readonly TempDirectory _packages = new("arm64-package");
    private readonly string? _missing;
    private readonly string? _cannotRun;
    private readonly string _emulator = "";
    private readonly string _agent = "";

    /// <summary>What the emulated agent needs from the system: a file, and the Debian package that ships it.</summary>
    private static readonly (string File, string Package)[] Needs =
    [
        ("/lib/ld-linux-aarch64.so.1", "libc6:arm64"),
        ("/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "libstdc++6:arm64"),
        ("/usr/lib/aarch64-linux-gnu/libssl.so.3", "libssl3:arm64"),
    ];

    /// <summary>Checks that qemu runs an aarch64 program here, then runs <c>install/publish.sh --rid linux-arm64</c>.</summary>
    public EmulatedArmAgent()
    {
        var emulator = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(folder => Path.Combine(folder, Emulator)).FirstOrDefault(File.Exists);
        var absent = Needs.Where(need => !File.Exists(need.File)).Select(need => $"{need.File} (Debian {need.Package})").ToList();
        if (emulator is null) absent.Insert(0, $"{Emulator} (Debian qemu-user-static)");
        if (absent.Count > 0)
        {
            _missing = $"not installed: {string.Join(", ", absent)}; .ci/run installs them, with dpkg --add-architecture arm64";
            return;
        }
        _emulator = emulator!;

        // The arm64 loader itself, emulated: if this fails, user-mode emulation does not work on this kernel or machine.
        var probe = InstallScriptTests.RunAsync(_emulator, [Needs[0].File, "--version"]).GetAwaiter().GetResult();
        if (probe.ExitCode != 0)
        {
            _cannotRun = $"{Emulator} cannot run an aarch64 program here: {probe.Output}";
            return;
        }

        var publish = InstallScriptTests.RunAsync(Fixtures.RepositoryPath("install/publish.sh"),
            ["--rid", "linux-arm64", "--output", _packages.Path, "--no-archive"]).GetAwaiter().GetResult();
        if (publish.ExitCode != 0) throw new InvalidOperationException(publish.Output);
        _agent = Path.Combine(_packages.Path, "linux-arm64", "midir-edge");
    }

    /// <summary>
    /// Skips the test where qemu cannot run an aarch64 program on this machine; fails it under CI when qemu or the
    /// arm64 libraries are missing, since .ci/run installs them.
    /// </summary>
    public void SkipUnlessRunnable()
    {
        if (_missing is not null && Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(_missing);
        Skip.If(_missing is not null, _missing);
        Skip.If(_cannotRun is not null, _cannotRun);
    }

    /// <summary>Runs the arm64 <c>midir-edge ARGS</c> under qemu and returns its exit code and output.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr, string Output)> RunAsync(string[] arguments) =>
        InstallScriptTests.RunAsync(_emulator, [_agent, .. arguments]);

    /// <summary>Removes the package.</summary>
    public void Dispose() => _packages.Dispose();
}
