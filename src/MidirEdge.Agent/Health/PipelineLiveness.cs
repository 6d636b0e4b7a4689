using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Health;

/// <summary>
/// Whether the agent is alive, as <c>/livez</c> and the systemd watchdog judge it: the pipeline's loop has not failed,
/// and nothing it works on (a capture being prepared, a batch being committed) has taken longer than
/// <see cref="HealthOptions.MaxStall"/>, which would mean it hangs. The pipeline reports into it; waiting for work or
/// for disk space is not work, and before the pipeline starts the agent counts as alive.
/// </summary>
public sealed class PipelineLiveness
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxStall;
    private readonly ConcurrentDictionary<long, Work> _busy = new();
    private long _next;
    private volatile string? _failure;

    /// <summary>Creates the liveness state with the stall limit from <c>MidirEdge:Health:MaxStall</c>.</summary>
    public PipelineLiveness(IOptions<HealthOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxStall = options.Value.MaxStall;
        _time = time;
    }

    /// <summary>Marks the start of <paramref name="what"/> (e.g. <c>preparing FILE</c>); disposing the result marks its end.</summary>
    public IDisposable Busy(string what)
    {
        var id = Interlocked.Increment(ref _next);
        _busy[id] = new Work(what, _time.GetUtcNow());
        return new Done(this, id);
    }

    /// <summary>Records that the pipeline's loop ended while the agent was not stopping; the agent is not alive from then on.</summary>
    public void Failed(string reason) => _failure = reason;

    /// <summary>Why the agent is not alive (the pipeline failed, or hangs on one piece of work); null while it is.</summary>
    public string? Problem
    {
        get
        {
            if (_failure is { } failure) return "pipeline: stopped: " + failure;
            var now = _time.GetUtcNow();
            foreach (var work in _busy.Values)
            {
                var busy = now - work.Since;
                if (busy > _maxStall)
                    return string.Create(CultureInfo.InvariantCulture,
                        $"pipeline: {work.What} for {busy.TotalSeconds:0} s, longer than MidirEdge:Health:MaxStall ({_maxStall.TotalSeconds:0} s); it hangs");
            }
            return null;
        }
    }

    private sealed record Work(string What, DateTimeOffset Since);

    private sealed class Done(PipelineLiveness owner, long id) : IDisposable
    {
        public void Dispose() => owner._busy.TryRemove(id, out _);
    }
}
