using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.Logging;
using MidirEdge.Agent.Capturing;
using MidirEdge.Spectra.Formats;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Adapters.FileWatch;

/// <summary>
/// Emits the instrument files written into a folder, each once it is complete: its size and last-write time
/// held still for <see cref="FileWatchOptions.StableFor"/> and it opens for exclusive reading (no writer left).
/// Discovery is a <see cref="FileSystemWatcher"/> plus a periodic full listing for the events a watcher misses
/// (network shares, overflows, files that were there before start). A file is not emitted again while in flight;
/// its completion archives, leaves or quarantines it.
/// </summary>
/// <remarks>
/// The adapter sleeps until the next thing falls due (a candidate's window ends, a rescan) and a change notification
/// wakes it at once, so a file goes out right when its window ends rather than on a polling grid: with the default
/// 2-second window, polling would add up to another second.
/// </remarks>
public sealed partial class FileWatchAdapter : ICaptureAdapter
{
    private static readonly StringComparer PathComparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly FileWatchOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FileWatchAdapter> _logger;
    private readonly string _root;
    private readonly string _archive;
    private readonly string _quarantine;
    private readonly Matcher _matcher;
    private readonly ConcurrentQueue<string> _events = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Dictionary<string, Observation> _candidates = new(PathComparer);
    private readonly ConcurrentDictionary<string, FileStamp> _inFlight = new(PathComparer);
    private readonly ConcurrentDictionary<string, FileStamp> _left = new(PathComparer);
    private readonly ConcurrentDictionary<string, byte> _leftHashes = new(StringComparer.Ordinal);
    private volatile bool _watcherFailed;

    /// <summary>Creates the adapter; <paramref name="options"/> must be valid (see <see cref="FileWatchOptions"/>).</summary>
    public FileWatchAdapter(FileWatchOptions options, TimeProvider time, ILogger<FileWatchAdapter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path, "options.Path");
        if (options.Include.Count == 0) throw new ArgumentException("At least one include glob is required.", nameof(options));
        _options = options;
        _time = time;
        _logger = logger;
        _root = Path.GetFullPath(options.Path);
        _archive = options.ResolvedArchivePath;
        _quarantine = options.ResolvedQuarantinePath;
        _matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        _matcher.AddIncludePatterns(options.Include);
        _matcher.AddExcludePatterns(options.Exclude);
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <summary>Number of emitted files whose completion has not been called yet.</summary>
    public int InFlight => _inFlight.Count;

    /// <inheritdoc />
    /// <remarks>Looked at when asked, not when the loop last ran, so a folder deleted a moment ago shows at once.</remarks>
    public string? Problem => Directory.Exists(_root) ? null : $"folder {_root} does not exist; nothing is captured until it is back";

    /// <inheritdoc />
    /// <remarks>The inbox must exist and list (the agent does not create it: a missing share is a problem to see, not to paper
    /// over); the archive and quarantine folders must be creatable and writable, since every file ends up in one of them.</remarks>
    public Task<AdapterCheck> CheckAsync(CancellationToken ct)
    {
        var source = $"folder {_root} ({string.Join(" ", _options.Include)})";
        if (!Directory.Exists(_root)) return Checked(source, $"folder {_root} does not exist ({_options.Section}:Path)");
        int waiting;
        try
        {
            waiting = Waiting();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Checked(source, $"folder {_root} cannot be listed: {(ex is UnauthorizedAccessException ? "permission denied" : ex.Message.TrimEnd('.'))}");
        }
        var problem = Writable(_quarantine, "QuarantinePath")
            ?? (_options.AfterProcessing == AfterProcessing.Archive ? Writable(_archive, "ArchivePath") : null);
        return Checked($"{source}, {waiting} file(s) waiting", problem);
    }

    private static Task<AdapterCheck> Checked(string source, string? problem) => Task.FromResult(new AdapterCheck(source, problem));

    // Files the include globs match now, archive and quarantine excluded.
    private int Waiting() => Listing().Count(Matches);

