using System.Security.Cryptography;
using System.Text;
using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Fleet;
using EdgeNode.Link.Contracts;
using Microsoft.Data.Sqlite;

namespace EdgeNode.Hub.Store;

/// <summary>
/// Writes N approved devices (one site "load", one slot each, one shared desired state) straight into a hub
/// data directory, for the load generator and the benchmarks. Device i is "lg-{i:D6}" with key <see cref="KeyOf"/>.
/// Never used by the running hub.
/// </summary>
public static class LoadTestSeeder
{
    public const string Site = "load";

    public static string IdOf(int i) => $"lg-{i:D6}";

    /// <summary>A deterministic per-device key, so the load generator can handshake without reading the store.</summary>
    public static byte[] KeyOf(string deviceId) => SHA256.HashData(Encoding.UTF8.GetBytes("edgenode-loadgen:" + deviceId))[..16];

    public static void Seed(string dataDirectory, int devices)
    {
        using var store = HubStore.Open(dataDirectory);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var state = new DesiredState
        {
            Generation = 1,
            Apps =
            {
                new AppSpec { Name = "web", Image = "registry.local/web:1.0", Priority = PriorityClass.Critical, MemoryLimitBytes = 64 << 20 },
                new AppSpec { Name = "mqtt", Image = "registry.local/mqtt:2.1" },
            },
        };
        var stateBytes = HubStore.ToBytes(state);
        var capacity = HubStore.ToBytes(new Capacity { MemoryMb = 2048, CpuMillis = 2000, DiskMb = 16000 });
        store.Exec("INSERT OR IGNORE INTO tenants(id,name,created_ms) VALUES($i,$i,$m)", ("$i", FleetDefaults.DefaultTenant), ("$m", now));
        store.Exec("INSERT OR IGNORE INTO sites(name,tenant_id,groups,labels,created_ms) VALUES($s,$t,'[]','{}',$m)",
            ("$s", Site), ("$t", FleetDefaults.DefaultTenant), ("$m", now));
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store.DatabasePath }.ToString());
        conn.Open();
        using var tx = conn.BeginTransaction();
        using var slot = Prepare(conn, tx, "INSERT OR IGNORE INTO slots(path,site,labels,current_gen,previous_gen,latest_gen,device_id) VALUES($p,$s,$l,1,0,1,$d)", "$p", "$s", "$l", "$d");
        using var gen = Prepare(conn, tx, "INSERT OR IGNORE INTO slot_generations(slot,generation,state,spec_revision,created_ms) VALUES($p,1,$b,NULL,$m)", "$p", "$b", "$m");
        using var enr = Prepare(conn, tx, """
            INSERT INTO enrollments(hardware_id,model,memory_mb,cpu_millis,disk_mb,slot_hint,agent_version,enroll_identity,state,device_id,slot,reason,tenant_id,created_ms,updated_ms,last_seen_ms)
            VALUES($h,'ipc-2000',2048,2000,16000,'','loadgen','',$st,$d,$p,'seeded',$t,$m,$m,$m)
            """, "$h", "$st", "$d", "$p", "$t", "$m");
        using var dev = Prepare(conn, tx, """
            INSERT OR IGNORE INTO devices(id,hardware_id,model,capacity,psk,enrollment_id,slot,created_ms,claimed)
            VALUES($d,$h,'ipc-2000',$c,$k,last_insert_rowid(),$p,$m,1)
            """, "$d", "$h", "$c", "$k", "$p", "$m");
        for (var i = 0; i < devices; i++)
        {
            var id = IdOf(i);
            var path = $"{Site}/line{i / 100:D4}/cell{i % 100:D2}";
            Run(slot, path, Site, $"{{\"site\":\"{Site}\"}}", id);
            Run(gen, path, stateBytes, now);
            Run(enr, "hw-" + id, (int)EnrollmentState.Closed, id, path, FleetDefaults.DefaultTenant, now);
            Run(dev, id, "hw-" + id, capacity, KeyOf(id), path, now);
        }

        tx.Commit();
    }

    private static SqliteCommand Prepare(SqliteConnection conn, SqliteTransaction tx, string sql, params string[] names)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var n in names)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
        }

        return cmd;
    }

    private static void Run(SqliteCommand cmd, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i];
        }

        cmd.ExecuteNonQuery();
    }
}
