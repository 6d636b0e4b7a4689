using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using MidirEdge.Models.Bundles;
using NuGet.Versioning;
using MidirEdge.Spectra;

namespace MidirEdge.Models.Store;

/// <summary>
/// A directory of model bundles kept live: every valid bundle is loaded, the highest version of each id is active,
/// changes are picked up without a restart and swapped in atomically, and a bundle that fails verification is refused
/// with a logged reason while the models already active stay in service.
/// </summary>
/// <remarks>Bundles are files <c>*.zip</c> or directories holding a manifest.json. The store keeps the previous version of
/// each id on disk so <see cref="Rollback"/> can return to it.</remarks>
public sealed partial class ModelStore : IDisposable
{
    private const string RetiredFolder = "retired";
    private readonly string _directory;
    private readonly BundleTrust _trust;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly Dictionary<string, Loaded> _loaded = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposing = new();
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;
    private ModelSet _current = new([]);

    /// <summary>Creates a store over <paramref name="directory"/> (created if missing); call <see cref="Reload"/> to load.</summary>
    public ModelStore(string directory, BundleTrust trust, ILogger<ModelStore> logger)
    {
        _directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        _trust = trust;
        _logger = logger;
        Directory.CreateDirectory(_directory);
    }

    /// <summary>Raised after a reload changed the active set.</summary>
    public event EventHandler? Changed;

    /// <summary>The active bundles at this moment (for listing; use <see cref="Acquire"/> to predict).</summary>
    public ImmutableArray<ModelBundle> Active => Volatile.Read(ref _current).Bundles;

    /// <summary>The bundles in the folder that the last reload refused, by path, with the reason.</summary>
    public IReadOnlyDictionary<string, string> Refused
    {
        get
        {
            lock (_reloadLock)
                return _loaded.Where(l => l.Value.Refusal is not null).ToImmutableSortedDictionary(l => l.Key, l => l.Value.Refusal!, StringComparer.Ordinal);
        }
    }

    /// <summary>Holds the active set until disposed, so a concurrent reload cannot dispose a model mid-prediction.</summary>
    public ModelLease Acquire()
    {
        while (true)
        {
            var set = Volatile.Read(ref _current);
            if (set.TryAcquire()) return new ModelLease(set);
        }
    }

    /// <summary>Scans the directory, loads new or changed bundles, and swaps in the new active set.</summary>
    /// <remarks>A bundle that fails to load, for whatever reason, is refused with a logged reason and the others load;
    /// cancelling stops between bundles (and between the files and models of one), leaving the active set as it was.</remarks>
    public void Reload(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        cancellationToken = linked.Token;
        lock (_reloadLock)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var changed = new List<(string Path, string Stamp, Loaded? Known)>();
            foreach (var path in Candidates())
            {
                cancellationToken.ThrowIfCancellationRequested();
                seen.Add(path);
                string stamp;
                try
                {
                    stamp = Stamp(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue; // gone or unreadable since the scan; the next change brings it back
                }
                if (_loaded.TryGetValue(path, out var known) && known.Stamp == stamp) continue;
                changed.Add((path, stamp, known));
            }
            // Bundles load side by side (each runs its scattering and models on a probe spectrum): at start-up on a
            // 2-core box, 7 bundles took half the time to `online` one after another.
            var loads = new (ModelBundle? Bundle, Exception? Error)[changed.Count];
            Parallel.For(0, changed.Count, i =>
            {
                try
                {
                    loads[i] = (ModelBundle.Load(changed[i].Path, _trust, cancellationToken), null);
                }
                catch (Exception ex)
                {
                    loads[i] = (null, ex);
                }
            });
            if (cancellationToken.IsCancellationRequested)
            {
                foreach (var (bundle, _) in loads) bundle?.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
            }
            for (var i = 0; i < changed.Count; i++)
            {
                var (path, stamp, known) = changed[i];
                var (bundle, error) = loads[i];
                if (bundle is not null)
                {
                    _loaded[path] = new Loaded(bundle, stamp);
                    if (known?.Bundle is { } old) Retire(old);
                    LogLoaded(bundle.Id, bundle.Version, path, bundle.IsSigned);
                }
                else
                {
                    var reason = error is ModelException ? error.Message : $"{error!.GetType().Name}: {LibraryMessage.Of(error.Message)}";
                    _loaded[path] = new Loaded(null, stamp, reason);
                    if (known?.Bundle is { } old) Retire(old);
                    LogRefused(path, reason);
                }
            }
            foreach (var path in _loaded.Keys.Where(p => !seen.Contains(p)).ToArray())
            {
                if (_loaded[path].Bundle is { } gone) Retire(gone);
                _loaded.Remove(path);
            }
            Swap();
        }
    }

