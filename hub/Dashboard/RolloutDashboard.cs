using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeNode.Hub.Dashboard;

/// <summary>The rollouts page of the dashboard (same sign-in token as the fleet page; no CDN).</summary>
public static class RolloutDashboard
{
    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(RolloutDashboard).Assembly.GetManifestResourceStream("EdgeNode.Hub.Dashboard.rollouts.html")
            ?? throw new InvalidOperationException("dashboard resource EdgeNode.Hub.Dashboard.rollouts.html is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IEndpointRouteBuilder MapRolloutDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/rollouts", () => Results.Content(Page.Value, "text/html; charset=utf-8")).WithSummary("Dashboard: rollouts wave by wave (the shell needs no token)");
        return app;
    }
}
