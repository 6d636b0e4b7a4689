using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace MidirEdge.Agent;

/// <summary>The agent's host builder, configured as the shipped executable configures it.</summary>
public static class AgentHost
{
    /// <summary>
    /// A host builder with the whole agent registered, configured from appsettings.json beside the binary,
    /// <paramref name="defaults"/>, the <paramref name="configFile"/>, environment variables, then the command line.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string? configFile, IEnumerable<KeyValuePair<string, string?>> defaults, string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = "midir-edge",
        });
        var configuration = builder.Configuration;
        configuration.AddInMemoryCollection(defaults);
        if (configFile is not null) configuration.AddJsonFile(configFile, optional: false);
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
        builder.Services.AddMidirEdgeAgent(configuration);
        return builder;
    }
}
