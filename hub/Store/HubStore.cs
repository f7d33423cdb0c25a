using System.Buffers;
using System.Text.Json;
using EdgeNode.Hub.Fleet;
using EdgeNode.Link.Contracts;
using Microsoft.Data.Sqlite;

namespace EdgeNode.Hub.Store;

/// <summary>
/// The hub's SQLite store (WAL, synchronous=FULL) under the data directory. One writer connection, serialized by
/// a lock; every public write is one transaction. Reads that the registry does not keep in memory (events,
/// command history, spec revisions) use short-lived pooled connections.
/// </summary>
public sealed class HubStore : IDisposable
{
    private readonly SqliteConnection _conn;
    private readonly object _gate = new();
    private readonly string _connectionString;
    private SqliteTransaction? _tx;

    private HubStore(string path)
    {
        DatabasePath = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        _conn = new SqliteConnection(_connectionString);
        _conn.Open();
        Exec("PRAGMA journal_mode=WAL;");
        Exec("PRAGMA synchronous=FULL;");
        Exec("PRAGMA foreign_keys=ON;");
        Exec("PRAGMA busy_timeout=5000;");
        // An existing table keeps its columns through CREATE TABLE IF NOT EXISTS: read the version first, migrate, then
        // create whatever is missing.
        Exec(HubSchema.MetaSql);
        var version = GetMeta("schema_version");
        string current = HubSchema.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (version == "1")
        {
            Transaction(tx =>
            {
                tx.Exec(HubSchema.MigrateFrom1);
                tx.SetMeta("schema_version", current);
            });
            version = current;
        }
        else if (version is not null && version != current)
        {
            throw new InvalidOperationException($"hub database {path} has schema version {version}; this hub knows versions 1 and {HubSchema.Version}");
        }

        Exec(HubSchema.Sql);
        if (version is null)
        {
            SetMeta("schema_version", current);
        }
    }

    public string DatabasePath { get; }

