using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Health;
using MidirEdge.Agent.Tests.Infrastructure;
using MidirEdge.Tests;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace MidirEdge.Agent.Tests.Dashboard;

/// <summary>The dashboard in a real browser: a real agent process, a real Mosquitto, real files in its inbox.</summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _root = new("dashboard");
    private readonly MosquittoBroker _broker = new();

    /// <inheritdoc />
    public void Dispose()
    {
        _broker.Dispose();
        _root.Dispose();
    }

    /// <summary>
    /// An OPUS file and a corrupt file dropped while the page is open appear live: the sample with its predicted values, and
    /// the quarantined file with its reason; a screenshot of the page is written as a test artefact.
    /// </summary>
    [Fact]
    public async Task The_page_shows_new_results_and_quarantined_files_as_they_happen()
    {
        var inbox = Directory.CreateDirectory(Path.Combine(_root.Path, "inbox")).FullName;
        var models = Directory.CreateDirectory(Path.Combine(_root.Path, "models")).FullName;
        foreach (var id in new[] { "C", "pH", "clay" })
            File.Copy(Fixtures.RepositoryPath($"demo/models/demo-yamsys-{id}.zip"), Path.Combine(models, $"demo-yamsys-{id}.zip"));
        var url = $"http://127.0.0.1:{Ports.Free()}";
        await using var probe = await MqttProbe.ConnectAsync(_broker.Host, _broker.Port, "midir/lab/alpha/result");
        using var agent = AgentProcess.Start(
            "run", "--MidirEdge:Site=lab", "--MidirEdge:Instrument=alpha",
            $"--MidirEdge:DataDir={Path.Combine(_root.Path, "data")}", $"--MidirEdge:Models:Path={models}",
            $"--MidirEdge:Adapters:FileWatch:Path={inbox}", "--MidirEdge:Adapters:FileWatch:Include:0=*",
            "--MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200", "--MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.200",
            $"--MidirEdge:Mqtt:Host={_broker.Host}", $"--MidirEdge:Mqtt:Port={_broker.Port}", $"--MidirEdge:Health:Url={url}");
        using var http = new HttpClient();
        await Eventually.True(() => Answers(http, url + "/healthz"));

        using var browser = new HeadlessChromium();
        try
        {
            browser.Driver.Navigate().GoToUrl(url + "/");
            await browser.Until(d => d.FindElement(By.TagName("body")).GetAttribute("data-ready") == "true");
            await browser.Until(d => d.FindElement(By.CssSelector("#pills")).Text.Contains("live", StringComparison.Ordinal));

            var corrupt = Path.Combine(_root.Path, "broken.0");
            File.WriteAllBytes(corrupt, Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1").AsSpan(0, 9000).ToArray());
            Drop(corrupt, inbox);
            Drop(Fixtures.Path("data/opus/BF_lo_01_soil_cal.1"), inbox);

            var result = (await probe.WaitUntilAsync(m => m.Count >= 1))[0].Json;
            var c = result.GetProperty("predictions").EnumerateArray().Single(p => p.GetProperty("target").GetString() == "C");
            var shown = c.GetProperty("value").GetDouble().ToString("F3", CultureInfo.InvariantCulture);
            await browser.Until(d => d.FindElement(By.CssSelector("#results tbody")).Text is var rows
                && rows.Contains("BF_lo_01_soil_cal", StringComparison.Ordinal) && rows.Contains(shown, StringComparison.Ordinal));
            Assert.Contains("C (g/kg)", browser.Driver.FindElement(By.CssSelector("#results thead")).Text, StringComparison.Ordinal);

            var reason = (await File.ReadAllLinesAsync(await Eventually.Async(() => Path.Combine(inbox, "quarantine", "broken.0.error.txt"), File.Exists)))[0];
            await browser.Until(d => d.FindElement(By.CssSelector("#rejected")).Text is var rejected
                && rejected.Contains("broken.0", StringComparison.Ordinal) && rejected.Contains(reason, StringComparison.Ordinal));

            // The spectrum is drawn, and the state panel names the models and counts the cached result.
            await browser.Until(d => d.FindElement(By.CssSelector("#spectra-count")).Text == "1");
            await browser.Until(d => d.FindElement(By.CssSelector("#state")).Text.Contains("PLS of pH", StringComparison.Ordinal));
            await browser.Until(d => d.FindElement(By.CssSelector("#state dd[data-key='cached results']")).Text == "1");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nPage:\n{browser.Driver.FindElement(By.TagName("body")).Text}\nAgent output:\n{agent.Output}", ex);
        }
        finally
        {
            var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            browser.Driver.GetScreenshot().SaveAsFile(screenshot);
            output.WriteLine($"Screenshot: {screenshot}");
        }
        Assert.DoesNotContain(browser.Driver.Manage().Logs.GetLog(LogType.Browser), e => e.Level == LogLevel.Severe);
        await agent.TerminateAsync();
    }

    /// <summary>
    /// A cached result whose predictions carry an interval and a quality (the payload fields of docs/mqtt-payload.md) shows
    /// the interval beside the value and the indicative one in italics.
    /// </summary>
    [Fact]
    public async Task Intervals_and_indicative_predictions_are_shown()
    {
        using var cache = AgentCache.Open(Path.Combine(_root.Path, "cache.db"));
        cache.StoreSpectrum("0123456789abcdef0123456789abcdef", TestData.Spectrum(1));
        cache.StoreResult("r1", """
            {"schema":"midir-edge/result/1","id":"r1","spectrumHash":"0123456789abcdef0123456789abcdef","sampleName":"S-interval",
             "site":"lab","instrument":"alpha","qc":{"passed":true,"flags":[]},"processedUtc":"2026-12-01T08:00:00.000Z","processingMs":9,
             "predictions":[
              {"target":"C","value":12.5,"unit":"g/kg","model":"pls-C","version":"3","inDomain":true,"interval":{"lower":9.6,"upper":15.4,"level":0.9},"quality":"quantitative"},
              {"target":"ex_K","value":182,"unit":"mg/kg","model":"gpr-K","version":"1","inDomain":true,"interval":{"lower":71,"upper":410,"level":0.9},"quality":"indicative"}]}
            """u8.ToArray());
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MidirEdge:Health:Url"] = "http://127.0.0.1:0" });
        builder.Services.AddSingleton(cache);
        builder.Services.AddMidirEdgeHealth(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        using var browser = new HeadlessChromium();

        browser.Driver.Navigate().GoToUrl(host.Services.GetRequiredService<HealthServer>().Address + "");
        await browser.Until(d => d.FindElement(By.TagName("body")).GetAttribute("data-ready") == "true");

        var row = browser.Driver.FindElement(By.CssSelector("#results tbody tr")).Text;
        // The interval sits on its own line under the value.
        Assert.Contains("12.50\n[9.600, 15.40]", row, StringComparison.Ordinal);
        Assert.Contains("182.0\n[71.00, 410.0]", row, StringComparison.Ordinal);
        Assert.Single(browser.Driver.FindElements(By.CssSelector("#results td.indicative")));
        Assert.Equal(2, browser.Driver.FindElements(By.CssSelector("#series .plot")).Count);
        Assert.DoesNotContain(browser.Driver.Manage().Logs.GetLog(LogType.Browser), e => e.Level == LogLevel.Severe);
        await host.StopAsync();
    }

    private static bool Answers(HttpClient http, string url)
    {
        try
        {
            using var response = http.GetAsync(url).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    // Written beside the inbox, then moved in, as instrument software finishes a file.
    private void Drop(string file, string inbox)
    {
        var staged = Path.Combine(_root.Path, "staged-" + Path.GetFileName(file));
        File.Copy(file, staged, overwrite: true);
        File.Move(staged, Path.Combine(inbox, Path.GetFileName(file)));
    }
}
