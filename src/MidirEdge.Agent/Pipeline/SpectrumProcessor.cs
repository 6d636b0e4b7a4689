using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Capturing;
using MidirEdge.Agent.Dashboard;
using MidirEdge.Agent.Delivery;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Qc;
using MidirEdge.Models.Prediction;
using MidirEdge.Models.Store;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats;

namespace MidirEdge.Agent.Pipeline;

/// <summary>
/// Captures through the pipeline in two steps: <see cref="PrepareAsync"/> reads, de-duplicates, checks and predicts one
/// capture; <see cref="CommitAsync"/> stores and enqueues a batch of prepared results for publishing, then tells each
/// adapter the outcome (archive, quarantine, or try again later).
/// </summary>
public sealed partial class SpectrumProcessor(
    ModelStore models,
    SpectrumQc qc,
    AgentCache cache,
    ResultDelivery delivery,
    AgentMetrics metrics,
    LiveFeed feed,
    TimeProvider time,
    ILogger<SpectrumProcessor> logger)
{
    // Hashes prepared but not committed yet: a second capture of the same spectrum meanwhile is a duplicate too.
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads, de-duplicates, checks and predicts one capture. Returns the result to commit, or null when the capture was
    /// already finished here (unreadable or failing quality control: rejected; a duplicate: archived).
    /// </summary>
    public async Task<PreparedResult?> PrepareAsync(Capture capture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var started = Stopwatch.GetTimestamp();
        // File names and anything quoting file bytes reach logs, .error.txt and payloads only in their one-line form.
        var source = OneLine.Of(capture.Source);
        if (capture.Failure is { } failure)
        {
            LogUnreadable(source, OneLine.Of(failure));
            await RejectAsync(capture, Rejection(capture, RejectionKind.Unreadable, failure), cancellationToken).ConfigureAwait(false);
            return null;
        }
        // The same bytes were read and committed before (a file left in the inbox by a crash, copied in twice): done, unread.
        if (capture.ContentHash.Length > 0 && cache.HoldsCapture(capture.ContentHash))
        {
            LogDuplicateCapture(source, capture.ContentHash);
            await capture.Completion.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        using var lease = models.Acquire();
        Spectrum spectrum;
        try
        {
            spectrum = capture.Spectrum ?? SpectrumChoice.For(lease.Bundles, SpectrumFile.Read(capture.Content.Span, capture.Source));
        }
        catch (SpectrumFormatException ex)
        {
            LogUnreadable(source, OneLine.Of(ex.Message));
            await RejectAsync(capture, Rejection(capture, RejectionKind.Unreadable, ex.Message), cancellationToken).ConfigureAwait(false);
            return null;
        }

        var hash = SpectrumHash.Compute(spectrum);
        if (_pending.ContainsKey(hash) || cache.HoldsSpectrum(hash))
        {
            LogDuplicate(source, hash);
            await capture.Completion.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        var stage = Stopwatch.GetTimestamp();
        metrics.StageCompleted(PipelineStage.Read, Stopwatch.GetElapsedTime(started, stage));
        LogRead(source, hash, spectrum.Length);

        // Converted to wavenumbers once, for every check and every bundle.
        var input = new InputSpectrum(spectrum);
        var verdict = qc.Check(input, lease.Bundles);
        stage = Completed(PipelineStage.Qc, stage);
        LogChecked(hash, verdict.Level);
        var summary = verdict.ToSummary();
        var sample = OneLine.Of(spectrum.Metadata.SampleName ?? Path.GetFileNameWithoutExtension(capture.Source), 200);
        if (!verdict.CanPredict)
        {
            var reason = "quality control failed: " + Describe([.. verdict.Flagged.Where(c => c.Level == QcLevel.Fail)]);
            LogRejected(source, hash, OneLine.Of(reason));
            await RejectAsync(capture, Rejection(capture, RejectionKind.Qc, reason) with { QcFlags = summary.Flags, SpectrumHash = hash, SampleName = sample },
                cancellationToken).ConfigureAwait(false);
            return null;
        }

        var predictions = new List<Prediction>();
        foreach (var bundle in lease.Bundles)
        {
            if (!verdict.CanRun(bundle.Id)) continue;
            try
            {
                foreach (var p in bundle.Predict(input))
                    predictions.Add(Prediction.From(p, bundle));
                LogPredicted(hash, bundle.Id);
            }
            catch (InputContractException ex)
            {
                LogModelRefused(source, bundle.Id, OneLine.Of(ex.Reason));
                metrics.SpectrumFailed(SpectrumFailure.Prediction);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !Failures.IsTransient(ex))
            {
                // Preprocessing, features or the model failed on this spectrum's data: it would fail the same way on
                // every try, so it is quarantined with the reason rather than captured again.
                var reason = $"model {bundle.Id} failed on the spectrum: {ex.Message}";
                LogModelFailed(source, hash, bundle.Id, ex.GetType().Name, OneLine.Of(ex.Message));
                await RejectAsync(capture, Rejection(capture, RejectionKind.Prediction, reason) with { QcFlags = summary.Flags, SpectrumHash = hash, SampleName = sample },
                    cancellationToken).ConfigureAwait(false);
                return null;
            }
        }

        Completed(PipelineStage.Predict, stage);

        var result = new SpectrumResult
        {
            Id = SpectrumResult.CreateId(hash, predictions),
            SpectrumHash = hash,
            CaptureHash = capture.ContentHash,
            SampleName = sample,
            AcquiredUtc = spectrum.Metadata.AcquiredUtc,
            Qc = summary,
            Predictions = predictions,
            ProcessedUtc = time.GetUtcNow(),
            ProcessingMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
        _pending.TryAdd(hash, 0);
        return new PreparedResult(capture, result, spectrum);
    }

    /// <summary>
    /// Stores the results and enqueues them for publishing, in order, in one commit; then archives each capture. If the
    /// commit fails none is stored, and each capture is left to be captured again later.
    /// </summary>
    public async Task CommitAsync(IReadOnlyList<PreparedResult> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<byte[]> payloads;
        try
        {
            payloads = delivery.Submit([.. batch.Select(p => (p.Result, p.Spectrum))]);
        }
        catch (Exception ex)
        {
            foreach (var prepared in batch)
            {
                LogNotStored(ex, OneLine.Of(prepared.Capture.Source), prepared.Result.Id);
                metrics.SpectrumFailed(SpectrumFailure.Delivery);
                await prepared.Capture.Completion.RetryLaterAsync("the result could not be stored: " + ex.Message, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        finally
        {
            foreach (var prepared in batch) _pending.TryRemove(prepared.Result.SpectrumHash, out _);
        }

        var perSpectrum = Stopwatch.GetElapsedTime(started) / batch.Count;
        for (var i = 0; i < batch.Count; i++)
        {
            var (capture, result, _) = batch[i];
            metrics.StageCompleted(PipelineStage.Store, perSpectrum);
            metrics.SpectrumProcessed(result);
            feed.Published(payloads[i]);
            LogProcessed(OneLine.Of(capture.Source), result.SampleName, ResultText.Values(result.Predictions, result.Qc), result.Id, result.ProcessingMs);
            await capture.Completion.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Rejects a capture that gives no result because of its own data (<paramref name="kind"/>, <paramref name="reason"/>):
    /// publishes it as rejected, then has the adapter quarantine it. The pipeline calls this for failures it did not expect.
    /// </summary>
    public Task RejectAsync(Capture capture, RejectionKind kind, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(capture);
        return RejectAsync(capture, Rejection(capture, kind, reason), cancellationToken);
    }

    /// <summary>
    /// The rejected message goes to the outbox before the adapter lets the capture go (quarantines the file), so no
    /// rejection is lost once the capture is; when the outbox cannot be written the capture is left to be captured again.
    /// </summary>
    private async Task RejectAsync(Capture capture, RejectedCapture rejection, CancellationToken cancellationToken)
    {
        try
        {
            delivery.Reject(rejection);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRejectionNotStored(ex, rejection.Source);
            metrics.SpectrumFailed(SpectrumFailure.Delivery);
            await capture.Completion.RetryLaterAsync("the rejection could not be stored: " + ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        metrics.SpectrumFailed(rejection.Kind switch
        {
            RejectionKind.Unreadable => SpectrumFailure.Unreadable,
            RejectionKind.Qc => SpectrumFailure.Qc,
            _ => SpectrumFailure.Prediction,
        });
        feed.Rejected(capture.Source, rejection.Reason);
        await capture.Completion.FailAsync(rejection.Reason, cancellationToken).ConfigureAwait(false);
    }

    private RejectedCapture Rejection(Capture capture, RejectionKind kind, string reason) => new()
    {
        Adapter = capture.Adapter,
        Source = OneLine.Of(capture.Source),
        Kind = kind,
        Reason = OneLine.Of(reason),
        RejectedUtc = time.GetUtcNow(),
    };

    private long Completed(PipelineStage stage, long since)
    {
        var now = Stopwatch.GetTimestamp();
        metrics.StageCompleted(stage, Stopwatch.GetElapsedTime(since, now));
        return now;
    }

    // One coverage failure per model says the same thing; name the first and count the rest.
    private static string Describe(QcCheck[] failures)
    {
        var coverage = failures.Where(c => c.Kind == QcCheckKind.Coverage).ToArray();
        var parts = failures.Except(coverage).Select(c => c.Message).ToList();
        if (coverage.Length == 1) parts.Add(coverage[0].Message);
        else if (coverage.Length > 1) parts.Add($"none of the {coverage.Length} models can run: {coverage[0].Message} (and {coverage.Length - 1} more alike)");
        return string.Join("; ", parts);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} is unreadable and is rejected: {Reason}")]
    private partial void LogUnreadable(string source, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: spectrum {Hash} was processed before; not published again")]
    private partial void LogDuplicate(string source, string hash);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: the same bytes (sha256 {Hash}) were processed before; not read or published again")]
    private partial void LogDuplicateCapture(string source, string hash);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Source}: read as spectrum {Hash} ({Points} points)")]
    private partial void LogRead(string source, string hash, int points);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Spectrum {Hash}: quality control {Verdict}")]
    private partial void LogChecked(string hash, QcLevel verdict);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Spectrum {Hash}: model {Model} predicted")]
    private partial void LogPredicted(string hash, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: spectrum {Hash} rejected: {Reason}")]
    private partial void LogRejected(string source, string hash, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: model {Model} refused the spectrum: {Reason}")]
    private partial void LogModelRefused(string source, string model, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: model {Model} failed on spectrum {Hash} ({Type}: {Reason}); it goes to quarantine")]
    private partial void LogModelFailed(string source, string hash, string model, string type, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Source}: result {Id} could not be stored; the capture is tried again later")]
    private partial void LogNotStored(Exception exception, string source, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Source}: the rejection could not be stored; the capture is tried again later")]
    private partial void LogRejectionNotStored(Exception exception, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: {Sample}: {Values} (result {Id}, {Milliseconds:0.0} ms)")]
    private partial void LogProcessed(string source, string? sample, string values, string id, double milliseconds);
}

/// <summary>A capture that produced a result, waiting to be committed.</summary>
/// <param name="Capture">The capture, whose completion is called after the commit.</param>
/// <param name="Result">The result to publish.</param>
/// <param name="Spectrum">The spectrum it was made from, cached with it.</param>
public sealed record PreparedResult(Capture Capture, SpectrumResult Result, Spectrum Spectrum);
