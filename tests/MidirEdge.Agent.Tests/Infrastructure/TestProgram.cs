using System.Diagnostics;
using System.Runtime.InteropServices;
using MidirEdge.Agent.Cache;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>
/// Entry point of the test assembly when run as a child process (<c>dotnet exec MidirEdge.Agent.Tests.dll MODE …</c>):
/// <c>outbox-writer FILE COUNT</c> enqueues COUNT numbered messages and the moment the last <see cref="Outbox.Enqueue"/>
/// returns sends itself SIGKILL, with no dispose and no flush, so a test can check that every acknowledged message
/// survived; <c>full-disk FILE</c> runs <see cref="FullDisk"/>.
/// </summary>
public static class TestProgram
{
    /// <summary>Runs the child-process mode named by the first argument.</summary>
    public static int Main(string[] args)
    {
        if (args is ["full-disk", var file]) return FullDisk.Run(file);
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

    /// <summary>Runs this assembly as a child process in <paramref name="args"/>' mode; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet, ["exec", typeof(TestProgram).Assembly.Location, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(MqttProbe.Guard);
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The payload the writer stores for message number <paramref name="n"/>.</summary>
    public static byte[] OutboxPayload(long n) => System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{n},\"pad\":\"{new string('x', (int)(n % 97) * 13)}\"}}");
}

/// <summary>
/// Enqueues into a cache whose file may not grow (a soft RLIMIT_FSIZE just above its size, as a full disk would) until
/// writes fail, then lifts the limit and enqueues again, all through one <see cref="AgentCache"/>; each message is also
/// stored as a result, as the agent does. Prints <c>ok SEQ</c> for every pair that returned and <c>failed TYPE</c> for
/// every one that threw.
/// </summary>
internal static class FullDisk
{
    private const int FileSizeResource = 1; // RLIMIT_FSIZE
    private const int FileSizeSignal = 25; // SIGXFSZ

    public static int Run(string file)
    {
        // Ignored, a write past the limit fails with EFBIG instead of the signal killing the process.
        signal(FileSizeSignal, 1);
        if (getrlimit(FileSizeResource, out var original) != 0) return 3;
        using var cache = AgentCache.Open(file);
        var limited = original with { Current = (ulong)new FileInfo(file).Length + 16 * 1024 };
        if (setrlimit(FileSizeResource, ref limited) != 0) return 3;
        var failures = 0;
        for (var i = 1; i < 5000 && failures < 3; i++) Try(cache, i, ref failures);
        if (failures == 0) return 4;
        if (setrlimit(FileSizeResource, ref original) != 0) return 3;
        var after = 0;
        for (var i = 0; i < 50; i++) Try(cache, 10_000 + i, ref after);
        return 0;
    }

    private static void Try(AgentCache cache, int n, ref int failures)
    {
        try
        {
            // As the agent stores a result: outbox first, then the cache.
            var sequence = cache.Outbox.Enqueue("full/test", Payload(n));
            cache.StoreResult($"result-{n}", Payload(n));
            Console.WriteLine($"ok {sequence}");
        }
        catch (Exception ex)
        {
            failures++;
            Console.WriteLine($"failed {ex.GetType().Name}");
        }
    }

    private static byte[] Payload(int n) => System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{n},\"pad\":\"{new string('x', 2000)}\"}}");

    private record struct Limit(ulong Current, ulong Maximum);

    [DllImport("libc")]
    private static extern int setrlimit(int resource, ref Limit limit);

    [DllImport("libc")]
    private static extern int getrlimit(int resource, out Limit limit);

    [DllImport("libc")]
    private static extern nint signal(int signal, nint handler);
}
