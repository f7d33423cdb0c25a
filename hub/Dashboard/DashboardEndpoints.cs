using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeNode.Hub.Dashboard;

/// <summary>Serves the single-page dashboard (HTML, CSS and JS inline, embedded in the assembly; no CDN).</summary>
public static class DashboardEndpoints
{
    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("EdgeNode.Hub.Dashboard.index.html")
            ?? throw new InvalidOperationException("dashboard resource EdgeNode.Hub.Dashboard.index.html is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8")).WithSummary("Dashboard (the shell needs no token; its data calls do)");
        return app;
    }
}
