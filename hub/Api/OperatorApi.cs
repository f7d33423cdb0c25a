using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Metrics;
using EdgeNode.Hub.Specs;
using EdgeNode.Link.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeNode.Hub.Api;

/// <summary>The operator HTTP API (JSON). Every handler passes the caller's scope to the registry.</summary>
public static class OperatorApi
{
    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        static OperatorScope S(HttpContext c) => ApiAuthMiddleware.Scope(c);

        api.MapGet("/summary", (HttpContext c, FleetRegistry f, string? site) => f.Summary(S(c), site))
            .WithSummary("Fleet summary: device counts per status, pending enrollments, sites and slots");

        api.MapGet("/devices", (HttpContext c, FleetRegistry f, string? status, string? site, bool? retired) =>
                f.ListDevices(S(c), new DeviceFilter(ParseStatus(status), string.IsNullOrEmpty(site) ? null : site, ParseLabels(c.Request.Query["label"]), retired ?? false)))
            .WithSummary("List devices; filter by status, site and label=key=value (repeatable)");
        api.MapGet("/devices/{id}", (HttpContext c, FleetRegistry f, string id) => f.GetDevice(S(c), id))
            .WithSummary("One device with its apps and last heartbeat");
        api.MapGet("/devices/{id}/events", (HttpContext c, FleetRegistry f, string id, int? limit) => f.DeviceEvents(S(c), id, limit ?? 100))
            .WithSummary("A device's timeline: agent events and status changes, newest first");
        api.MapGet("/devices/{id}/commands", (HttpContext c, FleetRegistry f, string id) => f.ListCommands(S(c), id))
            .WithSummary("Commands sent to a device and their results");
        api.MapPost("/devices/{id}/identify", (HttpContext c, FleetRegistry f, string id, IdentifyRequest? body) =>
                Results.Accepted(null, f.EnqueueCommand(S(c), id, CommandKind.Identify, "", body?.Seconds ?? 30, 0)))
            .WithSummary("Blink the unit's identify LED pattern for N seconds (delivered with the next heartbeat ack)");
        api.MapPost("/devices/{id}/apps/{app}/{action}", (HttpContext c, FleetRegistry f, string id, string app, string action, AppActionRequest? body) =>
            {
                var kind = action switch
                {
                    "start" => CommandKind.AppStart,
                    "stop" => CommandKind.AppStop,
                    "restart" => CommandKind.AppRestart,
                    "logs" => CommandKind.AppLogs,
                    _ => throw FleetException.Invalid($"unknown app action '{action}' (expected start, stop, restart, logs)"),
                };
                return Results.Accepted(null, f.EnqueueCommand(S(c), id, kind, app, 0, kind == CommandKind.AppLogs ? body?.Lines ?? 100 : 0));
            })
            .WithSummary("App action on a device: start, stop, restart or logs (tail N lines)");
        api.MapPost("/devices/{id}/retire", (HttpContext c, FleetRegistry f, string id, RetireRequest? body) => f.RetireDevice(S(c), id, body?.Reason ?? ""))
            .WithSummary("Revoke a device's key (stolen or scrapped unit) and free its slot");
        api.MapGet("/commands/{id:long}", (HttpContext c, FleetRegistry f, long id) => f.GetCommand(S(c), id))
            .WithSummary("One command and its result");

        api.MapGet("/enrollments", (HttpContext c, FleetRegistry f, string? state) =>
                f.ListEnrollments(S(c), string.IsNullOrEmpty(state) ? null : Enum.TryParse<EnrollmentState>(state, true, out var s) ? s
                    : throw FleetException.Invalid($"unknown enrollment state '{state}' (pending, approved, rejected, closed)")))
            .WithSummary("Enrollment requests (state=pending|approved|rejected|closed)");
        api.MapGet("/enrollments/{id:long}", (HttpContext c, FleetRegistry f, long id) => f.GetEnrollment(S(c), id))
            .WithSummary("One enrollment request");
        api.MapPost("/enrollments/{id:long}/approve", (HttpContext c, FleetRegistry f, long id, ApproveRequest? body) => f.Approve(S(c), id, body?.Slot))
            .WithSummary("Approve a request into a slot (default: its slot hint); a unit already in the slot is retired (swap)");
        api.MapPost("/enrollments/{id:long}/reject", (HttpContext c, FleetRegistry f, long id, RejectRequest? body) => f.Reject(S(c), id, body?.Reason ?? ""))
            .WithSummary("Reject a request");
        api.MapGet("/enrollment-tokens", (HttpContext c, FleetRegistry f) => f.ListEnrollmentTokens(S(c)))
            .WithSummary("Slot-scoped enrollment tokens (without their secrets)");
        api.MapPost("/enrollment-tokens", (HttpContext c, FleetRegistry f, EnrollmentTokenRequest body) =>
                Results.Created((string?)null, f.CreateEnrollmentToken(S(c), body.Slot, TimeSpan.FromHours(body.ValidHours), body.Uses)))
            .WithSummary("Create a slot-scoped enrollment token (shown once): a unit presenting it is approved into the slot");
        api.MapDelete("/enrollment-tokens/{id:long}", (HttpContext c, FleetRegistry f, long id) =>
            {
                f.RevokeEnrollmentToken(S(c), id);
                return Results.NoContent();
            })
            .WithSummary("Revoke an enrollment token");

