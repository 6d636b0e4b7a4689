using MidirEdge.Agent.Cache;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>
/// Entry point of the test assembly when run as a child process (<c>dotnet exec MidirEdge.Agent.Tests.dll outbox-writer FILE</c>):
/// enqueues numbered messages forever and prints each sequence number once <see cref="Outbox.Enqueue"/> has returned,
/// so a test can kill it with SIGKILL and check that everything it was told about survived.
/// </summary>
public static class TestProgram
{
    /// <summary>Runs the child-process mode named by the first argument.</summary>
    public static int Main(string[] args)
    {
        if (args is not ["outbox-writer", var path])
        {
            Console.Error.WriteLine("usage: outbox-writer CACHE_FILE");
            return 2;
        }
        using var cache = AgentCache.Open(path);
        var output = Console.Out;
        while (true)
        {
            var sequence = cache.Outbox.Enqueue("crash/test", OutboxPayload(cache.Outbox.Depth + 1));
            output.WriteLine(sequence);
            output.Flush();
        }
    }

    /// <summary>The payload the writer stores for message number <paramref name="n"/>.</summary>
    public static byte[] OutboxPayload(long n) => System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{n},\"pad\":\"{new string('x', (int)(n % 97) * 13)}\"}}");
}
