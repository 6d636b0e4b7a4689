using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Cache;

/// <summary>The outbox on a real LiteDB file.</summary>
public sealed class OutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new("outbox");

    private string File => Path.Combine(_dir.Path, "cache.db");

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    /// <summary>Messages come out oldest first with increasing sequence numbers and leave only when removed.</summary>
    [Fact]
    public void Keeps_enqueue_order_until_removed()
    {
        using var cache = AgentCache.Open(File);
        var outbox = cache.Outbox;

        var a = outbox.Enqueue("t/a", [1]);
        var b = outbox.Enqueue("t/b", [2], retain: true);
        var c = outbox.Enqueue("t/c", [3]);

        Assert.True(a < b && b < c);
        Assert.Equal(3, outbox.Depth);
        Assert.Equal(["t/a", "t/b"], outbox.PeekOldest(2).Select(m => m.Topic));
        Assert.True(outbox.PeekOldest(3)[1].Retain);
        Assert.True(outbox.Remove(a));
        Assert.False(outbox.Remove(a));
        Assert.Equal([b, c], outbox.PeekOldest(10).Select(m => m.Sequence));
        Assert.Equal(2, outbox.Depth);
    }

    /// <summary>Closing and reopening the file keeps every message, payload and order; new messages continue the sequence.</summary>
    [Fact]
    public void Survives_closing_and_reopening_the_file()
    {
        long last;
        using (var cache = AgentCache.Open(File))
        {
            for (var i = 1; i <= 20; i++) last = cache.Outbox.Enqueue($"t/{i}", TestProgram.OutboxPayload(i));
            cache.Outbox.Remove(1);
        }

        using (var reopened = AgentCache.Open(File))
        {
            var messages = reopened.Outbox.PeekOldest(100);
            Assert.Equal(Enumerable.Range(2, 19).Select(i => (long)i), messages.Select(m => m.Sequence));
            Assert.All(messages, m => Assert.Equal(TestProgram.OutboxPayload(m.Sequence), m.Payload));
            Assert.Equal(21, reopened.Outbox.Enqueue("t/21", [21]));
        }
    }

    /// <summary>
    /// A writer process that SIGKILLs itself the instant its last enqueue returns (three times, appending to the
    /// same file) loses none of those messages, and leaves a file that opens and takes more.
    /// </summary>
    [Fact]
    public async Task Survives_kill_9_right_after_enqueue_returns()
    {
        var expected = 0;
        foreach (var count in new[] { 1, 37, 200 })
        {
            await RunWriterAsync(File, count);
            expected += count;

            using var reopened = AgentCache.Open(File);
            var messages = reopened.Outbox.PeekOldest(int.MaxValue);
            Assert.Equal(Enumerable.Range(1, expected).Select(i => (long)i), messages.Select(m => m.Sequence));
            Assert.All(messages, m => Assert.Equal(TestProgram.OutboxPayload(m.Sequence), m.Payload));
        }
    }

    private static async Task RunWriterAsync(string file, int count)
    {
        var (exitCode, _, stderr) = await TestProgram.RunAsync("outbox-writer", file, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exitCode == 137, $"writer exited with {exitCode}, not by SIGKILL: {stderr}");
    }
}
