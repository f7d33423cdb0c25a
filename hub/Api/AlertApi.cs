using EdgeNode.Hub.Alerts;
using EdgeNode.Hub.Fleet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeNode.Hub.Api;

/// <summary>Alert rules, firing alerts and webhook delivery records over HTTP (scoped by tenant like everything else).</summary>
public static class AlertApi
{
    public static IEndpointRouteBuilder MapAlertApi(this IEndpointRouteBuilder app)
    {
        static OperatorScope S(HttpContext c) => ApiAuthMiddleware.Scope(c);

        app.MapGet("/api/alerts", (HttpContext c, AlertEngine e) => e.Firing(S(c))).WithSummary("Alerts firing now");
        app.MapGet("/api/alerts/rules", (HttpContext c, AlertEngine e) => e.ListRules(S(c))).WithSummary("Alert rules");
        app.MapPost("/api/alerts/rules", (HttpContext c, AlertEngine e, AlertRuleRequest body) => Results.Created((string?)null, e.CreateRule(S(c), body)))
            .WithSummary("Create a rule: kind (device-offline, device-degraded, app-failed, rollout-halted), thresholdSeconds, webhookUrl");
        app.MapDelete("/api/alerts/rules/{id:long}", (HttpContext c, AlertEngine e, long id) =>
            {
                e.DeleteRule(S(c), id);
                return Results.NoContent();
            })
            .WithSummary("Delete an alert rule");
        app.MapGet("/api/alerts/deliveries", (HttpContext c, AlertEngine e, string? state, int? limit) => e.Deliveries(S(c), string.IsNullOrEmpty(state) ? null : state, limit ?? 200))
            .WithSummary("Webhook deliveries (state=pending|delivered|failed): failed ones are the record of alerts that did not get through");
        return app;
    }
}
