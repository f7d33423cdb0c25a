namespace EdgeNode.Hub.Store;

/// <summary>
/// The SQLite schema (version 2; <see cref="HubStore"/> migrates a version-1 database in place). Ownership runs tenant → site → slot → device, so every operator query can be
/// scoped by tenant through the site. Slots keep their current and previous generation (rollouts, issue 8);
/// rollouts, rollout_slots and the alert tables serve issue 8.
/// </summary>
internal static class HubSchema
{
    public const int Version = 2;

    /// <summary>Version 1 → 2: the boot reason of a device's latest registration (a <c>BootReason</c> value).</summary>
    public const string MigrateFrom1 = "ALTER TABLE devices ADD COLUMN boot_reason INTEGER NOT NULL DEFAULT 0;";

    /// <summary>The version record's table, created first: <see cref="HubStore"/> reads the version before it migrates.</summary>
    public const string MetaSql = "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);";

    public const string Sql = $$"""
        {{MetaSql}}
        CREATE TABLE IF NOT EXISTS tenants(
            id TEXT PRIMARY KEY, name TEXT NOT NULL, created_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS operator_tokens(
            id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
            tenant_id TEXT REFERENCES tenants(id),           -- NULL = fleet-wide admin
            token_hash TEXT NOT NULL UNIQUE,                 -- SHA-256 hex of the token; the token itself is never stored
            created_ms INTEGER NOT NULL, revoked_ms INTEGER);
        CREATE TABLE IF NOT EXISTS spec_revisions(
            id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL REFERENCES tenants(id),
            files TEXT NOT NULL,                             -- JSON {relative path: YAML text}
            source TEXT NOT NULL, applied_by TEXT NOT NULL, applied_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS sites(
            name TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
            groups TEXT NOT NULL, labels TEXT NOT NULL, created_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS slots(
            path TEXT PRIMARY KEY, site TEXT NOT NULL REFERENCES sites(name),
            labels TEXT NOT NULL, in_spec INTEGER NOT NULL DEFAULT 1,
            current_gen INTEGER NOT NULL DEFAULT 0, previous_gen INTEGER NOT NULL DEFAULT 0,
            latest_gen INTEGER NOT NULL DEFAULT 0, device_id TEXT);
        CREATE TABLE IF NOT EXISTS slot_generations(
            slot TEXT NOT NULL REFERENCES slots(path), generation INTEGER NOT NULL,
            state BLOB NOT NULL,                             -- protobuf DesiredState
            spec_revision INTEGER, created_ms INTEGER NOT NULL,
            PRIMARY KEY(slot, generation)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS devices(
            id TEXT PRIMARY KEY, hardware_id TEXT NOT NULL, model TEXT NOT NULL, capacity BLOB,
            psk BLOB NOT NULL, enrollment_id INTEGER NOT NULL, slot TEXT REFERENCES slots(path),
            created_ms INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0, retired_ms INTEGER NOT NULL DEFAULT 0,
            retired_reason TEXT NOT NULL DEFAULT '', claimed INTEGER NOT NULL DEFAULT 0,
            agent_version TEXT NOT NULL DEFAULT '', boot_count INTEGER NOT NULL DEFAULT 0, registered_ms INTEGER NOT NULL DEFAULT 0,
            boot_reason INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS devices_slot ON devices(slot);
        CREATE TABLE IF NOT EXISTS device_health(
            device_id TEXT PRIMARY KEY REFERENCES devices(id), status INTEGER NOT NULL, status_since_ms INTEGER NOT NULL,
            last_hb_ms INTEGER NOT NULL, heartbeat BLOB, report BLOB, hb_count INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS status_events(
            id INTEGER PRIMARY KEY AUTOINCREMENT, device_id TEXT NOT NULL, time_ms INTEGER NOT NULL,
            from_status INTEGER NOT NULL, to_status INTEGER NOT NULL, reason TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS status_events_device ON status_events(device_id, time_ms);
        CREATE TABLE IF NOT EXISTS device_events(
            device_id TEXT NOT NULL, seq INTEGER NOT NULL, time_ms INTEGER NOT NULL, kind INTEGER NOT NULL,
            app TEXT NOT NULL, detail TEXT NOT NULL, received_ms INTEGER NOT NULL,
            PRIMARY KEY(device_id, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS enrollments(
            id INTEGER PRIMARY KEY AUTOINCREMENT, hardware_id TEXT NOT NULL, model TEXT NOT NULL,
            memory_mb INTEGER NOT NULL, cpu_millis INTEGER NOT NULL, disk_mb INTEGER NOT NULL,
            slot_hint TEXT NOT NULL, agent_version TEXT NOT NULL, enroll_identity TEXT NOT NULL,
            state INTEGER NOT NULL, device_id TEXT, slot TEXT, reason TEXT NOT NULL, tenant_id TEXT,
            created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS enrollments_hw ON enrollments(hardware_id);
        CREATE TABLE IF NOT EXISTS enrollment_tokens(
            id INTEGER PRIMARY KEY AUTOINCREMENT, slot TEXT NOT NULL REFERENCES slots(path),
            token_hash TEXT NOT NULL UNIQUE, created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL,
            uses_left INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0, created_by TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS commands(
            id INTEGER PRIMARY KEY AUTOINCREMENT, device_id TEXT NOT NULL, kind INTEGER NOT NULL, app TEXT NOT NULL,
            duration_s INTEGER NOT NULL, tail_lines INTEGER NOT NULL, state INTEGER NOT NULL,
            created_ms INTEGER NOT NULL, delivered_ms INTEGER NOT NULL DEFAULT 0, completed_ms INTEGER NOT NULL DEFAULT 0,
            ok INTEGER NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '', output TEXT NOT NULL DEFAULT '',
            requested_by TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS commands_device ON commands(device_id, state);
        -- issue 8: staged rollouts (state survives a restart) and alerts.
        CREATE TABLE IF NOT EXISTS rollouts(
            id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL REFERENCES tenants(id),
            spec_revision INTEGER NOT NULL REFERENCES spec_revisions(id), state TEXT NOT NULL,
            waves TEXT NOT NULL,                             -- JSON ["1","10%","rest"] (sizes actually used)
            selector TEXT NOT NULL, soak_s REAL NOT NULL, current_wave INTEGER NOT NULL,
            auto_rollback INTEGER NOT NULL DEFAULT 1, wave_started_ms INTEGER NOT NULL DEFAULT 0, paused_ms INTEGER NOT NULL DEFAULT 0,
            halt_reason TEXT NOT NULL DEFAULT '', created_by TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS rollout_slots(
            rollout_id INTEGER NOT NULL REFERENCES rollouts(id), slot TEXT NOT NULL REFERENCES slots(path),
            wave INTEGER NOT NULL, from_gen INTEGER NOT NULL, to_gen INTEGER NOT NULL, state TEXT NOT NULL,
            apps TEXT NOT NULL DEFAULT '[]',                 -- JSON: apps the new generation changes (the gate watches these)
            baseline TEXT NOT NULL DEFAULT '{}',             -- JSON {app: lowest restart count seen since the wave started}
            device_id TEXT, detail TEXT NOT NULL DEFAULT '',
            updated_ms INTEGER NOT NULL, PRIMARY KEY(rollout_id, slot)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS alert_rules(
            id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT REFERENCES tenants(id), kind TEXT NOT NULL,
            threshold_s REAL NOT NULL, webhook_url TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS alert_firing(
            rule_id INTEGER NOT NULL REFERENCES alert_rules(id), subject TEXT NOT NULL, tenant_id TEXT, summary TEXT NOT NULL,
            since_ms INTEGER NOT NULL, PRIMARY KEY(rule_id, subject)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS alert_deliveries(
            id INTEGER PRIMARY KEY AUTOINCREMENT, rule_id INTEGER NOT NULL REFERENCES alert_rules(id), tenant_id TEXT,
            url TEXT NOT NULL, body TEXT NOT NULL, attempts INTEGER NOT NULL, state TEXT NOT NULL, last_error TEXT NOT NULL,
            next_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
        -- (the alert_deliveries index is created by FleetOperationsSchema, after upgrading placeholder tables)
        """;
}
