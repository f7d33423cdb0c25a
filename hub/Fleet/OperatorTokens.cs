using System.Collections.Concurrent;
using System.Security.Cryptography;
using EdgeNode.Hub.Store;

namespace EdgeNode.Hub.Fleet;

/// <summary>
/// Bearer tokens for the operator API, stored as SHA-256 hashes. A token is fleet-wide admin (no tenant) or scoped
/// to one tenant. The first start creates an admin token and returns it once, to be printed.
/// </summary>
public sealed class OperatorTokens(HubStore store, FleetRegistry fleet, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, OperatorScope?> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the first admin token when none is active; returns it (or null when one exists).</summary>
    public string? EnsureAdminToken()
    {
        if (store.Scalar("SELECT id FROM operator_tokens WHERE tenant_id IS NULL AND revoked_ms IS NULL LIMIT 1") is not null)
        {
            return null;
        }

        var (_, token) = Insert("admin", null);
        return token;
    }

    public OperatorScope? Authenticate(string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        var hash = FleetRegistry.Hash(token);
        return _cache.GetOrAdd(hash, h =>
        {
            var rows = store.Query("SELECT id,name,tenant_id FROM operator_tokens WHERE token_hash=$h AND revoked_ms IS NULL",
                r => (Id: r.GetInt64(0), Name: r.GetString(1), Tenant: r.IsDBNull(2) ? null : r.GetString(2)), ("$h", h));
            return rows.Count == 0 ? null : new OperatorScope(rows[0].Tenant, "token:" + rows[0].Name, rows[0].Id);
        });
    }

    public OperatorTokenView Create(OperatorScope scope, string name, string? tenant)
    {
        if (!scope.IsAdmin)
        {
            // A tenant operator may mint tokens for its own tenant only.
            if (tenant is not null && !scope.CanSee(tenant))
            {
                throw FleetException.NotFound($"tenant '{tenant}'");
            }

            tenant = scope.TenantId;
        }

        if (tenant is not null && !fleet.TenantExists(tenant))
        {
            throw FleetException.NotFound($"tenant '{tenant}'");
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 64)
        {
            throw FleetException.Invalid("a token needs a name of 1..64 characters");
        }

        var (id, token) = Insert(name, tenant);
        return new OperatorTokenView(id, name, tenant, time.GetUtcNow(), null, token);
    }

    public IReadOnlyList<OperatorTokenView> List(OperatorScope scope) =>
        [
            .. store.Query("SELECT id,name,tenant_id,created_ms,revoked_ms FROM operator_tokens ORDER BY id",
                    r => new OperatorTokenView(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
                        r.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), null))
                .Where(t => scope.CanSee(t.Tenant)),
        ];

    public void Revoke(OperatorScope scope, long id)
    {
        var token = List(scope).FirstOrDefault(t => t.Id == id) ?? throw FleetException.NotFound($"token {id}");
        store.Exec("UPDATE operator_tokens SET revoked_ms=$m WHERE id=$i AND revoked_ms IS NULL", ("$m", time.GetUtcNow().ToUnixTimeMilliseconds()), ("$i", token.Id));
        _cache.Clear();
    }

    private (long Id, string Token) Insert(string name, string? tenant)
    {
        var token = "enh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        store.Exec("INSERT INTO operator_tokens(name,tenant_id,token_hash,created_ms) VALUES($n,$t,$h,$m)",
            ("$n", name), ("$t", tenant), ("$h", FleetRegistry.Hash(token)), ("$m", time.GetUtcNow().ToUnixTimeMilliseconds()));
        _cache.Clear();
        return ((long)store.Scalar("SELECT id FROM operator_tokens WHERE token_hash=$h", ("$h", FleetRegistry.Hash(token)))!, token);
    }
}