        api.MapGet("/sites", (HttpContext c, FleetRegistry f) => f.ListSites(S(c))).WithSummary("Sites with slot and device counts");
        api.MapGet("/slots", (HttpContext c, FleetRegistry f, string? site) => f.ListSlots(S(c), string.IsNullOrEmpty(site) ? null : site))
            .WithSummary("Slots with current and previous generation and bound device");
        api.MapGet("/slots/{**path}", (HttpContext c, FleetRegistry f, string path, ulong? generation) => generation is { } g
                ? (object)(f.GetSlotGeneration(S(c), path, g) ?? throw FleetException.NotFound($"generation {g} of slot '{path}'"))
                : f.GetSlot(S(c), path))
            .WithSummary("One slot with its resolved desired state (or ?generation=N for an older one)");

        api.MapGet("/spec", (HttpContext c, FleetRegistry f, string? tenant) =>
            {
                var (revision, files, applied, source) = f.CurrentSpec(S(c), tenant);
                return new { revision, files, applied, source };
            })
            .WithSummary("The spec files in force (latest applied revision)");
        api.MapPost("/spec", (HttpContext c, FleetRegistry f, string? tenant, SpecRequest body) =>
                f.ApplySpec(S(c), tenant, body.Files ?? throw FleetException.Invalid("body needs files: {path: yaml}"), body.Source ?? "api"))
            .WithSummary("Apply a spec (files: relative path → YAML); 400 with file, line and reason when invalid");
        api.MapPost("/spec/reload", (HttpContext c, FleetRegistry f) =>
            {
                var dir = f.Options.SpecDirectory ?? throw FleetException.Invalid("the hub has no --spec-dir configured");
                return f.ApplySpec(S(c), f.Options.SpecTenant, SpecParser.ReadDirectory(dir), "dir:" + dir);
            })
            .WithSummary("Re-read the configured spec directory (e.g. after git pull) and apply it");

        api.MapGet("/tenants", (HttpContext c, FleetRegistry f) => f.ListTenants(S(c))).WithSummary("Tenants visible to the caller");
        api.MapPost("/tenants", (HttpContext c, FleetRegistry f, TenantRequest body) => Results.Created((string?)null, f.CreateTenant(S(c), body.Id, body.Name ?? body.Id)))
            .WithSummary("Create a tenant (admin only)");
        api.MapGet("/tokens", (HttpContext c, OperatorTokens t) => t.List(S(c))).WithSummary("Operator tokens (hashes are never shown)");
        api.MapPost("/tokens", (HttpContext c, OperatorTokens t, TokenRequest body) => Results.Created((string?)null, t.Create(S(c), body.Name, body.Tenant)))
            .WithSummary("Create an operator token (shown once); tenant-scoped or, for admins, fleet-wide");
        api.MapDelete("/tokens/{id:long}", (HttpContext c, OperatorTokens t, long id) =>
            {
                t.Revoke(S(c), id);
                return Results.NoContent();
            })
            .WithSummary("Revoke an operator token");

        app.MapGet("/metrics", (HttpContext c, HubMetricsRenderer r) => Results.Text(r.Render(S(c)), "text/plain; version=0.0.4"))
            .WithSummary("Prometheus metrics (bearer token; tenant tokens see their own tenant's series)");
        app.MapGet("/healthz", () => Results.Text("ok")).WithSummary("Liveness (no token)");
        return app;
    }

    private static DeviceStatus? ParseStatus(string? status) =>
        string.IsNullOrEmpty(status) ? null
        : Enum.TryParse<DeviceStatus>(status, true, out var s) ? s
        : throw FleetException.Invalid($"unknown status '{status}' (online, degraded, offline, unknown, retired)");

    private static Dictionary<string, string>? ParseLabels(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var eq = v?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (eq <= 0)
            {
                throw FleetException.Invalid($"label filter '{v}' is not key=value");
            }

            labels[v![..eq]] = v[(eq + 1)..];
        }

        return labels;
    }
}
