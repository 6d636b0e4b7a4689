using System.Runtime.ExceptionServices;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace MidirEdge.Agent.Cache;

/// <summary>
/// The open LiteDB file behind the cache, reopened when an operation fails and, from time to time, to let go of memory.
/// </summary>
/// <remarks>
/// After an I/O error (a full disk, a file-size limit, a vanished network drive) LiteDB 5 leaves its engine closed or
/// unable to write for good; a fresh instance recovers from the log and works once the cause is gone, so the agent heals
/// without a restart. LiteDB 5's page cache has no limit and is only released when the database is disposed (LiteDB
/// issue 2813), so a file kept open for months would hold every page it ever touched: the file is reopened after
/// <see cref="TransactionsPerOpen"/> transactions and on <see cref="Recycle"/>.
/// </remarks>
internal sealed partial class CacheFile : IDisposable
{
    /// <summary>Transactions after which the file is reopened to release LiteDB's page cache (a few MB of pages).</summary>
    public const int TransactionsPerOpen = 1000;

    private readonly ILogger _logger;
    // Operations share the open instance; a reopen waits for them to finish and holds them off meanwhile.
    private readonly ReaderWriterLockSlim _gate = new();
    private LiteDatabase _db;
    private int _transactions;
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
        LiteDatabase db;
        Exception failure;
        _gate.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            db = _db;
            try
            {
                return operation(db);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }
        finally
        {
            _gate.ExitReadLock();
        }
        Reopen(db, failure);
        _gate.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return operation(_db);
        }
        finally
        {
            _gate.ExitReadLock();
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
    public void UseTransaction(Action<LiteDatabase> operation, bool durable = false)
    {
        Use(db =>
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
        if (Interlocked.Increment(ref _transactions) % TransactionsPerOpen == 0) Recycle();
    }

    /// <summary>Closes and reopens the file, releasing LiteDB's page cache; operations wait meanwhile.</summary>
    public void Recycle()
    {
        _gate.EnterWriteLock();
        try
        {
            if (_disposed) return;
            _db.Dispose();
            _db = Open(Path);
            LogRecycled(Path);
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        _gate.EnterWriteLock();
        try
        {
            if (_disposed) return;
            _disposed = true;
            _db.Dispose();
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    private void Reopen(LiteDatabase failed, Exception cause)
    {
        _gate.EnterWriteLock();
        try
        {
            // Disposed meanwhile: the cause is the answer. Reopened by another thread meanwhile: nothing to do.
            if (_disposed) ExceptionDispatchInfo.Throw(cause);
            if (!ReferenceEquals(_db, failed)) return;
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
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    private static LiteDatabase Open(string path) => new(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache file {Path} failed ({Reason}); reopened it and retried")]
    private partial void LogReopened(Exception exception, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cache file {Path} failed ({Reason}) and could not be reopened; retrying with the next operation")]
    private partial void LogReopenFailed(Exception exception, string path, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing the failed cache file {Path} threw")]
    private partial void LogCloseFailed(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cache file {Path} reopened to release its page cache")]
    private partial void LogRecycled(string path);
}
