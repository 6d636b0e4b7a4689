using System.Threading.Channels;
using MidirEdge.Agent.Capturing;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>A capture adapter running over a small bounded channel until disposed, with guarded waits for tests.</summary>
internal sealed class AdapterRun : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private readonly Channel<Capture> _channel = Channel.CreateBounded<Capture>(4);
    private readonly CancellationTokenSource _stop = new();
    private Task _task = Task.CompletedTask;

    /// <summary>Starts <paramref name="adapter"/> on its own task.</summary>
    public static AdapterRun Start(ICaptureAdapter adapter)
    {
        var run = new AdapterRun();
        run._task = Task.Run(() => adapter.RunAsync(run._channel.Writer, run._stop.Token));
        return run;
    }

    /// <summary>The next capture; a fault of the adapter, or a timeout, when none comes.</summary>
    public async Task<Capture> NextAsync()
    {
        using var guard = new CancellationTokenSource(Guard);
        try
        {
            return await _channel.Reader.ReadAsync(guard.Token);
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested)
        {
            if (_task.IsFaulted) await _task;
            throw new TimeoutException("The adapter emitted nothing.");
        }
    }

    /// <summary>Fails if anything is captured within <paramref name="quiet"/>.</summary>
    public async Task AssertNothingAsync(TimeSpan quiet)
    {
        await Task.Delay(quiet);
        if (_channel.Reader.TryRead(out var capture))
            Assert.Fail($"Unexpected capture of {capture.Source}.");
    }

    /// <summary>Waits until <paramref name="condition"/> holds; <paramref name="what"/> names it in the timeout.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (!condition())
        {
            if (_task.IsCompleted) await _task;
            if (guard.IsCancellationRequested) throw new TimeoutException($"The adapter did not {what}.");
            await Task.Delay(20);
        }
    }

    /// <summary>Stops the adapter and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _task;
        _stop.Dispose();
    }
}
