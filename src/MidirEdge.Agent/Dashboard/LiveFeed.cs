using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace MidirEdge.Agent.Dashboard;

/// <summary>
/// Broadcasts what the pipeline finishes (each committed result, each rejected capture) to the dashboard's live
/// subscribers, and remembers the last <see cref="RejectionsKept"/> rejections, which the agent records nowhere else.
/// </summary>
public sealed class LiveFeed(TimeProvider time)
{
    /// <summary>How many rejected captures are kept in memory for the dashboard (lost on restart).</summary>
    public const int RejectionsKept = 100;

    // A subscriber that does not keep up loses its oldest events rather than holding up the pipeline.
    private const int SubscriberBuffer = 256;

    private readonly Lock _lock = new();
    private readonly Queue<Rejection> _rejections = new();
    private readonly List<ChannelWriter<FeedEvent>> _subscribers = [];

    /// <summary>The last rejected captures, newest first.</summary>
    public IReadOnlyList<Rejection> Rejections
    {
        get { lock (_lock) return [.. _rejections.Reverse()]; }
    }

    /// <summary>Announces a result that was stored and enqueued for publishing, by its payload.</summary>
    public void Published(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!HasSubscribers) return;
        Broadcast(new FeedEvent(FeedEvent.ResultKind, Encoding.UTF8.GetString(payload)));
    }

    /// <summary>Records and announces a capture that was rejected (unreadable or failed quality control) and why.</summary>
    public void Rejected(string source, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var rejection = new Rejection(source, Path.GetFileName(source), reason, time.GetUtcNow());
        lock (_lock)
        {
            _rejections.Enqueue(rejection);
            while (_rejections.Count > RejectionsKept) _rejections.Dequeue();
        }
        Broadcast(new FeedEvent(FeedEvent.RejectedKind, JsonSerializer.Serialize(rejection, DashboardJson.Default.Rejection)));
    }

    /// <summary>The events from now until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async IAsyncEnumerable<FeedEvent> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(SubscriberBuffer)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_lock) _subscribers.Add(channel.Writer);
        try
        {
            while (true)
            {
                FeedEvent next;
                try
                {
                    next = await channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
                yield return next;
            }
        }
        finally
        {
            lock (_lock) _subscribers.Remove(channel.Writer);
        }
    }

    private bool HasSubscribers
    {
        get { lock (_lock) return _subscribers.Count > 0; }
    }

    private void Broadcast(FeedEvent feedEvent)
    {
        lock (_lock)
            foreach (var subscriber in _subscribers)
                subscriber.TryWrite(feedEvent);
    }
}

/// <summary>One live event: its kind (the SSE event name) and its JSON.</summary>
/// <param name="Kind"><see cref="ResultKind"/> or <see cref="RejectedKind"/>.</param>
/// <param name="Json">A result payload, or a <see cref="Rejection"/>.</param>
public sealed record FeedEvent(string Kind, string Json)
{
    /// <summary>A committed result; the JSON is the published result payload.</summary>
    public const string ResultKind = "result";

    /// <summary>A rejected capture; the JSON is a <see cref="Rejection"/>.</summary>
    public const string RejectedKind = "rejected";
}

/// <summary>A capture the pipeline rejected.</summary>
/// <param name="Source">File path or port name.</param>
/// <param name="Name">File name (or port name) alone.</param>
/// <param name="Reason">Why, as written to the quarantine note.</param>
/// <param name="TimeUtc">When it was rejected.</param>
public sealed record Rejection(string Source, string Name, string Reason, DateTimeOffset TimeUtc);
