using System.Diagnostics;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats;

namespace MidirEdge.Cli.Benchmarking;

/// <summary>One file's read: what it holds, the median time of a read from bytes in memory and what one read allocates; or why it cannot be read.</summary>
internal sealed record ReadMeasurement(string File, long Bytes, SpectrumFormat? Format, int Spectra, int Points, TimeSpan Median, long Allocated, string? Error);

/// <summary>
/// Times <see cref="SpectrumFile.Read"/> on a file's bytes, so the figures compare with another reader's on the same bytes
/// (the disk is left out). BenchmarkDotNet does this for the fixtures; this runs on a user's own files.
/// </summary>
internal static class ReadBenchmark
{
    private const int Rounds = 9;
    private static readonly TimeSpan Warmup = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(40);

    /// <summary>
    /// Reads every file in turn, again and again (50 rounds, at least 200 ms and at most 2 s), before any is timed: warmed
    /// up on its own, the first file timed ran while the JIT still compiled the paths of the files after it (a 0.8 ms
    /// read timed at 3.3 ms when it came first).
    /// </summary>
    public static void WarmUp(IReadOnlyList<string> paths)
    {
        var files = paths.Select(path => (Path: path, Bytes: File.ReadAllBytes(path))).ToArray();
        var watch = Stopwatch.StartNew();
        for (var round = 0; (round < 50 || watch.Elapsed < Warmup) && watch.Elapsed < TimeSpan.FromSeconds(2); round++)
        {
            foreach (var (path, bytes) in files)
            {
                try
                {
                    SpectrumFile.Read(bytes, path);
                }
                catch (SpectrumFormatException)
                {
                    // Measure says why it is refused.
                }
            }
        }
    }

    /// <summary>Reads <paramref name="path"/> until the JIT has settled, then times <see cref="Rounds"/> rounds of reads and takes the median.</summary>
    public static ReadMeasurement Measure(string path)
    {
        var bytes = File.ReadAllBytes(path);
        SpectrumFileContent content;
        try
        {
            content = SpectrumFile.Read(bytes, path);
        }
        catch (SpectrumFormatException ex)
        {
            return new(path, bytes.Length, null, 0, 0, TimeSpan.Zero, 0, ex.Message);
        }

        // Warm-up: tiered compilation moves the reader's methods to optimised code after some 30 calls and a short delay.
        var reads = 0;
        var watch = Stopwatch.StartNew();
        while (reads < 50 || watch.Elapsed < Warmup)
        {
            SpectrumFile.Read(bytes, path);
            reads++;
        }
        var perRound = Math.Max(1, (int)(Round / (watch.Elapsed / reads)));

        var before = GC.GetAllocatedBytesForCurrentThread();
        SpectrumFile.Read(bytes, path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var times = new TimeSpan[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            watch.Restart();
            for (var i = 0; i < perRound; i++) SpectrumFile.Read(bytes, path);
            times[round] = watch.Elapsed / perRound;
        }
        Array.Sort(times);
        return new(path, bytes.Length, content.Format, content.Spectra.Count, content.Spectra.Sum(s => s.Length), times[Rounds / 2], allocated, null);
    }
}
