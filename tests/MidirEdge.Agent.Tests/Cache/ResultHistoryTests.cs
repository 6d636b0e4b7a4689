using Microsoft.Extensions.Time.Testing;
using System.Text;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Cache;

/// <summary>The dashboard's history queries on a real LiteDB file: pages by stored time, ties within a millisecond kept whole.</summary>
public sealed class ResultHistoryTests : IDisposable
{
    private readonly TempDirectory _dir = new("history");
    private readonly FakeTimeProvider _time = new();

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    /// <summary>Paging forward and backward visits every result once, in (stored, id) order, even when a commit shares a millisecond.</summary>
    [Fact]
    public void Pages_visit_every_result_once_in_stored_order()
    {
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"), _time);
        var start = _time.GetUtcNow();
        var expected = new List<string>();
        for (var batch = 0; batch < 7; batch++)
        {
            // Three results per millisecond, stored out of id order.
            foreach (var id in new[] { $"b{batch}-c", $"b{batch}-a", $"b{batch}-b" })
                cache.StoreResult(id, Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"));
            expected.AddRange([$"b{batch}-a", $"b{batch}-b", $"b{batch}-c"]);
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var forward = new List<string>();
        var cursor = (Time: start - TimeSpan.FromMilliseconds(1), Id: (string?)null);
        while (cache.ResultsAfter(cursor.Time, cursor.Id, 2) is { Count: > 0 } page)
        {
            Assert.True(page.Count <= 2);
            forward.AddRange(page.Select(r => r.Id));
            cursor = (page[^1].StoredUtc, page[^1].Id);
        }
        Assert.Equal(expected, forward);

        var backward = new List<string>();
        cursor = (DateTimeOffset.MaxValue, null);
        while (cache.ResultsBefore(cursor.Time, cursor.Id, 4) is { Count: > 0 } page)
        {
            backward.AddRange(page.Select(r => r.Id));
            cursor = (page[^1].StoredUtc, page[^1].Id);
        }
        Assert.Equal(Enumerable.Reverse(expected), backward);
        Assert.Equal("{\"id\":\"b6-c\"}", Encoding.UTF8.GetString(cache.ResultsBefore(DateTimeOffset.MaxValue, null, 1).Single().Json));
    }

    /// <summary>A page is never larger than the bound, whatever is asked.</summary>
    [Fact]
    public void A_page_is_bounded()
    {
        using var cache = AgentCache.Open(Path.Combine(_dir.Path, "cache.db"), _time);
        for (var i = 0; i < AgentCache.MaxResultPage + 5; i++)
        {
            cache.StoreResult($"r{i:D5}", "{}"u8.ToArray());
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
        Assert.Equal(AgentCache.MaxResultPage, cache.ResultsBefore(DateTimeOffset.MaxValue, null, int.MaxValue).Count);
    }
}
