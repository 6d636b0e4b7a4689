using Microsoft.Extensions.Logging;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Store;
using MidirEdge.Models.Tests.Bundles;

namespace MidirEdge.Models.Tests.Store;

public sealed class ModelStoreTests(YamsysBundle yamsys) : IClassFixture<YamsysBundle>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("midir-store-").FullName;
    private readonly string _incoming = Directory.CreateTempSubdirectory("midir-incoming-").FullName;
    private readonly ListLogger _log = new();

    [Fact]
    public void Installing_a_newer_version_activates_it_and_rollback_returns_to_the_previous()
    {
        using var store = new ModelStore(_directory, BundleTrust.None, _log);
        store.Install(Write("1.0.0"));
        Assert.Equal("1.0.0", Assert.Single(store.Active).Version);

        store.Install(Write("1.1.0"));
        Assert.Equal("1.1.0", Assert.Single(store.Active).Version);

        Assert.True(store.Rollback("test-yamsys"));
        Assert.Equal("1.0.0", Assert.Single(store.Active).Version);
        Assert.False(store.Rollback("test-yamsys"));
    }

    [Fact]
    public void A_stricter_trust_for_one_install_refuses_an_unsigned_bundle_the_store_would_accept()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var signedOnly = BundleTrust.FromPem([key.ExportSubjectPublicKeyInfoPem()], requireSignature: true);
        using var store = new ModelStore(_directory, BundleTrust.None, _log);

        var refused = Assert.Throws<ModelException>(() => store.Install(Write("1.0.0"), trust: signedOnly));
        Assert.Contains("not signed", refused.Reason);
        Assert.Empty(store.Active);
        Assert.Empty(Directory.GetFiles(_directory, "*.zip"));

        var signed = Path.Combine(_incoming, "signed.zip");
        BundleWriter.WriteZip(signed, yamsys.Manifest with { Version = "1.0.0" }, yamsys.Artefacts, key);
        Assert.Equal("1.0.0", store.Install(signed, trust: signedOnly).Version);
        Assert.Equal("1.0.0", Assert.Single(store.Active).Version);
    }

    [Fact]
    public void Install_returns_the_installed_version_even_when_a_higher_one_stays_active()
    {
        using var store = new ModelStore(_directory, BundleTrust.None, _log);
        store.Install(Write("2.0.0"));

        var installed = store.Install(Write("1.5.0"));

        Assert.Equal("1.5.0", installed.Version);
        Assert.Equal("2.0.0", Assert.Single(store.Active).Version);
    }

    [Fact]
    public void Only_the_previous_version_is_kept_beside_the_active_one()
    {
        using var store = new ModelStore(_directory, BundleTrust.None, _log);
        foreach (var version in new[] { "1.0.0", "1.1.0", "2.0.0" }) store.Install(Write(version));
        Assert.Equal(["test-yamsys@1.1.0.zip", "test-yamsys@2.0.0.zip"],
            Directory.GetFiles(_directory, "*.zip").Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_tampered_bundle_is_refused_with_a_logged_reason_and_the_others_stay_active()
    {
        using var store = new ModelStore(_directory, BundleTrust.None, _log);
        store.Install(Write("1.0.0"));
        var tampered = File.ReadAllBytes(Write("1.1.0"));
        File.WriteAllBytes(Path.Combine(_directory, "test-yamsys@1.1.0.zip"), Corrupt(tampered));
        store.Reload();

        Assert.Equal("1.0.0", Assert.Single(store.Active).Version);
        Assert.Contains(_log.Messages, m => m.Contains("test-yamsys@1.1.0.zip refused"));
        Assert.Throws<ModelException>(() => store.Install(Path.Combine(_directory, "test-yamsys@1.1.0.zip")));
    }

    [Fact]
    public void A_bundle_dropped_into_a_watched_directory_is_picked_up()
    {
        using var store = new ModelStore(_directory, BundleTrust.None, _log);
        using var changed = new ManualResetEventSlim();
        store.Changed += (_, _) => changed.Set();
        store.Watch(TimeSpan.FromMilliseconds(200));

        File.Copy(Write("3.0.0"), Path.Combine(_directory, "dropped.zip"));
        Assert.True(changed.Wait(TimeSpan.FromSeconds(30)), "the store did not reload");
        Assert.Equal("3.0.0", Assert.Single(store.Active).Version);
    }

    [Fact]
    public void A_leased_bundle_stays_usable_while_a_reload_replaces_it()
    {
        using var store = new ModelStore(_directory, BundleTrust.None, _log);
        store.Install(Write("1.0.0"));
        using var lease = store.Acquire();
        var old = Assert.Single(lease.Bundles);

        store.Install(Write("1.1.0"));
        Assert.Equal("1.1.0", Assert.Single(store.Active).Version);
        Assert.Equal(2, old.Predict(yamsys.Table.SpectrumAt(0)).Count);
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        Directory.Delete(_incoming, recursive: true);
    }

    private string Write(string version)
    {
        var path = Path.Combine(_incoming, $"bundle-{version}.zip");
        BundleWriter.WriteZip(path, yamsys.Manifest with { Version = version }, yamsys.Artefacts);
        return path;
    }

    // Flips one byte inside the stored (uncompressed-size-preserving) data of the archive's last entry.
    private static byte[] Corrupt(byte[] zip)
    {
        using var memory = new MemoryStream();
        memory.Write(zip);
        using (var archive = new System.IO.Compression.ZipArchive(memory, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry("C.pls.json")!;
            byte[] data;
            using (var stream = entry.Open()) { using var copy = new MemoryStream(); stream.CopyTo(copy); data = copy.ToArray(); }
            entry.Delete();
            data[50] = (byte)(data[50] == (byte)'1' ? '2' : '1');
            using var replacement = archive.CreateEntry("C.pls.json").Open();
            replacement.Write(data);
        }
        return memory.ToArray();
    }

    private sealed class ListLogger : ILogger<ModelStore>
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