    private string? Writable(string folder, string key)
    {
        try
        {
            Directory.CreateDirectory(folder);
            using var probe = new FileStream(Path.Combine(folder, $".midir-edge-check-{Environment.ProcessId}"), FileMode.Create, FileAccess.Write, FileShare.None, 1,
                FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"folder {folder} cannot be written ({_options.Section}:{key}): {(ex is UnauthorizedAccessException ? "permission denied" : ex.Message.TrimEnd('.'))}";
        }
    }

    /// <inheritdoc />
    public async Task RunAsync(ChannelWriter<Capture> output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        // How soon to look again at a file that was due but could not be read yet, and at a missing folder.
        var retry = TimeSpan.FromTicks(Math.Clamp(_options.StableFor.Ticks / 3, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));
        if (retry > _options.RescanInterval) retry = _options.RescanInterval;
        FileSystemWatcher? watcher = null;
        var lastRescan = DateTimeOffset.MinValue;
        var folderMissing = false;
        LogStarted(Name, _root, string.Join(" ", _options.Include), _options.AfterProcessing);
        try
        {
            while (true)
            {
                if (!Directory.Exists(_root))
                {
                    if (!folderMissing) LogFolderMissing(Name, _root);
                    folderMissing = true;
                    watcher?.Dispose();
                    watcher = null;
                    await SleepAsync(retry, ct).ConfigureAwait(false);
                    continue;
                }
                if (folderMissing) LogFolderBack(Name, _root);
                folderMissing = false;
                if (_watcherFailed)
                {
                    watcher?.Dispose();
                    watcher = null;
                    _watcherFailed = false;
                    lastRescan = DateTimeOffset.MinValue;
                }
                if (_options.Watch && watcher is null) watcher = StartWatcher();
                var now = _time.GetUtcNow();
                if (now - lastRescan >= _options.RescanInterval)
                {
                    Rescan(now);
                    lastRescan = now;
                }
                DrainEvents(now);
                await EmitCompleteFilesAsync(output, ct).ConfigureAwait(false);
                await SleepAsync(UntilNextDue(lastRescan, retry), ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            watcher?.Dispose();
        }
    }

    /// <summary>Time until something next falls due: the end of a candidate's window, a retry of a due one, or the next rescan.</summary>
    private TimeSpan UntilNextDue(DateTimeOffset lastRescan, TimeSpan retry)
    {
        // Elapsed times only, so no setting (however large) can overflow a date.
        var now = _time.GetUtcNow();
        var delay = _options.RescanInterval - (now - lastRescan);
        foreach (var seen in _candidates.Values)
        {
            var untilDue = _options.StableFor - (now - seen.Since);
            // Due already and still here: it could not be read yet (a writer holds it); try again a little later.
            if (untilDue <= TimeSpan.Zero) untilDue = retry;
            if (untilDue < delay) delay = untilDue;
        }
        return delay;
    }

    /// <summary>Waits for <paramref name="delay"/>, or less if a change notification arrives.</summary>
    private async Task SleepAsync(TimeSpan delay, CancellationToken ct)
    {
        if (delay <= TimeSpan.Zero) return;
        // Capped, so a clock that jumps or a rescan interval of days cannot put the loop to sleep for long.
        if (delay > MaxSleep) delay = MaxSleep;
        using var timeout = new CancellationTokenSource(delay, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await _wake.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The delay ran out.
        }
    }

    /// <summary>Wakes the loop; a wake-up already pending is enough.</summary>
    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    private FileSystemWatcher? StartWatcher()
    {
        try
        {
            var watcher = new FileSystemWatcher(_root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Created += (_, e) => Notify(e.FullPath);
            watcher.Changed += (_, e) => Notify(e.FullPath);
            watcher.Renamed += (_, e) => Notify(e.FullPath);
            watcher.Error += (_, e) =>
            {
                LogWatcherError(e.GetException(), Name, _root);
                _watcherFailed = true;
                Wake();
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // Some shares refuse notifications; the rescan still finds every file.
            LogWatcherError(ex, Name, _root);
            return null;
        }
    }

    private void Rescan(DateTimeOffset now)
    {
        try
        {
            foreach (var file in Listing()) Consider(file, now);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogRescanFailed(ex, Name, _root);
        }
    }

    // Every file under the folder, outside the archive and quarantine.
    private FileSystemEnumerable<string> Listing() =>
        new(_root, (ref FileSystemEntry e) => e.ToFullPath(),
            new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System })
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory,
            ShouldRecursePredicate = (ref FileSystemEntry e) => !IsOwnFolder(e.ToFullPath()),
        };

    // Whether a file is one the include and exclude globs take, outside the archive and quarantine.
    private bool Matches(string path)
    {
        if (IsOwnFolder(Path.GetDirectoryName(path)!)) return false;
        var relative = Path.GetRelativePath(_root, path);
        return !relative.StartsWith("..", StringComparison.Ordinal) && _matcher.Match(relative.Replace('\\', '/')).HasMatches;
    }

    private void Notify(string path)
    {
        _events.Enqueue(path);
        Wake();
    }

    private void DrainEvents(DateTimeOffset now)
    {
        while (_events.TryDequeue(out var path)) Consider(path, now);
    }

    private void Consider(string path, DateTimeOffset now)
    {
        if (_candidates.ContainsKey(path) || _inFlight.ContainsKey(path) || !Matches(path)) return;
        var stamp = FileStamp.Of(path);
        if (stamp is null) return;
        if (_left.TryGetValue(path, out var left) && left == stamp) return;
        _candidates[path] = new Observation(stamp.Value, now);
    }

    private async Task EmitCompleteFilesAsync(ChannelWriter<Capture> output, CancellationToken ct)
    {
        if (_candidates.Count == 0) return;
        foreach (var (path, seen) in _candidates.ToArray())
        {
            var now = _time.GetUtcNow();
            var stamp = FileStamp.Of(path);
            if (stamp is null || _inFlight.ContainsKey(path))
            {
                _candidates.Remove(path);
                continue;
            }
            if (stamp != seen.Stamp)
            {
                _candidates[path] = new Observation(stamp.Value, now);
                continue;
            }
            if (now - seen.Since < _options.StableFor) continue;
            // Still empty, or too large for any instrument file, after the whole window: no writer is coming back to
            // it and no reader could use it, so it goes out once as a failed capture (rejected, then quarantined)
            // rather than being watched forever.
            if (Unusable(stamp.Value) is { } unusable)
            {
                _candidates.Remove(path);
                LogUnusable(Name, OneLine.Of(path), unusable);
                await EmitAsync(output, path, stamp.Value, new Capture
                {
                    Adapter = Name,
                    Source = path,
                    ContentHash = "",
                    CapturedUtc = now,
                    Failure = unusable,
                    Completion = new FileCompletion(this, path, stamp.Value, ""),
                }, ct).ConfigureAwait(false);
                continue;
            }
            var content = TryReadExclusive(path, stamp.Value);
            if (content is null) continue;
            _candidates.Remove(path);
            var hash = Convert.ToHexStringLower(SHA256.HashData(content));
            if (_options.AfterProcessing == AfterProcessing.Leave && _leftHashes.ContainsKey(hash))
            {
                _left[path] = stamp.Value;
                continue;
            }
            LogEmitted(Name, OneLine.Of(path), content.Length, hash);
            await EmitAsync(output, path, stamp.Value, new Capture
            {
                Adapter = Name,
                Source = path,
                ContentHash = hash,
                CapturedUtc = now,
                Content = content,
                Completion = new FileCompletion(this, path, stamp.Value, hash),
            }, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <paramref name="capture"/> of <paramref name="path"/>, which stays in flight until its completion is called.</summary>
    private async Task EmitAsync(ChannelWriter<Capture> output, string path, FileStamp stamp, Capture capture, CancellationToken ct)
    {
        _inFlight[path] = stamp;
        try
        {
            await output.WriteAsync(capture, ct).ConfigureAwait(false);
        }
        catch
        {
            _inFlight.TryRemove(path, out _);
            throw;
        }
    }

    /// <summary>The file's bytes if it opens with no one else holding it and still has the observed size; otherwise null (try later).</summary>
    private byte[]? TryReadExclusive(string path, FileStamp stamp)
    {
        try
        {
            // FileShare.None: on Windows it fails while any writer has the file open; on Unix .NET takes an
            // exclusive advisory lock, which fails while a writer holds its (shared) one.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.None);
            if (stream.Length != stamp.Length) return null;
            var content = new byte[stream.Length];
            stream.ReadExactly(content);
            return content;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogNotReadable(Name, OneLine.Of(path), OneLine.Of(ex.Message));
            return null;
        }
    }

    private static string? Unusable(FileStamp stamp) =>
        stamp.Length == 0 ? "empty file (0 bytes)"
        : stamp.Length > SpectrumFile.MaxBytes ? string.Create(CultureInfo.InvariantCulture, $"file is {stamp.Length} bytes, larger than the {SpectrumFile.MaxBytes}-byte limit for an instrument file")
        : null;

    private bool IsOwnFolder(string directory) => IsUnder(directory, _archive) || IsUnder(directory, _quarantine);

    private static bool IsUnder(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    private void Complete(string path, FileStamp stamp, string hash)
    {
        try
        {
            if (_options.AfterProcessing == AfterProcessing.Leave)
            {
                _left[path] = stamp;
                _leftHashes[hash] = 0;
                return;
            }
            if (FileStamp.Of(path) != stamp)
            {
                LogChangedSinceCapture(Name, OneLine.Of(path));
                return;
            }
            var day = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var target = MoveToFolder(path, Path.Combine(_archive, day));
            LogArchived(Name, OneLine.Of(path), OneLine.Of(target));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in the inbox: the next rescan emits it again and its completion retries the move.
            LogMoveFailed(ex, Name, OneLine.Of(path));
        }
        finally
        {
            _inFlight.TryRemove(path, out _);
        }
    }

    private void Quarantine(string path, string reason)
    {
        // The reason may quote the file's bytes and the name is the instrument PC's: one line each, bounded.
        reason = OneLine.Of(reason);
        try
        {
            var note = $"{reason}{Environment.NewLine}" +
                       $"Quarantined {_time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} by adapter '{Name}' from {OneLine.Of(path)}{Environment.NewLine}";
            // The note is in place, whole, before the file moves: a kill at any moment leaves no quarantined file without its reason.
            var target = MoveToFolder(path, _quarantine, target => WriteWhole(target + ".error.txt", note));
            LogQuarantined(Name, OneLine.Of(path), OneLine.Of(target), reason);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogMoveFailed(ex, Name, OneLine.Of(path));
        }
        finally
        {
            _inFlight.TryRemove(path, out _);
        }
    }

    private void Release(string path, string reason)
    {
        // Out of flight and no longer a candidate: the next rescan finds it and it goes through the stability window again.
        _inFlight.TryRemove(path, out _);
        LogReleased(Name, OneLine.Of(path), OneLine.Of(reason));
    }

    // Written under a temporary name and renamed, so a reader (or a restart after a kill) never finds half a file.
    private static void WriteWhole(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>
    /// Moves <paramref name="path"/> into <paramref name="folder"/>; a taken name gets <c>-1</c>, <c>-2</c>… before its extension.
    /// <paramref name="beforeMove"/> runs with the chosen target just before the move.
    /// </summary>
    private static string MoveToFolder(string path, string folder, Action<string>? beforeMove = null)
    {
        Directory.CreateDirectory(folder);
        var name = Path.GetFileName(path);
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var n = 0; ; n++)
        {
            var target = Path.Combine(folder, n == 0 ? name : $"{stem}-{n}{extension}");
            if (File.Exists(target) || File.Exists(target + ".error.txt")) continue;
            try
            {
                beforeMove?.Invoke(target);
                File.Move(path, target, overwrite: false);
                return target;
            }
            catch (IOException) when (File.Exists(target) && File.Exists(path))
            {
                // Another process took the name between the check and the move: try the next one.
            }
        }
    }

    private readonly record struct Observation(FileStamp Stamp, DateTimeOffset Since);

    private readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
    {
        public static FileStamp? Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : null;
        }
    }

    private sealed class FileCompletion(FileWatchAdapter adapter, string path, FileStamp stamp, string hash) : ICaptureCompletion
    {
        private int _done;

        public Task CompleteAsync(CancellationToken ct)
        {
            Once();
            adapter.Complete(path, stamp, hash);
            return Task.CompletedTask;
        }

        public Task FailAsync(string reason, CancellationToken ct)
        {
            Once();
            adapter.Quarantine(path, reason);
            return Task.CompletedTask;
        }

        public Task RetryLaterAsync(string reason, CancellationToken ct)
        {
            Once();
            adapter.Release(path, reason);
            return Task.CompletedTask;
        }

        private void Once()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
                throw new InvalidOperationException($"The capture of {path} was already completed or failed.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "File adapter {Adapter} watching {Folder} for {Include}; after processing: {After}")]
    private partial void LogStarted(string adapter, string folder, string include, AfterProcessing after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File adapter {Adapter}: folder {Folder} does not exist (share offline?); waiting for it")]
    private partial void LogFolderMissing(string adapter, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "File adapter {Adapter}: folder {Folder} is back")]
    private partial void LogFolderBack(string adapter, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File adapter {Adapter}: change notifications for {Folder} failed; relying on the rescan until the watcher restarts")]
    private partial void LogWatcherError(Exception? exception, string adapter, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File adapter {Adapter}: listing {Folder} failed")]
    private partial void LogRescanFailed(Exception exception, string adapter, string folder);

    [LoggerMessage(Level = LogLevel.Debug, Message = "File adapter {Adapter}: {Path} not readable yet ({Reason})")]
    private partial void LogNotReadable(string adapter, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "File adapter {Adapter}: captured {Path} ({Length} bytes, sha256 {Hash})")]
    private partial void LogEmitted(string adapter, string path, int length, string hash);

    [LoggerMessage(Level = LogLevel.Information, Message = "File adapter {Adapter}: captured {Path}, which cannot be an instrument file ({Reason})")]
    private partial void LogUnusable(string adapter, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "File adapter {Adapter}: archived {Path} to {Target}")]
    private partial void LogArchived(string adapter, string path, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File adapter {Adapter}: quarantined {Path} to {Target}: {Reason}")]
    private partial void LogQuarantined(string adapter, string path, string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File adapter {Adapter}: {Path} changed after it was captured; left in place to be captured again")]
    private partial void LogChangedSinceCapture(string adapter, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File adapter {Adapter}: {Path} was not processed ({Reason}); it stays in the inbox and is captured again on the next rescan")]
    private partial void LogReleased(string adapter, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File adapter {Adapter}: could not move {Path}; it stays in the inbox and is retried on the next rescan")]
    private partial void LogMoveFailed(Exception exception, string adapter, string path);
}
