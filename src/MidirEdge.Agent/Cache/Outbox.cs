using System.Threading.Channels;
using LiteDB;

namespace MidirEdge.Agent.Cache;

/// <summary>
/// Durable first-in-first-out queue of messages awaiting delivery, stored in the cache file.
/// A message is committed to disk before <c>Enqueue</c> returns and leaves only through <see cref="Remove"/>.
/// </summary>
public sealed class Outbox
{
    private const string Messages = "outbox";

    private readonly CacheFile _file;
    private readonly TimeProvider _time;
    private readonly Lock _enqueueLock = new();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private long _lastSequence;

    internal Outbox(CacheFile file, TimeProvider time)
    {
        _file = file;
        _time = time;
        var last = _file.Use(db => db.GetCollection(Messages).Find(Query.All("_id", Query.Descending), limit: 1).FirstOrDefault());
        _lastSequence = last is null ? 0 : last["_id"].AsInt64;
    }

    /// <summary>Number of messages waiting.</summary>
    public int Depth => _file.Use(db => db.GetCollection(Messages).Count());

    /// <summary>Appends a message durably and returns its sequence number.</summary>
    public long Enqueue(string topic, byte[] payload, bool retain = false) => Enqueue([new OutgoingMessage(topic, payload, retain)]);

    /// <summary>
    /// Appends messages, in order, durably and in one commit (all or none); returns the sequence number of the last.
    /// One commit for many is what lets a backlog of captures go through at disk speed rather than one flush each.
    /// </summary>
    public long Enqueue(IReadOnlyList<OutgoingMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0) throw new ArgumentException("no messages to enqueue.", nameof(messages));
        foreach (var m in messages)
        {
            ArgumentException.ThrowIfNullOrEmpty(m.Topic, nameof(messages));
            ArgumentNullException.ThrowIfNull(m.Payload, nameof(messages));
        }
        long last;
        lock (_enqueueLock)
        {
            var enqueued = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var documents = new BsonDocument[messages.Count];
            for (var i = 0; i < documents.Length; i++)
            {
                documents[i] = new BsonDocument
                {
                    ["_id"] = _lastSequence + 1 + i,
                    ["topic"] = messages[i].Topic,
                    ["payload"] = messages[i].Payload,
                    ["retain"] = messages[i].Retain,
                    ["enqueued"] = enqueued,
                };
            }
            // Upserts, so a retry after a reopen that recovered the first attempt stores them once.
            _file.UseTransaction(db =>
            {
                var collection = db.GetCollection(Messages);
                foreach (var document in documents) collection.Upsert(document);
            }, durable: true);
            last = _lastSequence + documents.Length;
            _lastSequence = last;
        }
        _signal.Writer.TryWrite(true);
        return last;
    }

    /// <summary>Returns up to <paramref name="count"/> of the oldest messages, oldest first, without removing them.</summary>
    public IReadOnlyList<OutboxMessage> PeekOldest(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var result = new List<OutboxMessage>(Math.Min(count, 256));
        _file.Use(db =>
        {
            result.Clear();
            foreach (var doc in db.GetCollection(Messages).Find(Query.All("_id", Query.Ascending), limit: count))
            {
                result.Add(new OutboxMessage(
                    doc["_id"].AsInt64,
                    doc["topic"].AsString,
                    doc["payload"].AsBinary,
                    doc["retain"].AsBoolean,
                    DateTimeOffset.FromUnixTimeMilliseconds(doc["enqueued"].AsInt64)));
            }
        });
        return result;
    }

    /// <summary>Removes an acknowledged message; returns false if it was not in the outbox.</summary>
    public bool Remove(long sequence) => _file.Use(db => db.GetCollection(Messages).Delete(sequence));

    /// <summary>Completes when the outbox holds at least one message.</summary>
    public async ValueTask WaitForMessagesAsync(CancellationToken cancellationToken)
    {
        while (Depth == 0)
            await _signal.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }
}
