namespace EdgeNode.Hub.Store;

/// <summary>
/// Data directories created before issue 8 landed hold placeholder rollout/alert tables ("schema only", never
/// written) with fewer columns. They are dropped and recreated from <see cref="HubSchema.Sql"/>; a table that
/// holds rows is never dropped (the hub then refuses to start with a clear reason).
/// </summary>
internal static class FleetOperationsSchema
{
    private static readonly (string Table, string Column)[] Required =
    [
        ("rollouts", "auto_rollback"), ("rollout_slots", "baseline"), ("alert_rules", "created_by"), ("alert_deliveries", "next_ms"),
    ];

    private const string Index = "CREATE INDEX IF NOT EXISTS alert_deliveries_due ON alert_deliveries(state, next_ms);";

    public static void Upgrade(HubStore store)
    {
        var outdated = Required.Where(r => !store.Query($"PRAGMA table_info({r.Table})", x => x.GetString(1)).Contains(r.Column)).Select(r => r.Table).ToList();
        if (outdated.Count == 0)
        {
            store.Exec(Index);
            return;
        }

        foreach (var table in new[] { "rollout_slots", "rollouts", "alert_deliveries", "alert_firing", "alert_rules" })
        {
            if (store.Scalar($"SELECT COUNT(*) FROM {table}") is long n && n > 0 && outdated.Contains(table))
            {
                throw new InvalidOperationException($"hub database {store.DatabasePath}: table {table} has an old layout and holds {n} row(s); it cannot be upgraded in place");
            }
        }

        store.Transaction(tx =>
        {
            foreach (var table in new[] { "rollout_slots", "rollouts", "alert_deliveries", "alert_firing", "alert_rules" })
            {
                tx.Exec($"DROP TABLE IF EXISTS {table}");
            }

            tx.Exec(HubSchema.Sql);
            tx.Exec(Index);
        });
    }
}
