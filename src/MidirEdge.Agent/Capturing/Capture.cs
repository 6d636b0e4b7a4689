using System.Threading.Channels;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Capturing;

/// <summary>Something an adapter captured: instrument file bytes, or a spectrum received over a port.</summary>
public sealed record Capture
{
    /// <summary>Adapter instance name, e.g. <c>inbox</c> or <c>alpha-serial</c>.</summary>
    public required string Adapter { get; init; }

    /// <summary>File path or port name, shown in logs and errors.</summary>
    public required string Source { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the file bytes, or of the received frame bytes; empty when nothing usable was read (see <see cref="Failure"/>).</summary>
    public required string ContentHash { get; init; }

    /// <summary>When the adapter captured it.</summary>
    public required DateTimeOffset CapturedUtc { get; init; }

    /// <summary>File bytes (file-watch); empty for serial.</summary>
    public ReadOnlyMemory<byte> Content { get; init; }

    /// <summary>Decoded spectrum (serial); null for files, whose <see cref="Content"/> the pipeline reads.</summary>
    public Spectrum? Spectrum { get; init; }

    /// <summary>
    /// Why the adapter could make no spectrum of what arrived (an empty or oversized file, an undecodable serial frame);
    /// null for a usable capture. The pipeline rejects such a capture with this reason, as it rejects an unreadable file.
    /// </summary>
    public string? Failure { get; init; }

    /// <summary>Tells the adapter how processing ended; the pipeline calls it exactly once.</summary>
    public required ICaptureCompletion Completion { get; init; }
}

/// <summary>How the pipeline reports the end of a capture's processing; called exactly once per capture.</summary>
public interface ICaptureCompletion
{
    /// <summary>Processed and stored: the file adapter archives (or leaves) the file.</summary>
    Task CompleteAsync(CancellationToken ct);

    /// <summary>Unreadable: the file adapter moves the file to quarantine with a <c>NAME.error.txt</c> giving <paramref name="reason"/>.</summary>
    Task FailAsync(string reason, CancellationToken ct);

    /// <summary>
    /// Not processed for a reason outside the capture (the cache could not be written): the file adapter leaves the file
    /// where it is and captures it again on a later scan.
    /// </summary>
    Task RetryLaterAsync(string reason, CancellationToken ct);
}

/// <summary>A source of captures: watches a folder, listens on a port.</summary>
public interface ICaptureAdapter
{
    /// <summary>Adapter instance name, copied into <see cref="Capture.Adapter"/>.</summary>
    string Name { get; }

    /// <summary>Captures until <paramref name="ct"/> is cancelled, writing each capture with back-pressure to <paramref name="output"/>.</summary>
    Task RunAsync(ChannelWriter<Capture> output, CancellationToken ct);

    /// <summary>Why the adapter cannot capture right now although it runs (its folder is missing, its port is closed); null while it can.</summary>
    string? Problem => null;

    /// <summary>
    /// Looks now, without capturing, at whether the adapter could capture (its folder can be listed, its port opens): where it
    /// captures from and what stands in the way. For <c>midir-edge check</c>, run while the agent is not.
    /// </summary>
    Task<AdapterCheck> CheckAsync(CancellationToken ct) => Task.FromResult(new AdapterCheck(Name, Problem));
}

/// <summary>What <see cref="ICaptureAdapter.CheckAsync"/> found.</summary>
/// <param name="Source">Where the adapter captures from, e.g. <c>folder /srv/inbox (*.0)</c> or <c>port /dev/ttyUSB0 at 115200 baud</c>.</param>
/// <param name="Problem">What stands in the way of capturing; null when nothing does.</param>
public sealed record AdapterCheck(string Source, string? Problem);

/// <summary>Completion for captures that need nothing done afterwards (serial frames).</summary>
public sealed class NoCompletion : ICaptureCompletion
{
    /// <summary>The shared instance.</summary>
    public static NoCompletion Instance { get; } = new();

    private NoCompletion() { }

    /// <inheritdoc />
    public Task CompleteAsync(CancellationToken ct) => Task.CompletedTask;

    /// <inheritdoc />
    public Task FailAsync(string reason, CancellationToken ct) => Task.CompletedTask;

    /// <inheritdoc />
    public Task RetryLaterAsync(string reason, CancellationToken ct) => Task.CompletedTask;
}
