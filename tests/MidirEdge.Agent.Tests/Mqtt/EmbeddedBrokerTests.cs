using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MidirEdge.Agent.Cache;
using MidirEdge.Agent.Delivery;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Mqtt;

/// <summary>The host wired by <see cref="DeliveryServiceCollectionExtensions.AddMidirEdgeDelivery"/> with no broker configured.</summary>
public sealed class EmbeddedBrokerTests : IDisposable
{
    private readonly TempDirectory _dir = new("embedded");

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    /// <summary>With <c>MidirEdge:Mqtt:Host</c> empty the agent hosts a broker; a plain subscriber receives results and the status.</summary>
    [Fact]
    public async Task Without_a_configured_broker_the_agent_hosts_one_and_a_subscriber_receives_results()
    {
        var port = Ports.Free();
        using var host = BuildHost(new()
        {
            ["MidirEdge:Site"] = "farm",
            ["MidirEdge:Instrument"] = "ftir2",
            ["MidirEdge:DataDir"] = _dir.Path,
            ["MidirEdge:Mqtt:Host"] = "",
            ["MidirEdge:Mqtt:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await host.StartAsync();
        Assert.True(host.Services.GetServices<IHostedService>().OfType<EmbeddedBroker>().Single().IsRunning);

        await using var subscriber = await MqttProbe.ConnectAsync("127.0.0.1", port, "midir/farm/ftir2/#");
        var delivery = host.Services.GetRequiredService<ResultDelivery>();
        var spectrum = TestData.Spectrum(7);
        var result = TestData.Conclusion(spectrum);
        delivery.Submit([(result, spectrum)]);

        var received = await subscriber.WaitUntilAsync(m => m.Any(x => x.Topic == "midir/farm/ftir2/result"));
        Assert.Equal(result.Id, received.First(x => x.Topic == "midir/farm/ftir2/result").Json.GetProperty("id").GetString());

        // The status went out (and was acknowledged) before the result, so a new subscriber finds it retained.
        await using var late = await MqttProbe.ConnectAsync("127.0.0.1", port, "midir/farm/ftir2/status");
        var status = (await late.WaitUntilAsync(m => m.Count > 0))[0];
        Assert.True(status.Retain);
        Assert.Equal("online", status.Json.GetProperty("state").GetString());
        var cache = host.Services.GetRequiredService<AgentCache>();
        Assert.Equal(Path.Combine(_dir.Path, "midir-edge.db"), cache.Path);
        await Eventually.True(() => cache.Outbox.Depth == 0);
        Assert.NotNull(cache.FindSpectrum(result.SpectrumHash));
        Assert.NotNull(cache.FindResult(result.Id));
        await host.StopAsync();
    }

    /// <summary>Bad settings stop the host at start with messages naming the keys.</summary>
    [Theory]
    [InlineData("MidirEdge:Site", "a/b", "MidirEdge:Site")]
    [InlineData("MidirEdge:Instrument", "", "MidirEdge:Instrument")]
    [InlineData("MidirEdge:Mqtt:Port", "70000", "MidirEdge:Mqtt:Port")]
    [InlineData("MidirEdge:Mqtt:Qos", "0", "MidirEdge:Mqtt:Qos")]
    [InlineData("MidirEdge:Mqtt:Topic", "midir/#", "MidirEdge:Mqtt:Topic")]
    [InlineData("MidirEdge:Mqtt:CaFile", "/nonexistent/ca.pem", "MidirEdge:Mqtt:CaFile")]
    [InlineData("MidirEdge:Mqtt:EmbeddedPassword", "s3cret", "MidirEdge:Mqtt:EmbeddedPassword")]
    [InlineData("MidirEdge:Mqtt:EmbeddedUsername", "dashboard", "MidirEdge:Mqtt:EmbeddedUsername")]
    [InlineData("MidirEdge:Mqtt:EmbeddedCertificateFile", "/nonexistent/server.pem", "MidirEdge:Mqtt:EmbeddedCertificateFile")]
    [InlineData("MidirEdge:Mqtt:EmbeddedKeyFile", "/nonexistent/server.key", "MidirEdge:Mqtt:EmbeddedKeyFile")]
    [InlineData("MidirEdge:Cache:MaxSizeMegabytes", "0", "MidirEdge:Cache:MaxSizeMegabytes")]
    public async Task Invalid_settings_fail_at_start_naming_the_key(string key, string value, string named)
    {
        using var host = BuildHost(new()
        {
            ["MidirEdge:DataDir"] = _dir.Path,
            ["MidirEdge:Mqtt:Port"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [key] = value,
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var failures = (error is AggregateException all ? all.InnerExceptions : [error])
            .Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
        Assert.Contains(failures, f => f.StartsWith(named, StringComparison.Ordinal));
    }

    internal static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMidirEdgeDelivery(builder.Configuration);
        return builder.Build();
    }
}
