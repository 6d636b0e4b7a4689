using System.IO.Compression;
using System.Runtime.InteropServices;
using LiteDB;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Cache;

/// <summary>
/// The agent's LiteDB cache file: compressed spectra, result payloads and the delivery <see cref="Outbox"/>.
/// Thread-safe; open one instance per file. A file that fails (full disk, I/O error) is reopened and the operation retried.
/// </summary>
public sealed class AgentCache : IDisposable
{
    private const string Spectra = "spectra";
    private const string Results = "results";
    // The hash of the bytes a cached spectrum was read from (Capture.ContentHash), indexed for the duplicate check.
    private const string CaptureHash = "capture";

    private readonly CacheFile _file;
    private readonly TimeProvider _time;

    private AgentCache(string path, TimeProvider time, ILogger logger, AgentMetrics? metrics)
    {
        Path = path;
        _time = time;
        _file = new CacheFile(path, time, logger, metrics);
        _file.Use(db =>
        {
            db.GetCollection(Spectra).EnsureIndex("stored");
            db.GetCollection(Spectra).EnsureIndex(CaptureHash);
            db.GetCollection(Results).EnsureIndex("stored");
        });
        Outbox = new Outbox(_file, time);
    }

    /// <summary>Full path of the cache file.</summary>
    public string Path { get; }

    /// <summary>Messages awaiting delivery.</summary>
    public Outbox Outbox { get; }

    /// <summary>Opens (or creates) the cache file at <paramref name="path"/>, creating its directory if needed; <paramref name="metrics"/> counts its reopens.</summary>
    public static AgentCache Open(string path, TimeProvider? time = null, ILogger<AgentCache>? logger = null, AgentMetrics? metrics = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return new AgentCache(full, time ?? TimeProvider.System, logger ?? (ILogger)NullLogger.Instance, metrics);
    }

    /// <summary>Number of cached spectra.</summary>
    public int SpectrumCount => _file.Use(db => db.GetCollection(Spectra).Count());

    /// <summary>Number of cached result payloads.</summary>
    public int ResultCount => _file.Use(db => db.GetCollection(Results).Count());

    /// <summary>Bytes the cache occupies on disk (data file plus its log).</summary>
    public long SizeBytes
    {
        get
        {
            var log = System.IO.Path.ChangeExtension(Path, null) + "-log" + System.IO.Path.GetExtension(Path);
            return FileLength(Path) + FileLength(log);
        }
    }

    /// <summary>Stores a spectrum (Brotli-compressed) under its hash; an existing entry with the same hash is replaced.</summary>
    internal void StoreSpectrum(string hash, Spectrum spectrum)
    {
        var doc = SpectrumDocument(hash, spectrum);
        _file.Use(db => db.GetCollection(Spectra).Upsert(doc));
    }

    /// <summary>
    /// Stores result payloads and their spectra in one transaction (as <see cref="StoreResult"/> and
    /// <see cref="StoreSpectrum"/> each would).
    /// </summary>
    public void Store(IReadOnlyList<CachedResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var resultDocs = results.Select(r => ResultDocument(r.Id, r.Json)).ToArray();
        var spectrumDocs = results.Select(r => SpectrumDocument(r.SpectrumHash, r.Spectrum, r.CaptureHash)).ToArray();
        _file.UseTransaction(db =>
        {
            var resultCollection = db.GetCollection(Results);
            foreach (var doc in resultDocs) resultCollection.Upsert(doc);
            var spectrumCollection = db.GetCollection(Spectra);
            foreach (var doc in spectrumDocs) spectrumCollection.Upsert(doc);
        });
    }

    private BsonDocument SpectrumDocument(string hash, Spectrum spectrum, string captureHash = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        ArgumentNullException.ThrowIfNull(spectrum);
        var doc = new BsonDocument
        {
            ["_id"] = hash,
            ["stored"] = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            ["xUnit"] = spectrum.XUnit.ToString(),
            ["yKind"] = spectrum.YKind.ToString(),
            ["n"] = spectrum.Length,
            ["data"] = Compress(spectrum.X.AsSpan(), spectrum.Y.AsSpan()),
        };
        if (captureHash.Length > 0) doc[CaptureHash] = captureHash;
        if (spectrum.Metadata.SampleName is { } sample) doc["sample"] = sample;
        if (spectrum.Metadata.AcquiredUtc is { } acquired) doc["acquired"] = acquired.ToUnixTimeMilliseconds();
        return doc;
    }

