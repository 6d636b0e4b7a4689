using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MidirEdge.Agent.Telemetry;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary>Spectra that fail on their own data, through the whole agent with real folders, the demo model and a real Mosquitto.</summary>
public sealed class PoisonSpectrumTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new("midir-poison-");
    private readonly MosquittoBroker _broker = new();
    private MqttProbe _probe = null!;

    private string Inbox => Path.Combine(_root.Path, "inbox");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Inbox);
        _probe = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/poison/alpha/result");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _probe.DisposeAsync();
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>
    /// With the flat check switched off, a flat spectrum (1,716 points at 0.5) passes QC and the model's SNV throws: that is
    /// the spectrum's own fault, so the file is quarantined once with the reason, counted as a prediction failure and not
    /// as a delivery one, and a good file after it goes through.
    /// </summary>
    [Fact]
    public async Task A_spectrum_the_model_fails_on_is_quarantined_not_retried()
    {
        using var host = await StartAsync("--MidirEdge:Qc:MinRelativeSpread=0");
        Drop(FlatCsv("flat.csv"));

        var note = Path.Combine(Inbox, "quarantine", "flat.csv.error.txt");
        await Eventually.Async(() => File.Exists(note), exists => exists);
        Assert.Contains("model demo-yamsys-C failed on the spectrum: SNV is undefined for a constant spectrum", await File.ReadAllTextAsync(note), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Inbox, "flat.csv")));

        Drop(Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"));
        await _probe.WaitUntilAsync(m => m.Count >= 1);
        var text = await Metrics(host);
        Assert.Contains("midir_spectra_failed_total{reason=\"prediction\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("midir_spectra_failed_total{reason=\"delivery\"} 0", text, StringComparison.Ordinal);
        await host.StopAsync();
    }

    /// <summary>With the default settings the same flat spectrum is refused by the "flat" QC check and quarantined with that reason.</summary>
    [Fact]
    public async Task A_flat_spectrum_is_quarantined_by_qc()
    {
        using var host = await StartAsync();
        Drop(FlatCsv("blank.csv"));

        var note = Path.Combine(Inbox, "quarantine", "blank.csv.error.txt");
        await Eventually.Async(() => File.Exists(note), exists => exists);
        Assert.StartsWith("quality control failed: the spectrum is flat", await File.ReadAllTextAsync(note), StringComparison.Ordinal);
        Assert.Contains("midir_spectra_failed_total{reason=\"qc\"} 1", await Metrics(host), StringComparison.Ordinal);
        await host.StopAsync();
    }

    private async Task<IHost> StartAsync(params string[] settings)
    {
        var models = Directory.CreateDirectory(Path.Combine(_root.Path, "models")).FullName;
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(models, "demo-yamsys-C.zip"), overwrite: true);
        var host = AgentHost.CreateBuilder(null, [],
        [
            "--MidirEdge:Site=poison", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}",
            $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Adapters:FileWatch:Path={Inbox}",
            "--MidirEdge:Adapters:FileWatch:Include:0=*",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200",
            "--MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.200",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}",
            "--MidirEdge:Health:Enabled=false",
            .. settings,
        ]).Build();
        await host.StartAsync();
        return host;
    }

    // The demo grid's 1,716 wavenumbers, every absorbance 0.5: a blank or saturated scan.
    private string FlatCsv(string name)
    {
        var path = Path.Combine(_root.Path, name);
        var x = RealSpectraGrid();
        File.WriteAllLines(path, ["wavenumber,absorbance", .. x.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v:R},0.5"))]);
        return path;
    }

    private static double[] RealSpectraGrid() => [.. Qc.RealSpectra.Yamsys[0].X];

    private static async Task<string> Metrics(IHost host)
    {
        using var exported = new MemoryStream();
        await host.Services.GetRequiredService<AgentMetrics>().Registry.CollectAndExportAsTextAsync(exported);
        return System.Text.Encoding.UTF8.GetString(exported.ToArray());
    }

    private void Drop(string file)
    {
        var staged = Path.Combine(_root.Path, "staged-" + Path.GetFileName(file));
        File.Copy(file, staged, overwrite: true);
        File.Move(staged, Path.Combine(Inbox, Path.GetFileName(file)));
    }
}
