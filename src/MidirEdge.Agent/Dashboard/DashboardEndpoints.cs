using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Delivery;

namespace MidirEdge.Agent.Dashboard;

/// <summary>
/// The live dashboard on the health endpoint: the page at <c>/</c> with its assets, and the JSON API it reads
/// (<c>/api/results</c>, <c>/api/status</c>, <c>/api/rejected</c>, <c>/api/spectra/{hash}</c>) and the live feed
/// <c>/api/events</c> (server-sent events).
/// </summary>
internal sealed partial class DashboardEndpoints(IServiceProvider services) : IWebEndpoints
{
    private const int DefaultPage = 100;

    /// <summary>Maps the dashboard onto <paramref name="app"/>; the cache parts answer 404 when the agent has no cache.</summary>
    public void Map(WebApplication app, Func<HealthReport> health)
    {
        var cache = services.GetService<AgentCache>();
        var feed = services.GetRequiredService<LiveFeed>();
        var time = services.GetRequiredService<TimeProvider>();

        app.MapGet("/", () => DashboardAssets.Serve("index.html"));
        app.MapGet("/assets/{name}", (string name) => DashboardAssets.Serve(name));
        app.MapGet("/api/status", () => Results.Json(DashboardStatus.Gather(services, health(), time), DashboardJson.Default.DashboardStatus));
        app.MapGet("/api/rejected", () => Results.Json(feed.Rejections, DashboardJson.Default.IReadOnlyListRejection));
        app.MapGet("/api/results", (HttpContext context) => cache is null ? Results.NotFound() : ResultsPage(cache, context.Request.Query));
        app.MapGet("/api/spectra/{hash}", (string hash) =>
        {
            if (!SpectrumHashPattern().IsMatch(hash)) return Problem("hash must be 32 lower-case hex digits");
            return cache?.FindSpectrum(hash) is { } spectrum
                ? Results.Bytes(ResultDelivery.SerializeSpectrum(hash, spectrum), "application/json")
                : Results.NotFound();
        });
        app.MapGet("/api/events", (HttpContext context) =>
        {
            // Ends when the client goes or the server stops, so shutdown does not wait for open pages.
            var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, app.Lifetime.ApplicationStopping);
            context.Response.RegisterForDispose(ending);
            return TypedResults.ServerSentEvents(Events(feed, ending.Token));
        });
    }

    // A first "ready" event sends the response headers at once, so the browser reports the feed open before anything happens.
    private static async IAsyncEnumerable<SseItem<string>> Events(LiveFeed feed, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new SseItem<string>("{}", "ready");
        await foreach (var e in feed.SubscribeAsync(cancellationToken).ConfigureAwait(false))
            yield return new SseItem<string>(e.Json, e.Kind);
    }

    // Without a cursor: the newest page, newest first, then older pages. With since (and after): what came later, oldest first.
    private static IResult ResultsPage(AgentCache cache, IQueryCollection query)
    {
        var limit = DefaultPage;
        if (query["limit"] is [{ } text])
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > AgentCache.MaxResultPage)
                return Problem($"limit must be a whole number from 1 to {AgentCache.MaxResultPage} (got '{text}')");
        }
        if (!TryTime(query, "since", out var since, out var problem) || !TryTime(query, "until", out var until, out problem))
            return Problem(problem!);
        if (since is not null && until is not null) return Problem("give since or until, not both");
        var forward = since is not null;
        string? cursorId = query[forward ? "after" : "before"] is [{ Length: > 0 } id] ? id : null;
        var page = forward
            ? cache.ResultsAfter(since!.Value, cursorId, limit)
            : cache.ResultsBefore(until ?? DateTimeOffset.MaxValue, cursorId, limit);
        string? next = null;
        if (page.Count > 0 && (forward || page.Count == limit))
        {
            var last = page[^1];
            var stamp = Uri.EscapeDataString(last.StoredUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            next = forward
                ? $"/api/results?since={stamp}&after={last.Id}&limit={limit}"
                : $"/api/results?until={stamp}&before={last.Id}&limit={limit}";
        }
        return new ResultPageResult(page, next);
    }

    private static bool TryTime(IQueryCollection query, string name, out DateTimeOffset? value, out string? problem)
    {
        value = null;
        problem = null;
        if (query[name] is not [{ } text]) return true;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed.ToUniversalTime();
            return true;
        }
        problem = $"{name} must be an ISO 8601 time such as 2026-12-01T08:00:00Z (got '{text}')";
        return false;
    }

    private static IResult Problem(string message) =>
        Results.Text(message + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex SpectrumHashPattern();

    /// <summary>Writes <c>{"results":[payload, ...],"next":url}</c>, copying the cached payloads as they are.</summary>
    private sealed class ResultPageResult(IReadOnlyList<StoredResult> page, string? next) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
            writer.WriteStartObject();
            writer.WriteStartArray("results");
            foreach (var result in page)
                writer.WriteRawValue(result.Json, skipInputValidation: true);
            writer.WriteEndArray();
            if (next is null) writer.WriteNull("next");
            else writer.WriteString("next", next);
            writer.WriteEndObject();
            await writer.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