    /// <summary>Whether a spectrum is stored under <paramref name="hash"/>: a seek in the primary key, nothing is read or decompressed.</summary>
    public bool HoldsSpectrum(string hash)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        return HoldsKey("_id", hash);
    }

    /// <summary>Whether a cached spectrum was read from bytes with SHA-256 <paramref name="captureHash"/>: a seek in that field's index.</summary>
    public bool HoldsCapture(string captureHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(captureHash);
        return HoldsKey(CaptureHash, captureHash);
    }

    // Selecting only the indexed field lets LiteDB answer from the index (its plan's loader is "index"); its Exists()
    // loads the whole document, compressed spectrum and all, which made the lookup 4× slower. The value is a
    // parameter, not part of the expression's text: LiteDB compiles each new text (Query.EQ writes the value into it).
    private bool HoldsKey(string field, string value) => _file.Use(db => db.GetCollection(Spectra).Query()
        .Where(BsonExpression.Create(field + " = @0", value))
        .Select(BsonExpression.Create(field))
        .Limit(1)
        .ToDocuments()
        .Any());

    /// <summary>Returns the spectrum stored under <paramref name="hash"/>, or null.</summary>
    public Spectrum? FindSpectrum(string hash)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        var doc = _file.Use(db => db.GetCollection(Spectra).FindById(hash));
        if (doc is null) return null;
        var n = doc["n"].AsInt32;
        var x = new double[n];
        var y = new double[n];
        Decompress(doc["data"].AsBinary, x, y);
        var metadata = new SpectrumMetadata
        {
            SampleName = doc["sample"].IsString ? doc["sample"].AsString : null,
            AcquiredUtc = doc["acquired"].IsInt64 ? DateTimeOffset.FromUnixTimeMilliseconds(doc["acquired"].AsInt64) : null,
        };
        return Spectrum.Create(x, y, Enum.Parse<XUnit>(doc["xUnit"].AsString), Enum.Parse<YKind>(doc["yKind"].AsString), metadata);
    }

    /// <summary>Stores a result payload (UTF-8 JSON) under its message id; an existing entry is replaced.</summary>
    internal void StoreResult(string id, byte[] json)
    {
        var doc = ResultDocument(id, json);
        _file.Use(db => db.GetCollection(Results).Upsert(doc));
    }

    private BsonDocument ResultDocument(string id, byte[] json)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(json);
        return new BsonDocument
        {
            ["_id"] = id,
            ["stored"] = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            ["json"] = json,
        };
    }

    /// <summary>Returns the result payload stored under <paramref name="id"/>, or null.</summary>
    internal byte[]? FindResult(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return _file.Use(db => db.GetCollection(Results).FindById(id))?["json"].AsBinary;
    }

    /// <summary>Largest page <see cref="ResultsAfter"/> and <see cref="ResultsBefore"/> return.</summary>
    public const int MaxResultPage = 1000;

    /// <summary>
    /// Up to <paramref name="limit"/> (at most <see cref="MaxResultPage"/>) result payloads stored after the cursor
    /// (<paramref name="storedUtc"/>, <paramref name="id"/>), oldest first; read through the index on the stored time.
    /// </summary>
    public IReadOnlyList<StoredResult> ResultsAfter(DateTimeOffset storedUtc, string? id, int limit) =>
        ResultPage(storedUtc.ToUnixTimeMilliseconds(), id, limit, newestFirst: false);

    /// <summary>
    /// Up to <paramref name="limit"/> (at most <see cref="MaxResultPage"/>) result payloads stored before the cursor
    /// (<paramref name="storedUtc"/>, <paramref name="id"/>), newest first; read through the index on the stored time.
    /// </summary>
    public IReadOnlyList<StoredResult> ResultsBefore(DateTimeOffset storedUtc, string? id, int limit) =>
        ResultPage(storedUtc.ToUnixTimeMilliseconds(), id, limit, newestFirst: true);

    // Several results of one commit share a millisecond, so the cursor is (stored, id) and the results of a millisecond at
    // either end of the page are read whole and ordered by id; the rest come through the index up to the page size.
    private List<StoredResult> ResultPage(long stored, string? id, int limit, bool newestFirst)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        limit = Math.Min(limit, MaxResultPage);
        return _file.Use(db =>
        {
            var results = db.GetCollection(Results);
            var ties = id is null ? [] : results.Find(Query.EQ("stored", stored)).ToList();
            var beyond = results.Query()
                .Where(newestFirst ? Query.LT("stored", stored) : Query.GT("stored", stored))
                .OrderBy("stored", newestFirst ? Query.Descending : Query.Ascending)
                .Limit(limit)
                .ToList();
            // The limit may have cut the last millisecond short, in index order rather than id order: read it whole.
            if (beyond.Count == limit)
            {
                var last = beyond[^1]["stored"];
                beyond = [.. beyond.Where(d => d["stored"] != last), .. results.Find(Query.EQ("stored", last))];
            }
            var page = ties.Where(d => newestFirst ? string.CompareOrdinal(d["_id"].AsString, id) < 0 : string.CompareOrdinal(d["_id"].AsString, id) > 0)
                .Concat(beyond)
                .Select(d => new StoredResult(d["_id"].AsString, DateTimeOffset.FromUnixTimeMilliseconds(d["stored"].AsInt64), d["json"].AsBinary));
            page = newestFirst
                ? page.OrderByDescending(r => r.StoredUtc).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                : page.OrderBy(r => r.StoredUtc).ThenBy(r => r.Id, StringComparer.Ordinal);
            return page.Take(limit).ToList();
        });
    }

    /// <summary>
    /// Deletes spectra and results older than <paramref name="maxAge"/>, then, while the file is larger than
    /// <paramref name="maxSizeBytes"/>, the oldest tenth of them and compacts the file. The outbox is never pruned.
    /// </summary>
    public RetentionResult ApplyRetention(TimeSpan maxAge, long maxSizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxAge, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSizeBytes);
        var cutoff = (_time.GetUtcNow() - maxAge).ToUnixTimeMilliseconds();
        var expired = _file.Use(db => db.GetCollection(Spectra).DeleteMany(Query.LT("stored", cutoff)) + db.GetCollection(Results).DeleteMany(Query.LT("stored", cutoff)));
        var evicted = 0;
        var compacted = false;
        if (expired > 0) _file.Use(db => db.Checkpoint());
        while (SizeBytes > maxSizeBytes && (SpectrumCount > 0 || ResultCount > 0))
        {
            evicted += _file.Use(db => DeleteOldestTenth(db.GetCollection(Spectra)) + DeleteOldestTenth(db.GetCollection(Results)));
            _file.Use(db => db.Rebuild());
            compacted = true;
        }
        // The pass read index pages across whole collections; let LiteDB's page cache go with them.
        _file.Recycle();
        return new RetentionResult(expired, evicted, compacted, SizeBytes);
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose() => _file.Dispose();

    private static int DeleteOldestTenth(ILiteCollection<BsonDocument> collection)
    {
        var count = collection.Count();
        if (count == 0) return 0;
        var take = Math.Max(1, count / 10);
        var ids = collection.Find(Query.All("stored", Query.Ascending), limit: take).Select(d => d["_id"]).ToList();
        var deleted = 0;
        foreach (var id in ids)
            if (collection.Delete(id)) deleted++;
        return deleted;
    }

    private static byte[] Compress(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        using var buffer = new MemoryStream();
        using (var brotli = new BrotliStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            brotli.Write(MemoryMarshal.AsBytes(x));
            brotli.Write(MemoryMarshal.AsBytes(y));
        }
        return buffer.ToArray();
    }

    private static void Decompress(byte[] data, double[] x, double[] y)
    {
        using var brotli = new BrotliStream(new MemoryStream(data), CompressionMode.Decompress);
        brotli.ReadExactly(MemoryMarshal.AsBytes(x.AsSpan()));
        brotli.ReadExactly(MemoryMarshal.AsBytes(y.AsSpan()));
    }

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}

