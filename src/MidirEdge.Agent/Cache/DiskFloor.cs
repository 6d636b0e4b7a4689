using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Telemetry;

namespace MidirEdge.Agent.Cache;

/// <summary>
/// Watches the free space on the file system of <c>MidirEdge:DataDir</c> against <see cref="CacheOptions.MinFreeMegabytes"/>:
/// below it the pipeline takes no capture (files stay in the inbox, nothing is lost) and the agent reports itself
/// unhealthy; it resumes by itself once space returns.
/// </summary>
/// <remarks>
/// LiteDB on a full file system fails its writes part-way, and an engine broken that way is what stalled commits; the
/// floor keeps the cache from ever writing into the last megabytes.
/// </remarks>
public sealed partial class DiskFloor
{
    /// <summary>How often a waiting pipeline looks at the free space again.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _folder;
    private readonly long _minFreeBytes;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<DiskFloor> _logger;
    private readonly Lock _lock = new();
    private long _freeBytes = long.MaxValue;
    private bool _low;

    /// <summary>Creates the floor for the data folder; the folder is created if missing.</summary>
    public DiskFloor(IOptions<MidirEdgeOptions> agent, IOptions<CacheOptions> cache, AgentMetrics metrics, TimeProvider time, ILogger<DiskFloor> logger)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(cache);
        _folder = Path.GetFullPath(agent.Value.DataDir);
        _minFreeBytes = cache.Value.MinFreeBytes;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Free bytes at the last check.</summary>
    public long FreeBytes => Interlocked.Read(ref _freeBytes);

    /// <summary>
    /// Why no capture is taken right now (free space below the floor, or the folder's file system unreadable); null
    /// while there is room.
    /// </summary>
    public string? Problem
    {
        get
        {
            lock (_lock)
                return _low
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"disk: {FreeBytes / 1048576.0:0.0} MB free under {_folder}, below MidirEdge:Cache:MinFreeMegabytes ({_minFreeBytes / 1048576} MB); captures wait")
                    : null;
        }
    }

    /// <summary>Looks at the free space now; returns true when there is room for captures. Logs entering and leaving the low state.</summary>
    public bool Check()
    {
        long free;
        try
        {
            Directory.CreateDirectory(_folder);
            free = new DriveInfo(_folder).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Unknown: treated as no room, so nothing is written into a file system that cannot even be measured.
            free = 0;
        }
        var low = free < _minFreeBytes;
        bool changed;
        lock (_lock)
        {
            Interlocked.Exchange(ref _freeBytes, free);
            changed = low != _low;
            _low = low;
        }
        _metrics.DiskFree(free, low);
        if (changed && low) LogLow(_folder, free, _minFreeBytes);
        else if (changed) LogRecovered(_folder, free);
        return !low;
    }

    /// <summary>Completes at once while there is room, else once space has returned (checked every <see cref="CheckInterval"/>).</summary>
    public async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (!Check())
            await Task.Delay(CheckInterval, _time, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disk nearly full: {FreeBytes} bytes free under {Folder}, below the floor of {MinFreeBytes} bytes (MidirEdge:Cache:MinFreeMegabytes); no capture is taken until space returns, files stay in the inbox")]
    private partial void LogLow(string folder, long freeBytes, long minFreeBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disk space back: {FreeBytes} bytes free under {Folder}; captures resume")]
    private partial void LogRecovered(string folder, long freeBytes);
}
