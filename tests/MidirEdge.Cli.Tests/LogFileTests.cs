using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Cli.Commands;

namespace MidirEdge.Cli.Tests;

/// <summary>The optional rolling log file of <c>run</c> (<c>MidirEdge:LogFile</c>), written by the real host's logging.</summary>
public sealed class LogFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("log-file");

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    /// <summary>Lines go to the file; past the size limit it rolls, and only the configured number of files is kept.</summary>
    [Fact]
    public void The_log_file_rolls_by_size_and_keeps_the_configured_number_of_files()
    {
        var path = Path.Combine(_dir.Path, "logs", "midir-edge.log");
        using (var host = RunCommand.Build(null, null,
            [$"--MidirEdge:LogFile:Path={path}", "--MidirEdge:LogFile:MaxMegabytes=1", "--MidirEdge:LogFile:RetainedFiles=2",
             "--Logging:Console:LogLevel:Default=None"]))
        {
            var logger = host.Services.GetRequiredService<ILogger<LogFileTests>>();
            var padding = new string('x', 1000);
            for (var i = 0; i < 3000; i++) logger.LogInformation("line {Number} {Padding}", i, padding);
        }

        var files = Directory.GetFiles(Path.GetDirectoryName(path)!).Order().ToArray();
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 1024 * 1024 + 4096));
        var last = File.ReadLines(files[^1]).Last();
        Assert.Contains("INF MidirEdge.Cli.Tests.LogFileTests: line 2999 ", last, StringComparison.Ordinal);
    }

    /// <summary>A value out of range names its key.</summary>
    [Fact]
    public void A_bad_value_names_its_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => RunCommand.Build(null, null,
            [$"--MidirEdge:LogFile:Path={_dir.Path}/x.log", "--MidirEdge:LogFile:MaxMegabytes=0"]));

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith("MidirEdge:LogFile:MaxMegabytes", failure, StringComparison.Ordinal);
        Assert.Contains("between 1 and 1024", failure, StringComparison.Ordinal);
    }
}
