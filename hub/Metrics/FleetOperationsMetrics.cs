using EdgeNode.Hub.Alerts;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Rollouts;

namespace EdgeNode.Hub.Metrics;

/// <summary>/metrics for rollouts and alerts, per tenant (issue 8). Fleet-wide alert rules' series carry tenant="".</summary>
public sealed class FleetOperationsMetrics(FleetRegistry fleet, RolloutEngine rollouts, AlertEngine alerts) : IScopedMetricsContributor
{
    public void Write(PrometheusWriter w, OperatorScope scope)
    {
        var counts = rollouts.CountByTenantAndState(scope);
        foreach (var tenant in fleet.ListTenants(scope))
        {
            foreach (var state in Enum.GetValues<RolloutState>())
            {
                w.Gauge("edgenode_hub_rollouts", "Rollouts by tenant and state (halted = stopped by a failed health gate with auto-rollback off).",
                    counts.GetValueOrDefault((tenant.Id, state)), ("tenant", tenant.Id), ("state", state.ToString().ToLowerInvariant()));
            }
        }

        var firing = alerts.Firing(scope).GroupBy(a => (a.Tenant ?? "", a.Kind)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var tenant in fleet.ListTenants(scope))
        {
            foreach (var kind in Enum.GetValues<AlertKind>())
            {
                w.Gauge("edgenode_hub_alerts_firing", "Alerts firing now, by tenant and rule kind.", firing.GetValueOrDefault((tenant.Id, AlertKinds.Name(kind))),
                    ("tenant", tenant.Id), ("kind", AlertKinds.Name(kind)));
            }
        }

        var deliveries = alerts.DeliveryCounts().Where(d => scope.CanSee(d.Tenant)).ToDictionary(d => (d.Tenant ?? "", d.State), d => d.Count);
        foreach (var tenant in fleet.ListTenants(scope).Select(t => t.Id).Concat(scope.IsAdmin ? [""] : []))
        {
            foreach (var state in new[] { "Pending", "Delivered", "Failed" })
            {
                w.Gauge("edgenode_hub_alert_deliveries", "Alert webhook deliveries by tenant and state (failed = retries exhausted).",
                    deliveries.GetValueOrDefault((tenant, state)), ("tenant", tenant), ("state", state.ToLowerInvariant()));
            }
        }
    }
}
