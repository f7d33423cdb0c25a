using EdgeNode.Hub.Fleet;

namespace EdgeNode.Hub.Metrics;

/// <summary>Renders /metrics for a caller: tenant-labelled fleet gauges limited to its scope; hub-wide counters for admins only.</summary>
public sealed class HubMetricsRenderer(FleetRegistry fleet, HubMetrics metrics, IEnumerable<IMetricsContributor> contributors, IEnumerable<IScopedMetricsContributor> scoped)
{
    public string Render(OperatorScope scope)
    {
        var w = new PrometheusWriter();
        foreach (var ((tenant, status), count) in fleet.CountByTenantAndStatus(scope).OrderBy(k => k.Key.Tenant, StringComparer.Ordinal).ThenBy(k => k.Key.Status))
        {
            w.Gauge("edgenode_hub_devices", "Devices by tenant and status.", count, ("tenant", tenant), ("status", status.ToString().ToLowerInvariant()));
        }

        var summary = fleet.Summary(scope);
        w.Gauge("edgenode_hub_enrollments_pending", "Enrollment requests waiting for approval (visible to the caller).", summary.PendingEnrollments);
        w.Gauge("edgenode_hub_slots", "Slots declared by the applied specs (visible to the caller).", summary.Slots);
        foreach (var c in scoped)
        {
            c.Write(w, scope);
        }

        if (!scope.IsAdmin)
        {
            return w.ToString();
        }

        w.Counter("edgenode_hub_heartbeats_total", "Heartbeats received and acknowledged.", metrics.Heartbeats);
        w.Counter("edgenode_hub_events_stored_total", "Agent events stored (first time per device and sequence).", metrics.EventsStored);
        w.Counter("edgenode_hub_events_duplicate_total", "Agent events received again and ignored (resend after a lost ack).", metrics.EventsDuplicate);
        w.Counter("edgenode_hub_enroll_requests_total", "POST /enroll requests.", metrics.EnrollRequests);
        w.Counter("edgenode_hub_device_requests_rejected_total", "Device requests refused (unknown, retired or wrong identity).", metrics.RejectedRequests);
        w.Counter("edgenode_hub_malformed_payloads_total", "Device requests answered 4.00 (malformed or invalid protobuf).", metrics.MalformedPayloads);
        w.Counter("edgenode_hub_status_changes_total", "Device status changes recorded.", metrics.StatusChanges);
        w.Counter("edgenode_hub_commands_delivered_total", "Operator commands sent in heartbeat acks (including redeliveries).", metrics.CommandsDelivered);
        w.Counter("edgenode_hub_store_flushes_total", "Batched heartbeat flushes to SQLite.", metrics.Flushes);
        w.Counter("edgenode_hub_store_flushed_rows_total", "Device health rows written by batched flushes.", metrics.FlushedRows);
        foreach (var c in contributors)
        {
            c.Write(w);
        }

        using var process = System.Diagnostics.Process.GetCurrentProcess();
        w.Gauge("process_resident_memory_bytes", "Resident memory of the hub process.", process.WorkingSet64);
        w.Gauge("edgenode_hub_registered_devices", "Devices in the registry, including retired ones.", fleet.DeviceCount);
        return w.ToString();
    }
}
