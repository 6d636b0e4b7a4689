using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Dashboard;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Tests.Health;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Dashboard;

/// <summary>The dashboard's JSON API and live feed over HTTP on loopback, on a real cache file.</summary>
[Collection(nameof(HealthHosts))]
public sealed class DashboardApiTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("dashboard-api");
    private readonly FakeTimeProvider _time = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private AgentCache _cache = null!;
    private IHost _host = null!;
    private string _url = "";

    /// <summary>Starts the health endpoint over a cache holding five results, one millisecond apart.</summary>
    public async Task InitializeAsync()
    {
        _cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"), _time);
        for (var i = 0; i < 5; i++)
        {
            _cache.StoreResult($"r{i}", Encoding.UTF8.GetBytes($"{{\"id\":\"r{i}\"}}"));
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MidirEdge:Health:Url"] = "http://127.0.0.1:0" });
        builder.Services.AddSingleton(_cache);
        builder.Services.AddMidirEdgeHealth(builder.Configuration);
        _host = builder.Build();
        await _host.StartAsync();
        _url = _host.Services.GetRequiredService<HealthServer>().Address!.ToString().TrimEnd('/');
    }

    /// <summary>Stops the host and deletes the cache.</summary>
    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _cache.Dispose();
        _http.Dispose();
        _dir.Dispose();
    }

    /// <summary>Without a cursor the newest page comes first and <c>next</c> leads to older ones; with <c>since</c> the later ones come, oldest first.</summary>
    [Fact]
    public async Task Results_page_backwards_from_the_newest_and_forwards_from_a_time()
    {
        var seen = new List<string>();
        string? next = "/api/results?limit=2";
        while (next is not null)
        {
            using var page = JsonDocument.Parse(await _http.GetStringAsync(_url + next));
            seen.AddRange(page.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
            next = page.RootElement.GetProperty("next").GetString();
        }
        Assert.Equal(["r4", "r3", "r2", "r1", "r0"], seen);

        var since = Uri.EscapeDataString(_cache.ResultsBefore(DateTimeOffset.MaxValue, null, 5)[^2].StoredUtc.ToString("O"));
        using var later = JsonDocument.Parse(await _http.GetStringAsync($"{_url}/api/results?since={since}"));
        Assert.Equal(["r2", "r3", "r4"], later.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    /// <summary>A bad query parameter is a 400 naming it; a malformed spectrum hash is a 400, an unknown one a 404.</summary>
    [Theory]
    [InlineData("/api/results?limit=0", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/results?limit=5000", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/results?since=yesterday", HttpStatusCode.BadRequest, "since")]
    [InlineData("/api/spectra/..%2Fetc", HttpStatusCode.BadRequest, "hash")]
    [InlineData("/api/spectra/0123456789abcdef0123456789abcdef", HttpStatusCode.NotFound, "")]
    [InlineData("/assets/missing.js", HttpStatusCode.NotFound, "")]
    public async Task Bad_requests_are_refused_with_the_reason(string path, HttpStatusCode status, string named)
    {
        using var response = await _http.GetAsync(_url + path);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The page and uPlot are served from the binary; the feed announces a rejection as it happens and lists it after.</summary>
    [Fact]
    public async Task The_page_is_embedded_and_the_feed_streams_rejections()
    {
        Assert.Contains("<script src=\"/assets/uPlot.iife.min.js\">", await _http.GetStringAsync(_url + "/"), StringComparison.Ordinal);
        Assert.Contains("uPlot", await _http.GetStringAsync(_url + "/assets/uPlot.iife.min.js"), StringComparison.Ordinal);

        using var events = await _http.GetAsync(_url + "/api/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        Assert.Equal("event: ready", await reader.ReadLineAsync());
        _host.Services.GetRequiredService<LiveFeed>().Rejected("/inbox/broken.0", "at byte 100: block runs past the end");
        string? line;
        while ((line = await reader.ReadLineAsync()) != "event: rejected") Assert.NotNull(line);
        using var data = JsonDocument.Parse((await reader.ReadLineAsync())!["data: ".Length..]);
        Assert.Equal("broken.0", data.RootElement.GetProperty("name").GetString());

        using var listed = JsonDocument.Parse(await _http.GetStringAsync(_url + "/api/rejected"));
        Assert.Equal("at byte 100: block runs past the end", listed.RootElement[0].GetProperty("reason").GetString());
    }
}
