using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Pipeline;

/// <summary>The whole agent with its data folder on a real 8 MB tmpfs that is filled up, and a real Mosquitto.</summary>
[Collection(nameof(Health.HealthHosts))]
public sealed class FullDiskTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new("midir-disk-");
    private readonly MosquittoBroker _broker = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private Tmpfs? _data;

    private string Inbox => Path.Combine(_root.Path, "inbox");

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        _http.Dispose();
        _data?.Dispose();
        _broker.Dispose();
        _root.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Below MinFreeMegabytes the agent takes no capture: /healthz answers 503 with a "disk:" problem, midir_disk_low is 1
    /// and a dropped file stays in the inbox; once space returns it is processed, published and archived by itself.
    /// </summary>
    [SkippableFact]
    public async Task Below_the_floor_captures_wait_in_the_inbox_and_resume_when_space_returns()
    {
        Skip.If(Tmpfs.WhyUnavailable is not null, "needs a real tmpfs, which cannot be mounted here: " + Tmpfs.WhyUnavailable);
        _data = Tmpfs.Mount(8);
        Directory.CreateDirectory(Inbox);
        var models = Directory.CreateDirectory(Path.Combine(_root.Path, "models")).FullName;
        File.Copy(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), Path.Combine(models, "demo-yamsys-C.zip"));
        await using var probe = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/disk/alpha/result");
        using var host = AgentHost.CreateBuilder(null, [],
        [
            "--MidirEdge:Site=disk", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={_data.Path}",
            "--MidirEdge:Cache:MinFreeMegabytes=4",
            $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Adapters:FileWatch:Path={Inbox}",
            "--MidirEdge:Adapters:FileWatch:Include:0=*",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200",
            "--MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.200",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}",
            "--MidirEdge:Health:Url=http://127.0.0.1:0",
            "--MidirEdge:Health:SampleInterval=00:00:00.200",
        ]).Build();
        await host.StartAsync();
        var url = host.Services.GetRequiredService<HealthServer>().Address!.ToString().TrimEnd('/');
        using (var healthy = await _http.GetAsync($"{url}/healthz"))
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);

        var filler = _data.Fill(leaveBytes: 2 * 1024 * 1024);
        var problems = await Eventually.Async(() => Problems(url), p => p.Length > 0);
        Assert.StartsWith("disk:", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Contains("MidirEdge:Cache:MinFreeMegabytes", problems[0], StringComparison.Ordinal);
        Assert.Contains("midir_disk_low 1", await _http.GetStringAsync($"{url}/metrics"), StringComparison.Ordinal);

        var name = "BF_lo_01_soil_cal.1";
        File.Copy(Fixtures.Path("data/opus/" + name), Path.Combine(_root.Path, name));
        File.Move(Path.Combine(_root.Path, name), Path.Combine(Inbox, name));
        // Many stability windows and rescans later the file is still there, untouched, and nothing was published.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(File.Exists(Path.Combine(Inbox, name)));
        Assert.False(Directory.Exists(Path.Combine(Inbox, "quarantine")));
        Assert.Empty(probe.Messages);

        File.Delete(filler);
        await probe.WaitUntilAsync(m => m.Count >= 1);
        await Eventually.Async(() => File.Exists(Path.Combine(Inbox, name)), present => !present);
        Assert.Empty(await Eventually.Async(() => Problems(url), p => p.Length == 0));
        Assert.Contains("midir_disk_low 0", await _http.GetStringAsync($"{url}/metrics"), StringComparison.Ordinal);
        await host.StopAsync();
    }

    private string[] Problems(string url)
    {
        using var response = _http.GetAsync($"{url}/healthz").GetAwaiter().GetResult();
        using var json = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        var problems = json.RootElement.TryGetProperty("problems", out var p) ? p.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];
        Assert.Equal(problems.Length == 0 ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, response.StatusCode);
        return problems;
    }
}
