using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Rollouts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeNode.Hub.Api;

/// <summary>Staged rollouts over HTTP. Another tenant's rollout is 404.</summary>
public static class RolloutApi
{
    public static IEndpointRouteBuilder MapRolloutApi(this IEndpointRouteBuilder app)
    {
        static OperatorScope S(HttpContext c) => ApiAuthMiddleware.Scope(c);

        app.MapGet("/api/rollouts", (HttpContext c, RolloutEngine e, string? state) => e.List(S(c), string.IsNullOrEmpty(state) ? null
                : Enum.TryParse<RolloutState>(state, true, out var s) ? s
                : throw FleetException.Invalid($"unknown rollout state '{state}' (running, paused, halted, completed, aborted, rolledback)")))
            .WithSummary("Rollouts (newest first), optionally by state");
        app.MapPost("/api/rollouts", (HttpContext c, RolloutEngine e, RolloutRequest body) => Results.Created((string?)null, e.Create(S(c), body)))
            .WithSummary("Apply a spec as a staged rollout: waves (1, 10%, rest), selector (site, labels, slots), soakSeconds, autoRollback");
        app.MapGet("/api/rollouts/{id:long}", (HttpContext c, RolloutEngine e, long id) => e.Get(S(c), id))
            .WithSummary("One rollout, wave by wave, with every slot's state");
        app.MapPost("/api/rollouts/{id:long}/pause", (HttpContext c, RolloutEngine e, long id) => e.Pause(S(c), id)).WithSummary("Pause: no further wave starts (the gate still watches)");
        app.MapPost("/api/rollouts/{id:long}/resume", (HttpContext c, RolloutEngine e, long id) => e.Resume(S(c), id)).WithSummary("Resume a paused rollout");
        app.MapPost("/api/rollouts/{id:long}/abort", (HttpContext c, RolloutEngine e, long id) => e.Abort(S(c), id)).WithSummary("Abort: no further waves; updated slots keep the new generation");
        app.MapPost("/api/rollouts/{id:long}/rollback", (HttpContext c, RolloutEngine e, long id) => e.Rollback(S(c), id))
            .WithSummary("Move every slot this rollout updated back to its previous generation");
        return app;
    }
}
