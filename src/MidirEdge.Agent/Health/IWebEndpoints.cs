using Microsoft.AspNetCore.Builder;

namespace MidirEdge.Agent.Health;

/// <summary>Endpoints served beside <c>/healthz</c> and <c>/metrics</c> (the dashboard), so the health server need not know them.</summary>
public interface IWebEndpoints
{
    /// <summary>Maps the endpoints onto <paramref name="app"/>; <paramref name="health"/> gives the current health report.</summary>
    void Map(WebApplication app, Func<HealthReport> health);
}
