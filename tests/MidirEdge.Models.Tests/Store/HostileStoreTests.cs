using Microsoft.Extensions.Logging;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Store;
using MidirEdge.Tests;

namespace MidirEdge.Models.Tests.Store;

/// <summary>A model folder holding malformed, traversing or oversized bundles beside the real C bundle.</summary>
public sealed class HostileStoreTests : IDisposable
{
    [Fact]
    public void A_cancelled_reload_stops_and_leaves_the_active_set()
    {
        Directory.CreateDirectory(Models);
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(Models, "demo-yamsys-C.zip"));
        using var store = new ModelStore(Models, BundleTrust.None, _log);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => store.Reload(cancelled.Token));
        Assert.Empty(store.Active);
        store.Reload();
        Assert.Single(store.Active);
    }
    private readonly string _root = Directory.CreateTempSubdirectory("midir-hostile-store-").FullName;
    private readonly ListLog _log = new();

    private string Models => Path.Combine(_root, "site", "models");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Bundles_that_throw_while_loading_are_refused_and_the_good_one_serves()
    {
        Directory.CreateDirectory(Models);
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(Models, "demo-yamsys-C.zip"));
        Drop("null-files.zip", m => m["files"] = null);
        Drop("null-domain.zip", m => m["models"]![0]!["domain"] = null);
        Drop("null-model.zip", m => m["models"]![0] = null);
        Drop("bomb.zip", DemoBundles.ScatteringBomb);
        using var store = new ModelStore(Models, BundleTrust.None, _log);

        store.Reload();

        Assert.Equal("demo-yamsys-C", Assert.Single(store.Active).Id);
        foreach (var name in new[] { "null-files.zip", "null-domain.zip", "null-model.zip", "bomb.zip" })
            Assert.Contains(_log.Messages, m => m.StartsWith($"Model bundle {Path.Combine(Models, name)} refused: ", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Messages, m => m.Contains("NullReference", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Installing_a_bundle_whose_id_climbs_out_of_the_folder_writes_nothing(bool absolute)
    {
        // The folder the id points at exists, so only the store's checks stand between the bundle and it.
        var escape = Directory.CreateDirectory(Path.Combine(_root, "escape")).FullName;
        var id = absolute ? Path.Combine(escape, "evil") : "../../escape/evil";
        var bundle = DemoBundles.WriteZip(DemoBundles.Edit(m => m["id"] = id), Path.Combine(_root, "evil.zip"));
        using var store = new ModelStore(Models, BundleTrust.None, _log);

        var error = Assert.Throws<ModelException>(() => store.Install(bundle));

        Assert.Contains("is not a safe bundle id", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Models));
        Assert.Empty(Directory.GetFileSystemEntries(escape));
    }

    [Fact]
    public void A_bundle_with_a_climbing_id_dropped_in_the_folder_is_not_served()
    {
        Directory.CreateDirectory(Models);
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-N.zip"), Path.Combine(Models, "demo-yamsys-N.zip"));
        Drop("evil.zip", m => m["id"] = "../../escape/evil");
        using var store = new ModelStore(Models, BundleTrust.None, _log);

        store.Reload();

        Assert.Equal(["demo-yamsys-N"], store.Active.Select(b => b.Id));
        Assert.Contains(_log.Messages, m => m.Contains("evil.zip refused: ", StringComparison.Ordinal) && m.Contains("id '../../escape/evil'", StringComparison.Ordinal));
        Assert.False(store.Rollback("../../escape/evil"));
        Assert.False(Directory.Exists(Path.Combine(_root, "escape")));
    }

    [Fact]
    public void A_watched_folder_survives_a_malformed_bundle_and_loads_the_next_good_one()
    {
        using var store = new ModelStore(Models, BundleTrust.None, _log);
        using var changed = new ManualResetEventSlim();
        store.Changed += (_, _) => changed.Set();
        store.Watch(TimeSpan.FromMilliseconds(100));

        Drop("null-files.zip", m => m["files"] = null);
        Drop("null-input.zip", m => m["input"] = null);
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(Models, "demo-yamsys-C.zip"));

        Assert.True(changed.Wait(TimeSpan.FromSeconds(60)), string.Join("\n", _log.Messages));
        Assert.Equal("demo-yamsys-C", Assert.Single(store.Active).Id);
    }


    private void Drop(string name, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        Directory.CreateDirectory(Models);
        var staged = DemoBundles.WriteZip(DemoBundles.Edit(edit), Path.Combine(_root, name));
        File.Move(staged, Path.Combine(Models, name));
    }

    private sealed class ListLog : ILogger<ModelStore>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages) Messages.Add(formatter(state, exception));
        }
    }
}
