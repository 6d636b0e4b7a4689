using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Cache;

/// <summary>A cache whose file cannot grow, as on a full disk, in a real child process.</summary>
public sealed class CacheFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("cache-file");

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Enqueues fail while the file may not grow; once it may, the same cache instance takes messages again, and every
    /// message whose enqueue returned is in the file, in order. Without the reopen LiteDB stays unable to write.
    /// </summary>
    [Fact]
    public async Task Heals_once_the_file_can_grow_again()
    {
        var file = Path.Combine(_dir.Path, "cache.db");
        var (exitCode, stdout, stderr) = await TestProgram.RunAsync("full-disk", file);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exitCode == 0, $"writer exited with {exitCode}: {stderr}\n{stdout}");

        var failed = Array.FindIndex(lines, l => l.StartsWith("failed", StringComparison.Ordinal));
        Assert.True(failed >= 0, "no write failed under the file-size limit");
        var afterLimit = lines.Skip(failed).SkipWhile(l => l.StartsWith("failed", StringComparison.Ordinal)).ToArray();
        Assert.Equal(50, afterLimit.Length);
        Assert.All(afterLimit, l => Assert.StartsWith("ok ", l, StringComparison.Ordinal));

        var returned = lines.Where(l => l.StartsWith("ok ", StringComparison.Ordinal)).Select(l => long.Parse(l[3..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        using var cache = AgentCache.Open(file);
        var stored = cache.Outbox.PeekOldest(int.MaxValue).Select(m => m.Sequence).ToList();
        Assert.Equal(stored.Order(), stored);
        Assert.Empty(returned.Except(stored));
    }

    /// <summary>
    /// An operation that throws for its own input (not a failure of the file) runs once and the file is not reopened:
    /// the retry is for transient failures only (<c>Failures.IsTransient</c>), and a retry counts in <c>midir_retries_total</c>.
    /// </summary>
    [Fact]
    public void An_operation_that_fails_for_its_input_is_not_retried()
    {
        var metrics = new MidirEdge.Agent.Telemetry.AgentMetrics();
        using var file = new CacheFile(Path.Combine(_dir.Path, "cache.db"), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, metrics);
        var calls = 0;

        Assert.Throws<ArgumentException>(() => file.Use<int>(_ => { calls++; throw new ArgumentException("bad input"); }));
        Assert.Equal(1, calls);
        Assert.Equal(0, TestData.Retries(metrics, "cache"));

        calls = 0;
        var value = file.Use(_ => ++calls == 1 ? throw new IOException("the drive went away") : calls);
        Assert.Equal(2, value);
        Assert.Equal(1, TestData.Retries(metrics, "cache"));
    }

    /// <summary>
    /// The reopen that releases LiteDB's page cache (every <see cref="CacheFile.TransactionsPerOpen"/> transactions) waits
    /// for running operations and holds new ones off: writers and readers on other threads see no error and lose nothing.
    /// </summary>
    [Fact]
    public async Task Reopening_to_release_memory_disturbs_no_concurrent_operation()
    {
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "busy.db"));
        const int PerWriter = CacheFile.TransactionsPerOpen * 3 / 4;
        using var done = new CancellationTokenSource();
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!done.IsCancellationRequested)
            {
                _ = cache.Outbox.PeekOldest(5);
                _ = cache.ResultCount;
                reads++;
                reading.TrySetResult();
            }
            return reads;
        });
        // On a busy machine the reader's task may start late: the writers begin once it reads, so the two overlap.
        await reading.Task;
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            var sequences = new List<long>();
            for (var i = 0; i < PerWriter; i++)
            {
                sequences.Add(cache.Outbox.Enqueue($"busy/{w}", [(byte)w, (byte)i]));
                cache.StoreResult($"{w}-{i}", [(byte)i]);
            }
            return sequences;
        })).ToArray();

        var written = (await Task.WhenAll(writers)).SelectMany(s => s).Order().ToArray();
        await done.CancelAsync();
        Assert.True(await reader > 0);
        Assert.Equal(written, cache.Outbox.PeekOldest(int.MaxValue).Select(m => m.Sequence));
        Assert.Equal(2 * PerWriter, cache.ResultCount);
    }
}
