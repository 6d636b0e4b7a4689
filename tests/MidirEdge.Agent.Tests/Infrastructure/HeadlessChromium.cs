using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>Debian's chromium, headless, driven through chromium-driver with a fresh profile; quit on dispose.</summary>
public sealed class HeadlessChromium : IDisposable
{
    /// <summary>The browser (Debian package <c>chromium</c>).</summary>
    public const string BrowserPath = "/usr/bin/chromium";

    /// <summary>The driver (Debian package <c>chromium-driver</c>).</summary>
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly TempDirectory _profile = new("chromium");

    /// <summary>Starts the browser with a window of <paramref name="width"/> × <paramref name="height"/> CSS pixels.</summary>
    public HeadlessChromium(int width = 1280, int height = 1600)
    {
        if (!File.Exists(BrowserPath) || !File.Exists(DriverPath))
            throw new InvalidOperationException($"{BrowserPath} or {DriverPath} not found; install them with 'apt-get install -y chromium chromium-driver'.");
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        // No network beyond the test's loopback: no first-run, sync, component updates or QUIC probing.
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
            $"--user-data-dir={_profile.Path}", $"--window-size={width},{height}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>The WebDriver session.</summary>
    public ChromeDriver Driver { get; }

    /// <summary>Polls until <paramref name="condition"/> holds on the page, failing after the usual guard with the page text.</summary>
    public Task Until(Func<IWebDriver, bool> condition) =>
        Eventually.True(() =>
        {
            try { return condition(Driver); }
            catch (WebDriverException) { return false; }
        });

    /// <summary>Quits the browser and deletes its profile.</summary>
    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        _profile.Dispose();
    }
}
