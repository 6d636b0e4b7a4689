using System.Diagnostics;
using System.Globalization;

namespace MidirEdge.Scattering.Tests;

/// <summary>
/// The FFT picks its vector width from the CPU; a process limited to AVX2, to 128-bit vectors (as on Arm NEON), to
/// SSE or to no SIMD at all still gives Kymatio's values. The runtime reads these settings at start, so each runs in a
/// child process (<see cref="TestProgram"/>).
/// </summary>
public sealed class NarrowerVectorTests
{
    private const string Fixture = "reference/scattering/kymatio-0.3.0/seed_J4_Q12_batch3.json.gz";

    /// <summary>Every coefficient within 1e-6 of its path's largest reference value under the narrower setting.</summary>
    [Theory]
    [InlineData("DOTNET_EnableAVX512", "0")]
    [InlineData("DOTNET_PreferredVectorBitWidth", "128")]
    [InlineData("DOTNET_EnableAVX", "0")]
    [InlineData("DOTNET_EnableHWIntrinsic", "0")]
    public async Task Scattering_matches_kymatio_on_narrower_vectors(string variable, string value)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, ["exec", typeof(TestProgram).Assembly.Location, TestProgram.WorstError, Fixture])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[variable] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(guard.Token);

        Assert.True(process.ExitCode == 0, await stderr);
        var worst = double.Parse(await stdout, CultureInfo.InvariantCulture);
        Assert.True(worst <= 1e-6, $"{variable}={value}: error {worst:E2}");
    }
}
