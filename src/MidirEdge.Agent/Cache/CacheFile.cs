using LiteDB;
using Microsoft.Extensions.Logging;

namespace MidirEdge.Agent.Cache;

/// <summary>
/// The open LiteDB file behind the cache, reopened when an operation fails. After an I/O error (a full disk, a
/// file-size limit, a vanished network drive) LiteDB leaves its engine closed or unable to write for good; a fresh
/// instance recovers from the log and works again once the cause is gone, so the agent heals without a restart.
/// </summary>
internal sealed partial class CacheFile : IDisposable
{
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private LiteDatabase _db;
    private bool _disposed;

    public CacheFile(string path, ILogger logger)
    {
        Path = path;
        _logger = logger;
        _db = Open(path);
    }

    /// <summary>Full path of the data file.</summary>
    public string Path { get; }

    /// <summary>
    /// Runs <paramref name="operation"/>; if it throws, reopens the file and runs it once more, so operations must be
    /// safe to repeat (upserts, deletes, reads). A second failure is thrown to the caller.
    /// </summary>
    public T Use<T>(Func<LiteDatabase, T> operation)
    {
        var db = Volatile.Read(ref _db);
        try
        {
            return operation(db);
        }
        catch (Exception ex) when (!Volatile.Read(ref _disposed))
        {
            return operation(Reopen(db, ex));
        }
    }

    /// <summary>As <see cref="Use{T}"/> for operations without a result.</summary>
    public void Use(Action<LiteDatabase> operation) => Use(db =>
    {
        operation(db);
        return true;
    });

    /// <summary>
    /// As <see cref="Use(Action{LiteDatabase})"/>, inside one transaction: every write of <paramref name="operation"/> or
    /// none. With <paramref name="durable"/>, returns only once the writes are in the data file.
    /// </summary>
    public void UseTransaction(Action<LiteDatabase> operation, bool durable = false) => Use(db =>
    {
        db.BeginTrans();
        try
        {
            operation(db);
            db.Commit();
            // LiteDB 5 writes its log on a background thread; a checkpoint waits for that write and moves the
            // pages into the data file, so what was committed survives kill -9.
            if (durable) db.Checkpoint();
        }
        catch
        {
            try
            {
                db.Rollback();
            }
            catch (Exception ex)
            {
                // A broken engine cannot roll back; the reopen that follows discards the transaction anyway.
                LogCloseFailed(ex, Path);
            }
            throw;
        }
    });

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _db.Dispose();
        }
    }

    private LiteDatabase Reopen(LiteDatabase failed, Exception cause)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Another thread may have reopened it while this one waited.
            if (!ReferenceEquals(_db, failed)) return _db;
            try
            {
                failed.Dispose();
            }
            catch (Exception ex)
            {
                LogCloseFailed(ex, Path);
            }
            try
            {
                _db = Open(Path);
            }
            catch (Exception ex)
            {
                // The failed instance stays in place: the next operation fails fast and tries again.
                LogReopenFailed(ex, Path, cause.Message);
                throw;
            }
            LogReopened(cause, Path, cause.Message);
            return _db;
        }
    }

    private static LiteDatabase Open(string path) => new(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache file {Path} failed ({Reason}); reopened it and retried")]
    private partial void LogReopened(Exception exception, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cache file {Path} failed ({Reason}) and could not be reopened; retrying with the next operation")]
    private partial void LogReopenFailed(Exception exception, string path, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing the failed cache file {Path} threw")]
    private partial void LogCloseFailed(Exception exception, string path);
}
