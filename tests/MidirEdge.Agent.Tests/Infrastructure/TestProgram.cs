using System.Diagnostics;
using MidirEdge.Agent.Cache;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>
/// Entry point of the test assembly when run as a child process
/// (<c>dotnet exec MidirEdge.Agent.Tests.dll outbox-writer FILE COUNT</c>): enqueues COUNT numbered messages and
/// the moment the last <see cref="Outbox.Enqueue"/> returns sends itself SIGKILL, with no dispose and no flush,
/// so a test can check that every acknowledged message survived.
/// </summary>
public static class TestProgram
{
    /// <summary>Runs the child-process mode named by the first argument.</summary>
    public static int Main(string[] args)
    {
        if (args is not ["outbox-writer", var path, var countText] || !int.TryParse(countText, out var count))
        {
            Console.Error.WriteLine("usage: outbox-writer CACHE_FILE COUNT");
            return 2;
        }
        var cache = AgentCache.Open(path);
        for (var i = 0; i < count; i++)
            cache.Outbox.Enqueue("crash/test", OutboxPayload(cache.Outbox.Depth + 1));
        Process.GetCurrentProcess().Kill();
        return 1;
    }

    /// <summary>The payload the writer stores for message number <paramref name="n"/>.</summary>
    public static byte[] OutboxPayload(long n) => System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{n},\"pad\":\"{new string('x', (int)(n % 97) * 13)}\"}}");
}
