using LiteDB;
using Microsoft.Extensions.Time.Testing;
using System.Text;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Tests.Cache;

/// <summary>Spectra, results and retention on a real LiteDB file.</summary>
public sealed class AgentCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new("cache");
    private readonly FakeTimeProvider _time = new();

    private string File => Path.Combine(_dir.Path, "sub", "cache.db");

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    /// <summary>A spectrum comes back bit-identical from its compressed form, with sample name and acquisition time.</summary>
    [Fact]
    public void Spectrum_round_trips_exactly_and_compressed()
    {
        var spectrum = TestData.Spectrum(5);
        using (var cache = AgentCache.Open(File, _time))
            cache.StoreSpectrum("h5", spectrum);

        using var reopened = AgentCache.Open(File, _time);
        var back = reopened.FindSpectrum("h5")!;
        Assert.Equal(spectrum.X.ToArray(), back.X.ToArray());
        Assert.Equal(spectrum.Y.ToArray(), back.Y.ToArray());
        Assert.Equal(XUnit.Wavenumber, back.XUnit);
        Assert.Equal(YKind.Absorbance, back.YKind);
        Assert.Equal("S0005", back.Metadata.SampleName);
        Assert.Equal(spectrum.Metadata.AcquiredUtc, back.Metadata.AcquiredUtc);
        Assert.Null(reopened.FindSpectrum("missing"));
    }

    /// <summary>
    /// The duplicate checks find a committed spectrum by its hash and by the hash of the bytes it was read from, after a
    /// reopen, through the primary key and the capture index (LiteDB's own query plan says which index it seeks).
    /// </summary>
    [Fact]
    public void Duplicates_are_found_by_spectrum_hash_and_capture_hash_through_indexes()
    {
        using (var cache = AgentCache.Open(File, _time))
        {
            cache.Store([new CachedResult("r1", [1], "h1", TestData.Spectrum(1), "c1"), new CachedResult("r2", [2], "h2", TestData.Spectrum(2))]);
            Assert.False(cache.HoldsCapture("c2"));
        }

        using (var reopened = AgentCache.Open(File, _time))
        {
            Assert.True(reopened.HoldsSpectrum("h1"));
            Assert.True(reopened.HoldsSpectrum("h2"));
            Assert.False(reopened.HoldsSpectrum("h3"));
            Assert.True(reopened.HoldsCapture("c1"));
            Assert.False(reopened.HoldsCapture("c2"));
        }

        using var db = new LiteDatabase($"Filename={File};Connection=direct");
        Assert.Equal("_id", Plan(db, "SELECT $ FROM spectra WHERE _id = 'h1'"));
        Assert.Equal("capture", Plan(db, "SELECT $ FROM spectra WHERE capture = 'c1'"));

        static string Plan(LiteDatabase db, string query)
        {
            using var reader = db.Execute("EXPLAIN " + query);
            Assert.True(reader.Read());
            return reader.Current["index"]["name"].AsString;
        }
    }

    /// <summary>Result payloads are stored and replaced under their message id.</summary>
    [Fact]
    public void Results_are_stored_by_id()
    {
        using var cache = AgentCache.Open(File, _time);
        cache.StoreResult("r1", "{\"v\":1}"u8.ToArray());
        cache.StoreResult("r1", "{\"v\":2}"u8.ToArray());

        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString(cache.FindResult("r1")!));
        Assert.Equal(1, cache.ResultCount);
        Assert.Null(cache.FindResult("r2"));
    }

    /// <summary>Retention deletes spectra and results past the maximum age but never touches the outbox.</summary>
    [Fact]
    public void Retention_by_age_keeps_recent_entries_and_the_outbox()
    {
        using var cache = AgentCache.Open(File, _time);
        cache.StoreSpectrum("old", TestData.Spectrum(1));
        cache.StoreResult("old", [1]);
        cache.Outbox.Enqueue("t", [1]);
        _time.Advance(TimeSpan.FromDays(10));
        cache.StoreSpectrum("new", TestData.Spectrum(2));
        cache.StoreResult("new", [2]);

        var result = cache.ApplyRetention(TimeSpan.FromDays(7), long.MaxValue);

        Assert.Equal(2, result.Expired);
        Assert.Null(cache.FindSpectrum("old"));
        Assert.Null(cache.FindResult("old"));
        Assert.NotNull(cache.FindSpectrum("new"));
        Assert.NotNull(cache.FindResult("new"));
        Assert.Equal(1, cache.Outbox.Depth);
    }

    /// <summary>Over the size limit, retention evicts the oldest entries first and compacts the file below the limit.</summary>
    [Fact]
    public void Retention_by_size_evicts_the_oldest_first()
    {
        using var cache = AgentCache.Open(File, _time);
        for (var i = 0; i < 60; i++)
        {
            cache.StoreSpectrum($"s{i:D2}", Noise(i));
            _time.Advance(TimeSpan.FromMinutes(1));
        }
        cache.Outbox.Enqueue("t", [1]);
        var full = cache.SizeBytes;
        var limit = full / 2;

        var result = cache.ApplyRetention(TimeSpan.FromDays(365), limit);

        Assert.True(result.Compacted);
        Assert.True(result.Evicted > 0);
        Assert.True(cache.SizeBytes <= limit, $"{cache.SizeBytes} > {limit}");
        Assert.Null(cache.FindSpectrum("s00"));
        Assert.NotNull(cache.FindSpectrum("s59"));
        Assert.Equal(60 - result.Evicted, cache.SpectrumCount);
        Assert.Equal(1, cache.Outbox.Depth);
    }

    private static Spectrum Noise(int seed)
    {
        var random = new Random(seed);
        var x = new double[4000];
        var y = new double[4000];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = i;
            y[i] = random.NextDouble();
        }
        return Spectrum.Create(x, y, XUnit.Wavenumber, YKind.Absorbance);
    }
}