    public static HubStore Open(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        return new HubStore(Path.Combine(dataDirectory, "hub.db"));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _conn.Dispose();
        }

        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }

    /// <summary>Runs <paramref name="body"/> in one transaction (all or nothing).</summary>
    public void Transaction(Action<HubStore> body)
    {
        lock (_gate)
        {
            _tx = _conn.BeginTransaction();
            try
            {
                body(this);
                _tx.Commit();
            }
            catch
            {
                _tx.Rollback();
                throw;
            }
            finally
            {
                _tx.Dispose();
                _tx = null;
            }
        }
    }

    public int Exec(string sql, params (string Name, object? Value)[] args)
    {
        lock (_gate)
        {
            using var cmd = Command(_conn, sql, args);
            cmd.Transaction = _tx;
            return cmd.ExecuteNonQuery();
        }
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] args)
    {
        lock (_gate)
        {
            using var cmd = Command(_conn, sql, args);
            cmd.Transaction = _tx;
            var value = cmd.ExecuteScalar();
            return value is DBNull ? null : value;
        }
    }

    /// <summary>A read on its own connection (does not block the writer under WAL).</summary>
    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] args)
    {
        using var conn = new SqliteConnection(_connectionString);
        conn.Open();
        using var cmd = Command(conn, sql, args);
        using var reader = cmd.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }

    private static SqliteCommand Command(SqliteConnection conn, string sql, (string Name, object? Value)[] args)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    public string? GetMeta(string key) => Scalar("SELECT value FROM meta WHERE key=$k", ("$k", key)) as string;

    public void SetMeta(string key, string value) =>
        Exec("INSERT INTO meta(key,value) VALUES($k,$v) ON CONFLICT(key) DO UPDATE SET value=excluded.value", ("$k", key), ("$v", value));

    // ---------- serialization helpers ----------

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_writer;

    /// <summary>Serializes a contract message (a per-thread scratch buffer keeps the hot path to one allocation).</summary>
    public static byte[] ToBytes<T>(T message)
    {
        var writer = t_writer ??= new ArrayBufferWriter<byte>(256);
        writer.ResetWrittenCount();
        LinkContracts.Instance.Serialize(writer, message);
        return writer.WrittenSpan.ToArray();
    }

    public static T FromBytes<T>(byte[] bytes) => LinkContracts.Instance.Deserialize<T>((ReadOnlyMemory<byte>)bytes);

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value);

    public static T FromJson<T>(string json) => JsonSerializer.Deserialize<T>(json)!;

    // ---------- heartbeat flush (the only batched write) ----------

    /// <summary>Writes the health of many devices and the status changes in one transaction.</summary>
    public void FlushHealth(IReadOnlyList<HealthRow> rows, IReadOnlyList<StatusChange> changes)
    {
        if (rows.Count == 0 && changes.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            using var tx = _conn.BeginTransaction();
            using (var cmd = _conn.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = """
                    INSERT INTO device_health(device_id,status,status_since_ms,last_hb_ms,heartbeat,report,hb_count)
                    VALUES($d,$s,$ss,$hb,$h,$r,$c)
                    ON CONFLICT(device_id) DO UPDATE SET status=excluded.status, status_since_ms=excluded.status_since_ms,
                      last_hb_ms=excluded.last_hb_ms, heartbeat=excluded.heartbeat,
                      report=COALESCE(excluded.report, device_health.report), hb_count=excluded.hb_count
                    """;
                var d = cmd.Parameters.Add("$d", SqliteType.Text);
                var s = cmd.Parameters.Add("$s", SqliteType.Integer);
                var ss = cmd.Parameters.Add("$ss", SqliteType.Integer);
                var hb = cmd.Parameters.Add("$hb", SqliteType.Integer);
                var h = cmd.Parameters.Add("$h", SqliteType.Blob);
                var r = cmd.Parameters.Add("$r", SqliteType.Blob);
                var c = cmd.Parameters.Add("$c", SqliteType.Integer);
                cmd.Prepare();
                foreach (var row in rows)
                {
                    d.Value = row.DeviceId;
                    s.Value = (int)row.Status;
                    ss.Value = row.StatusSinceMs;
                    hb.Value = row.LastHeartbeatMs;
                    h.Value = (object?)row.Heartbeat ?? DBNull.Value;
                    r.Value = (object?)row.Report ?? DBNull.Value;
                    c.Value = row.HeartbeatCount;
                    cmd.ExecuteNonQuery();
                }
            }

            using (var cmd = _conn.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT INTO status_events(device_id,time_ms,from_status,to_status,reason) VALUES($d,$t,$f,$to,$r)";
                var d = cmd.Parameters.Add("$d", SqliteType.Text);
                var t = cmd.Parameters.Add("$t", SqliteType.Integer);
                var f = cmd.Parameters.Add("$f", SqliteType.Integer);
                var to = cmd.Parameters.Add("$to", SqliteType.Integer);
                var r = cmd.Parameters.Add("$r", SqliteType.Text);
                cmd.Prepare();
                foreach (var change in changes)
                {
                    d.Value = change.DeviceId;
                    t.Value = change.TimeMs;
                    f.Value = (int)change.From;
                    to.Value = (int)change.To;
                    r.Value = change.Reason;
                    cmd.ExecuteNonQuery();
                }
            }

            tx.Commit();
        }
    }

    /// <summary>Stores agent events once per (device, sequence); returns how many were new.</summary>
    public int InsertEvents(string deviceId, IReadOnlyList<Event> events, long receivedMs)
    {
        var inserted = 0;
        lock (_gate)
        {
            using var tx = _conn.BeginTransaction();
            using var cmd = _conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT OR IGNORE INTO device_events(device_id,seq,time_ms,kind,app,detail,received_ms) VALUES($d,$s,$t,$k,$a,$x,$r)";
            var d = cmd.Parameters.Add("$d", SqliteType.Text);
            var s = cmd.Parameters.Add("$s", SqliteType.Integer);
            var t = cmd.Parameters.Add("$t", SqliteType.Integer);
            var k = cmd.Parameters.Add("$k", SqliteType.Integer);
            var a = cmd.Parameters.Add("$a", SqliteType.Text);
            var x = cmd.Parameters.Add("$x", SqliteType.Text);
            var r = cmd.Parameters.Add("$r", SqliteType.Integer);
            foreach (var e in events)
            {
                d.Value = deviceId;
                s.Value = (long)e.Sequence;
                t.Value = e.TimeUnixMs;
                k.Value = (int)e.Kind;
                a.Value = e.App;
                x.Value = e.Detail;
                r.Value = receivedMs;
                inserted += cmd.ExecuteNonQuery();
            }

            tx.Commit();
        }

        return inserted;
    }
}
