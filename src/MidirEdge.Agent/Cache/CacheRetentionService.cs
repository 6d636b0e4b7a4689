using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Cache;

/// <summary>Applies the cache retention policy at start and then every <see cref="CacheOptions.RetentionInterval"/>.</summary>
public sealed partial class CacheRetentionService : BackgroundService
{
    private readonly AgentCache _cache;
    private readonly CacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CacheRetentionService> _logger;

    /// <summary>Creates the service.</summary>
    public CacheRetentionService(AgentCache cache, IOptions<CacheOptions> options, TimeProvider time, ILogger<CacheRetentionService> logger)
    {
        _cache = cache;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RetentionInterval, _time);
        do
        {
            try
            {
                var result = _cache.ApplyRetention(_options.MaxAge, _options.MaxSizeBytes);
                if (result.Expired + result.Evicted > 0)
                    LogPruned(result.Expired, result.Evicted, result.SizeBytes);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRetentionFailed(ex, _cache.Path);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache retention removed {Expired} expired and {Evicted} evicted entries; cache is {SizeBytes} bytes")]
    private partial void LogPruned(int expired, int evicted, long sizeBytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cache retention failed on {Path}")]
    private partial void LogRetentionFailed(Exception exception, string path);
}
