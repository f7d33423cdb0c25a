using EdgeNode.Hub.Alerts;
using EdgeNode.Hub.Api;
using EdgeNode.Hub.Dashboard;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Metrics;
using EdgeNode.Hub.Rollouts;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Hub.Hosting;

/// <summary>Issue 8 wiring: staged rollouts, alerts, their API routes, metrics and the fleet-operations tick.</summary>
public sealed partial class HubHost
{
    public RolloutEngine Rollouts => App.Services.GetRequiredService<RolloutEngine>();

    public AlertEngine Alerts => App.Services.GetRequiredService<AlertEngine>();

    public RolloutTicker FleetOperations => App.Services.GetRequiredService<RolloutTicker>();

    private static void AddFleetOperations(IServiceCollection services)
    {
        services.AddSingleton<RolloutEngine>();
        services.AddSingleton(sp => new AlertEngine(sp.GetRequiredService<FleetRegistry>(), sp.GetRequiredService<RolloutEngine>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AlertEngine>>()));
        services.AddSingleton<IScopedMetricsContributor, FleetOperationsMetrics>();
        services.AddSingleton<RolloutTicker>();
        services.AddHostedService(sp => sp.GetRequiredService<RolloutTicker>());
    }
}

/// <summary>Route registration for issue 8 (kept apart from the hub's own route table).</summary>
internal static class FleetOperationsRoutes
{
    public static WebApplication MapFleetOperations(this WebApplication app)
    {
        app.MapRolloutApi();
        app.MapAlertApi();
        app.MapRolloutDashboard();
        return app;
    }
}
