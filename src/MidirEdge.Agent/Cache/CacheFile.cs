using System.Collections;
using System.Reflection;
using System.Runtime.ExceptionServices;
using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Resilience;
using Polly;

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

    private static readonly ResiliencePropertyKey<long> OpenedKey = new("midir.cache.opened");

    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    // Operations share the open instance; a reopen waits for them to finish and holds them off meanwhile.
    private readonly ReaderWriterLockSlim _gate = new();
    // Null after a failed reopen: the next operation opens the file again.
    private LiteEngine? _engine;
    private LiteDatabase? _db;
    // Counts the opens, so a failed operation can tell whether another thread has reopened the file meanwhile.
    private long _opened;
    private int _transactions;
    private bool _disposed;

    public CacheFile(string path, TimeProvider time, ILogger logger, AgentMetrics? metrics)
    {
        Path = path;
        _logger = logger;
        // One reopen and one more try, at once, and only for a failure of the file (I/O, LiteDB): an operation that
        // throws for its own input would throw again on any file.
        _retry = Backoff.Pipeline(new RetryPlan("cache", TimeSpan.Zero, TimeSpan.Zero, MaxRetries: 1), IsFileFailure, time, metrics, args =>
        {
            Reopen(args.Context.Properties.GetValue(OpenedKey, -1L), args.Outcome.Exception!);
            return ValueTask.CompletedTask;
        });
        (_engine, _db) = Open(path);
    }

    /// <summary>Full path of the data file.</summary>
    public string Path { get; }

    /// <summary>
    /// Runs <paramref name="operation"/>; if the file fails under it (<see cref="IsFileFailure"/>), reopens the file
    /// and runs it once more, so operations must be safe to repeat (upserts, deletes, reads). A second failure, or any
    /// other exception, is thrown to the caller.
    /// </summary>
    public T Use<T>(Func<LiteDatabase, T> operation)
    {
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            return _retry.Execute(static (context, state) => state.File.Run(context, state.Operation), context, (File: this, Operation: operation));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // A method of its own so that no frame still refers to the instance that failed when it is closed and collected.
    private T Run<T>(ResilienceContext context, Func<LiteDatabase, T> operation)
    {
        _gate.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Which open this try used, so the reopen can tell whether another thread has reopened the file meanwhile.
            context.Properties.Set(OpenedKey, _opened);
            return operation(_db ?? throw new IOException($"cache file {Path} is not open (the last reopen failed)"));
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
            }
            catch (Exception ex) when (!IsFileFailure(ex))
            {
                // The operation itself threw (bad input): the engine is sound, so roll its writes back.
                db.Rollback();
                throw;
            }
            // No rollback after an I/O failure: LiteDB 5 then asserts on discarding pages its failed write left
            // behind ("discarded page must be writable"), which breaks the engine so that it can no longer close and
            // throws again from its finalizer. The reopen that follows every failure drops the transaction instead.
            // LiteDB 5 writes its log on a background thread; a checkpoint waits for that write and moves the
            // pages into the data file, so what was committed survives kill -9.
            if (durable) db.Checkpoint();
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
            Close();
            (_engine, _db) = Open(Path);
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
            Close();
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    /// <summary>
    /// Whether an exception is a failure of the file, which a fresh instance can get past, rather than of the operation's
    /// input: those of <see cref="Failures.IsTransient"/>, and <see cref="ObjectDisposedException"/>, which LiteDB 5.0.21
    /// threw once in CI from a stream of its own pool found closed by a checkpoint on one thread while two others wrote
    /// and read. (This instance's own disposal throws it too; the reopen then rethrows it.)
    /// </summary>
    private static bool IsFileFailure(Exception exception) => Failures.IsTransient(exception) || exception is ObjectDisposedException;

    private void Reopen(long failed, Exception cause)
    {
        _gate.EnterWriteLock();
        try
        {
            // Disposed meanwhile: the cause is the answer. Reopened by another thread meanwhile: nothing to do.
            if (_disposed) ExceptionDispatchInfo.Throw(cause);
            if (_opened != failed) return;
            Close();
            try
            {
                (_engine, _db) = Open(Path);
            }
            catch (Exception ex)
            {
                // Nothing is open now: the next operation tries again.
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

    private (LiteEngine Engine, LiteDatabase Database) Open(string path)
    {
        _opened++;
        // The engine is made here, not by LiteDatabase, so that a failed close can be dealt with below.
        var engine = new LiteEngine(new EngineSettings { Filename = path });
        return (engine, new LiteDatabase(engine));
    }

    /// <summary>
    /// Disposes the open instance. After an I/O error LiteDB 5 can leave the transaction whose write failed open, holding
    /// its collection lock (the next writer on another thread waited out the 60 s lock timeout) and unable to roll back:
    /// its finalizer later rolls back on the finalizer thread, fails the same assertion ("discarded page must be
    /// writable") and ends the process. So the open transactions are taken before the close and their finalizers
    /// cancelled after it (harmless for those the close disposed).
    /// </summary>
    private void Close()
    {
        if (_db is null) return;
        var open = OpenTransactions(_engine!);
        try
        {
            _db.Dispose();
        }
        catch (Exception ex)
        {
            LogCloseFailed(ex, Path);
        }
        foreach (var transaction in open) GC.SuppressFinalize(transaction);
        _db = null;
        _engine = null;
    }

    /// <summary>
    /// The engine's open transactions (LiteDB 5.0.x keeps them in <c>LiteEngine._monitor._transactions</c>; there is no
    /// public handle on them). Empty if a LiteDB version lays them out differently.
    /// </summary>
    private static object[] OpenTransactions(LiteEngine engine)
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var monitor = typeof(LiteEngine).GetField("_monitor", Private)?.GetValue(engine);
        var table = monitor?.GetType().GetField("_transactions", Private)?.GetValue(monitor) as IDictionary;
        return table is null ? [] : [.. table.Values.Cast<object>()];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache file {Path} failed ({Reason}); reopened it and retried")]
    private partial void LogReopened(Exception exception, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cache file {Path} failed ({Reason}) and could not be reopened; retrying with the next operation")]
    private partial void LogReopenFailed(Exception exception, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the cache file {Path} failed")]
    private partial void LogCloseFailed(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cache file {Path} reopened to release its page cache")]
    private partial void LogRecycled(string path);
}
