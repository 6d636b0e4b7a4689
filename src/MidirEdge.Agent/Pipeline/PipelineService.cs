using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MidirEdge.Agent.Adapters;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Pipeline;

/// <summary>
/// Runs every adapter, supervised, into one bounded channel, prepares captures in arrival order (read, QC, predict) and commits the
/// prepared results in order (store, enqueue, archive).
/// </summary>
/// <remarks>
/// Each capture in preparation and each commit is reported to <see cref="PipelineLiveness"/>, so one that hangs, or the loop
/// failing, makes the agent not alive (<c>/livez</c>, the systemd watchdog).
/// One preparer and one committer keep results in capture order; they overlap, so while one spectrum is predicted the
/// results before it are written, and the committer takes whatever has queued up in one commit, which is what lets a
/// backlog go through at disk speed. Full channels make adapters wait instead of growing memory.
/// </remarks>
public sealed partial class PipelineService(
    AdapterSupervisor supervisor,
    Channel<Capture> channel,
    SpectrumProcessor processor,
    DiskFloor disk,
    PipelineLiveness liveness,
    AgentMetrics metrics,
    ILogger<PipelineService> logger) : BackgroundService
{
    // Results waiting for the committer, and the most one commit takes.
    private const int CommitQueue = 64;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
            if (!stoppingToken.IsCancellationRequested) liveness.Failed("the capture loop ended");
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            liveness.Failed(OneLine.Of($"{ex.GetType().Name}: {ex.Message}"));
            LogPipelineFailed(ex);
            throw;
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        // Each adapter on its own task: one that blocks on a port read must not hold up the others or the consumer.
        var running = supervisor.Adapters.Select(adapter => Task.Run(() => RunAdapterAsync(adapter, stoppingToken), CancellationToken.None)).ToArray();
        var prepared = Channel.CreateBounded<PreparedResult>(new BoundedChannelOptions(CommitQueue) { SingleReader = true, SingleWriter = true });
        var committing = Task.Run(() => CommitAsync(prepared.Reader), CancellationToken.None);
        try
        {
            try
            {
                await foreach (var capture in channel.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                {
                    await WaitForRoomAsync(stoppingToken).ConfigureAwait(false);
                    await PrepareAsync(capture, prepared.Writer).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            await Task.WhenAll(running).ConfigureAwait(false);

            // Stopping: the adapters have let go, so whatever they captured is finished rather than dropped
            // (a serial frame exists nowhere else).
            var drained = 0;
            while (channel.Reader.TryRead(out var capture))
            {
                await PrepareAsync(capture, prepared.Writer).ConfigureAwait(false);
                drained++;
            }
            if (drained > 0) LogDrained(drained);
        }
        finally
        {
            // The host waits for in-flight work: everything prepared is committed before the service stops.
            prepared.Writer.Complete();
            await committing.ConfigureAwait(false);
        }
    }

    // Below the disk floor no capture is taken: the one in hand waits, the channel fills and the adapters wait, so files
    // stay in the inbox. Stopping meanwhile, the capture is still prepared (and, with no room to store it, left to be
    // captured again).
    private async Task WaitForRoomAsync(CancellationToken stoppingToken)
    {
        try
        {
            await disk.WaitForRoomAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PrepareAsync(Capture capture, ChannelWriter<PreparedResult> output)
    {
        metrics.Queued(channel.Reader.Count);
        var result = await PrepareOneAsync(capture).ConfigureAwait(false);
        // Outside the liveness report: waiting here for the committer to make room is not work.
        if (result is not null) await output.WriteAsync(result, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<PreparedResult?> PrepareOneAsync(Capture capture)
    {
        using var busy = liveness.Busy("preparing " + OneLine.Of(capture.Source));
        try
        {
            // Finish what was captured even when stopping.
            return await processor.PrepareAsync(capture, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && Failures.IsTransient(ex))
        {
            LogFailed(ex, OneLine.Of(capture.Source));
            metrics.SpectrumFailed(SpectrumFailure.Delivery);
            await capture.Completion.RetryLaterAsync("processing failed: " + ex.Message, CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not I/O: it comes from the capture's own data and would recur on every try.
            LogQuarantined(OneLine.Of(capture.Source), ex.GetType().Name, OneLine.Of(ex.Message));
            await processor.RejectAsync(capture, RejectionKind.Prediction, $"processing failed ({ex.GetType().Name}): {ex.Message}", CancellationToken.None)
                .ConfigureAwait(false);
            return null;
        }
    }

    private async Task CommitAsync(ChannelReader<PreparedResult> input)
    {
        var batch = new List<PreparedResult>(CommitQueue);
        while (await input.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < CommitQueue && input.TryRead(out var result)) batch.Add(result);
            using var busy = liveness.Busy($"committing {batch.Count} result(s)");
            try
            {
                await processor.CommitAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A completion that failed after the commit; the results are stored and will be published.
                LogCompletionFailed(ex, batch.Count);
            }
        }
    }

    private async Task RunAdapterAsync(ICaptureAdapter adapter, CancellationToken stoppingToken)
    {
        try
        {
            LogAdapterStarted(adapter.Name);
            await supervisor.RunAsync(adapter, channel.Writer, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogAdapterFailed(ex, adapter.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The pipeline failed; the agent is not alive and stops")]
    private partial void LogPipelineFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing {Source} failed ({Type}: {Reason}); it is rejected")]
    private partial void LogQuarantined(string source, string type, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing {Source} failed; it is captured again later")]
    private partial void LogFailed(Exception exception, string source);

    [LoggerMessage(Level = LogLevel.Error, Message = "Finishing {Count} committed capture(s) failed")]
    private partial void LogCompletionFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finished {Count} capture(s) still queued when the agent was asked to stop")]
    private partial void LogDrained(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Adapter {Adapter} started")]
    private partial void LogAdapterStarted(string adapter);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Adapter {Adapter} stopped with an error")]
    private partial void LogAdapterFailed(Exception exception, string adapter);
}
