using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Spectra;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace MidirEdge.Benchmarks;

/// <summary>
/// The dashboard over a cache of 10,000 results (seven targets each, with their 1,716-point spectra): the page loaded
/// in headless Chromium until it has drawn everything, and the history API it reads.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class DashboardBenchmarks
{
    private const int Results = 10_000;
    private static readonly string[] Targets = ["C", "N", "pH", "clay", "CEC_eff", "ex_Ca", "ex_K"];
    private string _dir = "";
    private AgentCache _cache = null!;
    private IHost _host = null!;
    private HttpClient _http = null!;
    private string _url = "";
    private ChromeDriver? _browser;

    [GlobalSetup]
    public async Task Setup()
    {
        _dir = Directory.CreateTempSubdirectory("midir-bench-dashboard-").FullName;
        _cache = AgentCache.Open(Path.Combine(_dir, "cache.db"));
        var random = new Random(14);
        var x = Enumerable.Range(0, 1716).Select(i => 3997.4 - i * 2.04).ToArray();
        var start = DateTimeOffset.UtcNow.AddDays(-10);
        for (var batch = 0; batch < Results / 100; batch++)
        {
            var cached = new List<CachedResult>(100);
            for (var i = 0; i < 100; i++)
            {
                var n = batch * 100 + i;
                var y = x.Select(v => 0.5 + 0.3 * Math.Sin(v / 300 + n) + 0.01 * random.NextDouble()).ToArray();
                var spectrum = Spectrum.Create(x, y, XUnit.Wavenumber, YKind.Absorbance, new SpectrumMetadata { SampleName = $"S{n:D5}" });
                var hash = SpectrumHash.Compute(spectrum);
                var predictions = Targets.Select(t => new Prediction(t, 10 * random.NextDouble(), "g/kg", "demo-yamsys-" + t, "1.0.0", random.NextDouble() > 0.05, 2.1, 0.4)).ToArray();
                var result = new ResultMessage
                {
                    Id = SpectrumResult.CreateId(hash, predictions), SpectrumHash = hash, SampleName = spectrum.Metadata.SampleName,
                    Site = "lab", Instrument = "alpha", Qc = new QcSummary(true, []), Predictions = predictions,
                    ProcessedUtc = start.AddMinutes(n * 1.4), ProcessingMs = 12,
                };
                cached.Add(new CachedResult(result.Id, JsonSerializer.SerializeToUtf8Bytes(result, DeliveryJson.Default.ResultMessage), hash, spectrum));
            }
            _cache.Store(cached);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MidirEdge:Health:Url"] = "http://127.0.0.1:0" });
        builder.Services.AddSingleton(_cache);
        builder.Services.AddMidirEdgeHealth(builder.Configuration);
        _host = builder.Build();
        await _host.StartAsync();
        _url = _host.Services.GetRequiredService<HealthServer>().Address!.ToString().TrimEnd('/');
        _http = new HttpClient();
    }

    [GlobalSetup(Target = nameof(PageLoadInChromium))]
    public async Task SetupBrowser()
    {
        await Setup();
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,2250",
            $"--user-data-dir={Path.Combine(_dir, "chromium")}");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        _browser = new ChromeDriver(service, options);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _browser?.Quit();
        _browser?.Dispose();
        _http.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        _cache.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Navigation to <c>/</c> until the page has read 500 results, drawn the table, seven time series and the last five spectra.</summary>
    [Benchmark]
    public void PageLoadInChromium()
    {
        _browser!.Navigate().GoToUrl(_url + "/");
        while (!(bool)_browser.ExecuteScript("return document.body.dataset.ready === 'true'")!) { }
    }

    /// <summary>The newest 500 results, as the page reads them.</summary>
    [Benchmark]
    public Task<byte[]> NewestPage() => _http.GetByteArrayAsync(_url + "/api/results?limit=500");

    /// <summary>All 10,000 results, a page of 1,000 at a time, following <c>next</c>.</summary>
    [Benchmark]
    public async Task<int> PageThroughHistory()
    {
        var count = 0;
        string? next = "/api/results?limit=1000";
        while (next is not null)
        {
            using var page = JsonDocument.Parse(await _http.GetByteArrayAsync(_url + next));
            count += page.RootElement.GetProperty("results").GetArrayLength();
            next = page.RootElement.GetProperty("next").GetString();
        }
        return count == Results ? count : throw new InvalidOperationException($"paged {count} results of {Results}");
    }

    /// <summary>The agent state the page polls every five seconds.</summary>
    [Benchmark]
    public Task<byte[]> Status() => _http.GetByteArrayAsync(_url + "/api/status");
}
