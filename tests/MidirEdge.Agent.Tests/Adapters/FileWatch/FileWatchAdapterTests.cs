using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using MidirEdge.Agent.Adapters.FileWatch;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Adapters.FileWatch;

public sealed class FileWatchAdapterTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    // Longer than a stable window plus a rescan, so a file that could be emitted would have been.
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(1500);

    private readonly TempDirectory _dir = new("filewatch");
    private readonly string _inbox;

    public FileWatchAdapterTests()
    {
        _inbox = Path.Combine(_dir.Path, "inbox");
        Directory.CreateDirectory(_inbox);
    }

    public void Dispose() => _dir.Dispose();

    private FileWatchOptions Options(Action<FileWatchOptions>? change = null)
    {
        var options = new FileWatchOptions
        {
            Name = "inbox",
            Path = _inbox,
            Include = ["*.0", "*.1", "*.001"],
            StableFor = TimeSpan.FromMilliseconds(300),
            RescanInterval = TimeSpan.FromMilliseconds(500),
        };
        change?.Invoke(options);
        return options;
    }

    private static byte[] Opus(string name) => Fixtures.ReadBytes($"data/opus/{name}");

    [Fact]
    public async Task File_written_in_chunks_is_emitted_once_complete_and_only_once()
    {
        await using var run = Start(Options());
        var bytes = Opus("617262_1TP_C-1_A5.0");
        var path = Path.Combine(_inbox, "617262_1TP_C-1_A5.0");
        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            writer.Write(bytes, 0, bytes.Length / 2);
            writer.Flush();
            await run.AssertNothingAsync(Quiet);
            writer.Write(bytes, bytes.Length / 2, bytes.Length - bytes.Length / 2);
        }
        var capture = await run.NextAsync();
        Assert.Equal(path, capture.Source);
        Assert.Equal("inbox", capture.Adapter);
        Assert.Equal(bytes, capture.Content.ToArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), capture.ContentHash);
        Assert.Null(capture.Spectrum);
        // In flight: rescans and watcher events must not emit it again.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        await run.AssertNothingAsync(Quiet);
    }

    [Fact]
    public async Task Completion_archives_into_a_dated_folder_and_a_taken_name_gets_a_suffix()
    {
        await using var run = Start(Options());
        var bytes = Opus("629266_1TP_A-1_C1.0");
        var name = "629266_1TP_A-1_C1.0";
        File.WriteAllBytes(Path.Combine(_inbox, name), bytes);
        await (await run.NextAsync()).Completion.CompleteAsync(CancellationToken.None);

        File.WriteAllBytes(Path.Combine(_inbox, name), Opus("617262_1TP_C-1_A5.0"));
        await (await run.NextAsync()).Completion.CompleteAsync(CancellationToken.None);

        Assert.Empty(Directory.GetFiles(_inbox));
        var archived = Directory.GetFiles(Path.Combine(_inbox, "archive"), "*", SearchOption.AllDirectories).Order().ToArray();
        Assert.Equal(2, archived.Length);
        Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2}$"), Path.GetFileName(Path.GetDirectoryName(archived[0])));
        Assert.Equal(new[] { "629266_1TP_A-1_C1-1.0", name }.Order(StringComparer.Ordinal), archived.Select(a => Path.GetFileName(a)).Order(StringComparer.Ordinal));
        Assert.Equal(bytes, File.ReadAllBytes(archived.Single(a => Path.GetFileName(a) == name)));
        await run.AssertNothingAsync(Quiet);
    }

    [Fact]
    public async Task Retry_later_leaves_the_file_and_captures_it_again()
    {
        await using var run = Start(Options());
        var path = Path.Combine(_inbox, "629266_1TP_A-1_C1.0");
        File.WriteAllBytes(path, Opus("629266_1TP_A-1_C1.0"));
        var first = await run.NextAsync();
        await first.Completion.RetryLaterAsync("the cache could not be written", CancellationToken.None);

        Assert.True(File.Exists(path));
        var again = await run.NextAsync();
        Assert.Equal(path, again.Source);
        Assert.Equal(first.ContentHash, again.ContentHash);
        await Assert.ThrowsAsync<InvalidOperationException>(() => first.Completion.CompleteAsync(CancellationToken.None));
        await again.Completion.CompleteAsync(CancellationToken.None);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Failure_moves_the_file_to_quarantine_with_an_error_note()
    {
        await using var run = Start(Options());
        var path = Path.Combine(_inbox, "broken.0");
        File.WriteAllBytes(path, "not an OPUS file"u8.ToArray());
        var capture = await run.NextAsync();
        await capture.Completion.FailAsync("not an OPUS file: bad magic", CancellationToken.None);

        Assert.False(File.Exists(path));
        var quarantined = Path.Combine(_inbox, "quarantine", "broken.0");
        Assert.Equal("not an OPUS file"u8.ToArray(), File.ReadAllBytes(quarantined));
        var note = File.ReadAllText(quarantined + ".error.txt");
        Assert.Contains("not an OPUS file: bad magic", note);
        Assert.Matches(new Regex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"), note);
        await Assert.ThrowsAsync<InvalidOperationException>(() => capture.Completion.CompleteAsync(CancellationToken.None));
        await run.AssertNothingAsync(Quiet);
    }

    /// <summary>
    /// A file still empty after its stability window, and one larger than any instrument file (a sparse 256 MB + 1 byte),
    /// go out once each as a failed capture naming the reason, without their bytes; failed as the pipeline fails them, they
    /// are quarantined with the reason and never looked at again.
    /// </summary>
    [Fact]
    public async Task Empty_and_oversized_files_go_out_once_as_failed_captures()
    {
        await using var run = Start(Options());
        var empty = Path.Combine(_inbox, "empty.0");
        File.WriteAllBytes(empty, []);
        var huge = Path.Combine(_inbox, "huge.0");
        using (var stream = new FileStream(huge, FileMode.CreateNew)) stream.SetLength(MidirEdge.Spectra.Formats.SpectrumFile.MaxBytes + 1L);

        var captures = new[] { await run.NextAsync(), await run.NextAsync() }.OrderBy(c => c.Source, StringComparer.Ordinal).ToArray();
        Assert.Equal([empty, huge], captures.Select(c => c.Source));
        Assert.Equal("empty file (0 bytes)", captures[0].Failure);
        Assert.StartsWith("file is 268435457 bytes, larger than the 268435456-byte limit", captures[1].Failure, StringComparison.Ordinal);
        Assert.All(captures, c => Assert.True(c.Content.IsEmpty && c.Spectrum is null && c.ContentHash.Length == 0));
        await run.AssertNothingAsync(Quiet);
        foreach (var capture in captures) await capture.Completion.FailAsync(capture.Failure!, CancellationToken.None);

        var quarantine = Path.Combine(_inbox, "quarantine");
        Assert.False(File.Exists(empty));
        Assert.False(File.Exists(huge));
        Assert.StartsWith("empty file (0 bytes)", File.ReadAllText(Path.Combine(quarantine, "empty.0.error.txt")), StringComparison.Ordinal);
        Assert.StartsWith("file is 268435457 bytes, larger than the 268435456-byte limit", File.ReadAllText(Path.Combine(quarantine, "huge.0.error.txt")), StringComparison.Ordinal);
        await run.AssertNothingAsync(Quiet);
        Assert.Equal(4, Directory.GetFiles(quarantine).Length);
    }

    /// <summary>The adapter names its missing folder as its problem, and stops naming it once the folder is back.</summary>
    [Fact]
    public void A_missing_folder_is_the_adapters_problem()
    {
        var adapter = new FileWatchAdapter(Options(), TimeProvider.System, NullLogger<FileWatchAdapter>.Instance);
        Assert.Null(((ICaptureAdapter)adapter).Problem);
        Directory.Delete(_inbox);
        Assert.Equal($"folder {_inbox} does not exist; nothing is captured until it is back", ((ICaptureAdapter)adapter).Problem);
        Directory.CreateDirectory(_inbox);
        Assert.Null(((ICaptureAdapter)adapter).Problem);
    }

    [Fact]
    public async Task Excluded_and_unmatched_files_are_not_emitted()
    {
        await using var run = Start(Options(o => o.Exclude = ["BF_*"]));
        File.WriteAllBytes(Path.Combine(_inbox, "BF_lo_01_soil_cal.1"), Opus("BF_lo_01_soil_cal.1"));
        File.WriteAllText(Path.Combine(_inbox, "notes.txt"), "operator notes");
        File.WriteAllBytes(Path.Combine(_inbox, "MMP_2107_Test1.001"), Opus("MMP_2107_Test1.001"));
        var capture = await run.NextAsync();
        Assert.Equal("MMP_2107_Test1.001", Path.GetFileName(capture.Source));
        await run.AssertNothingAsync(Quiet);
    }

    [Fact]
    public async Task A_new_adapter_on_the_same_folder_emits_the_files_left_unarchived()
    {
        var bytes = Opus("test_spectra.0");
        File.WriteAllBytes(Path.Combine(_inbox, "test_spectra.0"), bytes);
        string hash;
        await using (var first = Start(Options()))
        {
            hash = (await first.NextAsync()).ContentHash;   // never completed: the agent "crashes"
        }
        await using var second = Start(Options());
        var again = await second.NextAsync();
        Assert.Equal(hash, again.ContentHash);
        await again.Completion.CompleteAsync(CancellationToken.None);
        Assert.Empty(Directory.GetFiles(_inbox));
    }

    [Fact]
    public async Task Rescan_finds_files_without_change_notifications()
    {
        File.WriteAllBytes(Path.Combine(_inbox, "before-start.0"), Opus("test_spectra.0"));
        await using var run = Start(Options(o => o.Watch = false));
        Assert.Equal("before-start.0", Path.GetFileName((await run.NextAsync()).Source));
        File.WriteAllBytes(Path.Combine(_inbox, "while-running.1"), Opus("BF_lo_01_soil_cal.1"));
        Assert.Equal("while-running.1", Path.GetFileName((await run.NextAsync()).Source));
    }

    [Fact]
    public async Task A_folder_that_appears_later_is_watched_once_it_exists()
    {
        Directory.Delete(_inbox);   // share not mounted yet
        await using var run = Start(Options());
        await run.AssertNothingAsync(TimeSpan.FromMilliseconds(600));
        Directory.CreateDirectory(_inbox);
        File.WriteAllBytes(Path.Combine(_inbox, "late.0"), Opus("test_spectra.0"));
        Assert.Equal("late.0", Path.GetFileName((await run.NextAsync()).Source));
    }

    [Fact]
    public async Task Leave_keeps_the_file_and_does_not_emit_it_again()
    {
        await using var run = Start(Options(o => o.AfterProcessing = AfterProcessing.Leave));
        var path = Path.Combine(_inbox, "kept.0");
        File.WriteAllBytes(path, Opus("test_spectra.0"));
        await (await run.NextAsync()).Completion.CompleteAsync(CancellationToken.None);
        Assert.True(File.Exists(path));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));   // touched, same bytes
        await run.AssertNothingAsync(Quiet);
        File.WriteAllBytes(path, Opus("BF_lo_01_soil_cal.1"));           // rewritten with new bytes
        Assert.Equal(Opus("BF_lo_01_soil_cal.1"), (await run.NextAsync()).Content.ToArray());
    }

    [Fact]
    public void Validation_names_the_key()
    {
        var result = new FileWatchOptionsValidator().Validate(null, new FileWatchOptions { Path = "", StableFor = TimeSpan.Zero });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("MidirEdge:Adapters:FileWatch:Path", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("MidirEdge:Adapters:FileWatch:Include", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("MidirEdge:Adapters:FileWatch:StableFor", StringComparison.Ordinal));
    }

    private static AdapterRun Start(FileWatchOptions options) =>
        AdapterRun.Start(new FileWatchAdapter(options, TimeProvider.System, NullLogger<FileWatchAdapter>.Instance));
}