    /// <summary>Starts watching the directory and reloading shortly after anything in it changes, until <paramref name="stopping"/> is cancelled.</summary>
    /// <remarks>Cancelling also cancels a reload in progress; nothing a reload meets can end the process.</remarks>
    public void Watch(TimeSpan settle, CancellationToken stopping = default)
    {
        // Lives as long as the store: a timer callback still queued at Dispose reads a cancelled token, not a disposed one.
        var token = CancellationTokenSource.CreateLinkedTokenSource(_disposing.Token, stopping).Token;
        _debounce = new Timer(_ => SafeReload(token), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(_directory) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        var debounce = _debounce;
        // Watcher events run on pool threads too: one still in flight when the store is disposed must not throw there.
        void Settle()
        {
            try
            {
                debounce.Change(settle, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
        }
        FileSystemEventHandler changed = (_, _) => Settle();
        _watcher.Created += changed;
        _watcher.Changed += changed;
        _watcher.Deleted += changed;
        _watcher.Renamed += (_, _) => Settle();
    }

    /// <summary>
    /// Verifies a bundle and writes the verified files into the store as <c>{id}@{version}.zip</c>; older versions beyond the previous one
    /// are retired. Returns the installed bundle, which is active unless a higher version of its id is.
    /// </summary>
    /// <param name="bundlePath">The bundle .zip or directory.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <param name="trust">A stricter policy for this bundle than the store's (one that came over the network must be signed); null for the store's.</param>
    /// <exception cref="ModelException">The bundle is refused; nothing is written.</exception>
    public ModelBundle Install(string bundlePath, CancellationToken cancellationToken = default, BundleTrust? trust = null)
    {
        // Read once: what is written is exactly what was verified, whatever happens to the source meanwhile.
        var files = BundleFiles.Read(bundlePath, cancellationToken);
        string id, target;
        using (var bundle = ModelBundle.Load(files, bundlePath, trust ?? _trust, cancellationToken))
        {
            id = bundle.Id;
            target = InFolder(_directory, $"{bundle.Id}@{bundle.Version}.zip");
        }
        // Written under a name the scan ignores, then renamed: the store never sees half a bundle.
        var partial = target + ".partial";
        File.Delete(partial);
        BundleFiles.WriteZip(files, partial);
        File.Move(partial, target, overwrite: true);
        RetireOldVersions(id);
        Reload(cancellationToken);
        lock (_reloadLock)
            return _loaded.TryGetValue(target, out var installed) && installed.Bundle is { } loaded ? loaded : Active.First(b => b.Id == id);
    }

    /// <summary>Moves the active version of <paramref name="id"/> to <c>retired/</c> so the previous version becomes active.</summary>
    public bool Rollback(string id)
    {
        lock (_reloadLock)
        {
            var versions = Versions(id);
            if (versions.Count < 2) return false;
            MoveToRetired(versions[0].Path);
        }
        Reload();
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Cancelled first, so a reload in progress lets go of the lock.
        _disposing.Cancel();
        _watcher?.Dispose();
        _debounce?.Dispose();
        lock (_reloadLock)
        {
            var last = Interlocked.Exchange(ref _current, new ModelSet([]));
            last.Release([.. _retiring, .. _loaded.Values.Select(l => l.Bundle).OfType<ModelBundle>()]);
            _retiring.Clear();
            _loaded.Clear();
        }
    }

    // Runs on the timer: whatever happens is logged, never thrown into a thread pool thread (which would end the process).
    private void SafeReload(CancellationToken cancellationToken)
    {
        try
        {
            Reload(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogScanFailed(_directory, $"{ex.GetType().Name}: {LibraryMessage.Of(ex.Message)}");
        }
    }

    private readonly List<ModelBundle> _retiring = [];

    private void Retire(ModelBundle bundle) => _retiring.Add(bundle);

    private void Swap()
    {
        var active = _loaded.Values.Select(l => l.Bundle).OfType<ModelBundle>()
            .GroupBy(b => b.Id, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(b => b.SemanticVersion).First())
            .OrderBy(b => b.Id, StringComparer.Ordinal)
            .ToImmutableArray();
        var before = _current.Bundles;
        var previous = Interlocked.Exchange(ref _current, new ModelSet(active));
        // Bundles that left are disposed once the last prediction holding the set they were part of lets go.
        previous.Release([.. _retiring]);
        _retiring.Clear();
        if (!before.SequenceEqual(active)) Changed?.Invoke(this, EventArgs.Empty);
    }

    private IEnumerable<string> Candidates() =>
        Directory.EnumerateFiles(_directory, "*.zip")
            .Concat(Directory.EnumerateDirectories(_directory).Where(d => File.Exists(Path.Combine(d, "manifest.json"))))
            .Order(StringComparer.Ordinal);

    private List<(string Path, SemanticVersion Version)> Versions(string id) =>
        _loaded.Where(l => l.Value.Bundle?.Id == id)
            .Select(l => (l.Key, l.Value.Bundle!.SemanticVersion))
            .OrderByDescending(v => v.Item2)
            .ToList();

    private void RetireOldVersions(string id)
    {
        Reload();
        lock (_reloadLock)
            foreach (var (path, _) in Versions(id).Skip(2)) MoveToRetired(path);
    }

    private void MoveToRetired(string path)
    {
        var retired = InFolder(_directory, RetiredFolder);
        Directory.CreateDirectory(retired);
        var destination = InFolder(retired, Path.GetFileName(path));
        if (Directory.Exists(path)) Directory.Move(path, destination + "." + DateTime.UtcNow.Ticks);
        else File.Move(path, destination, overwrite: true);
    }

    // Every path the store writes is built here: a direct child of its folder, whatever the name holds.
    private static string InFolder(string folder, string name)
    {
        var path = Path.GetFullPath(Path.Combine(folder, name));
        if (!string.Equals(Path.GetDirectoryName(path), folder, StringComparison.Ordinal))
            throw new ModelException(OneLine.Quote(name), $"would be written outside the model folder {folder}");
        return path;
    }

    private static string Stamp(string path)
    {
        if (File.Exists(path))
        {
            var info = new FileInfo(path);
            return $"{info.Length}:{info.LastWriteTimeUtc.Ticks}";
        }
        var manifest = new FileInfo(Path.Combine(path, "manifest.json"));
        return $"{manifest.Length}:{manifest.LastWriteTimeUtc.Ticks}";
    }

    private sealed record Loaded(ModelBundle? Bundle, string Stamp, string? Refusal = null);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Id} {Version} loaded from {Path} (signed: {Signed})")]
    private partial void LogLoaded(string id, string version, string path, bool signed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model bundle {Path} refused: {Reason}")]
    private partial void LogRefused(string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not scan the model directory {Path}: {Reason}")]
    private partial void LogScanFailed(string path, string reason);
}