/// <summary>A result to cache with the spectrum it was made from.</summary>
/// <param name="Id">Result message id.</param>
/// <param name="Json">Result payload (UTF-8 JSON).</param>
/// <param name="SpectrumHash">Hash the spectrum is stored under.</param>
/// <param name="Spectrum">The spectrum.</param>
/// <param name="CaptureHash">SHA-256 of the bytes the spectrum was read from, found again by <see cref="AgentCache.HoldsCapture"/>; empty when unknown.</param>
public sealed record CachedResult(string Id, byte[] Json, string SpectrumHash, Spectrum Spectrum, string CaptureHash = "");

/// <summary>A cached result payload with the time it was stored.</summary>
/// <param name="Id">Result message id.</param>
/// <param name="StoredUtc">When it was stored (millisecond precision); the paging cursor with <paramref name="Id"/>.</param>
/// <param name="Json">Result payload (UTF-8 JSON).</param>
public sealed record StoredResult(string Id, DateTimeOffset StoredUtc, byte[] Json);

/// <summary>What one retention pass removed.</summary>
/// <param name="Expired">Entries deleted for being older than the maximum age.</param>
/// <param name="Evicted">Entries deleted to bring the file under the size limit.</param>
/// <param name="Compacted">Whether the file was rebuilt to return space to the file system.</param>
/// <param name="SizeBytes">Size of the cache after the pass.</param>
public sealed record RetentionResult(int Expired, int Evicted, bool Compacted, long SizeBytes);
