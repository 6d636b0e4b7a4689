using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Health;

namespace MidirEdge.Agent.Pipeline;

/// <summary>Runs every adapter into one bounded channel and processes captures in arrival order.</summary>
/// <remarks>One consumer keeps results in capture order; a full channel makes adapters wait instead of growing memory.</remarks>
public sealed partial class PipelineService(
    IEnumerable<ICaptureAdapter> adapters,
    Channel<Capture> channel,
    SpectrumProcessor processor,
    AgentMetrics metrics,
    ILogger<PipelineService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Each adapter on its own task: one that blocks on a port read must not hold up the others or the consumer.
        var running = adapters.Select(adapter => Task.Run(() => RunAdapterAsync(adapter, stoppingToken), CancellationToken.None)).ToArray();
        try
        {
            await foreach (var capture in channel.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                await ProcessAsync(capture).ConfigureAwait(false);
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
            await ProcessAsync(capture).ConfigureAwait(false);
            drained++;
        }
        if (drained > 0) LogDrained(drained);
    }

    private async Task ProcessAsync(Capture capture)
    {
        metrics.Queued(channel.Reader.Count);
        try
        {
            // Finish what was captured even when stopping: the host waits for in-flight work.
            await processor.ProcessAsync(capture, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, capture.Source);
            metrics.SpectrumFailed(SpectrumFailure.Delivery);
        }
    }

    private async Task RunAdapterAsync(ICaptureAdapter adapter, CancellationToken stoppingToken)
    {
        try
        {
            LogAdapterStarted(adapter.Name);
            await adapter.RunAsync(channel.Writer, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogAdapterFailed(ex, adapter.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing {Source} failed; it stays where it is and is retried on the next scan")]
    private partial void LogFailed(Exception exception, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finished {Count} capture(s) still queued when the agent was asked to stop")]
    private partial void LogDrained(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Adapter {Adapter} started")]
    private partial void LogAdapterStarted(string adapter);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Adapter {Adapter} stopped with an error")]
    private partial void LogAdapterFailed(Exception exception, string adapter);
}
