using System.Net.Http.Json;
using System.Text.Json;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Rollouts;
using EdgeNode.Hub.Store;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Hub.Alerts;

/// <summary>
/// Alert rules (SQLite), evaluated on the fleet-operations tick: a condition that starts holding for a subject fires
/// (recorded in alert_firing, so a restart does not fire it again) and queues a webhook delivery; one that stops
/// holding resolves and queues another. Deliveries POST a JSON body, retry with exponential backoff on the
/// <see cref="TimeProvider"/>, and end Delivered or Failed; every delivery stays as a record (GET /api/alerts/deliveries).
/// </summary>
public sealed partial class AlertEngine : IDisposable
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _delivery = new(1, 1);
    private readonly FleetRegistry _fleet;
    private readonly RolloutEngine _rollouts;
    private readonly HubStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly HttpClient _http;
    private readonly Dictionary<(long Rule, string Subject), AlertView> _firing = [];
    private readonly Dictionary<string, long> _appFailedSince = new(StringComparer.Ordinal);
    private List<(AlertRuleView View, AlertKind Kind)> _rules;

    public AlertEngine(FleetRegistry fleet, RolloutEngine rollouts, TimeProvider time, ILogger<AlertEngine> logger, HttpMessageHandler? handler = null)
    {
        _fleet = fleet;
        _rollouts = rollouts;
        _store = fleet.Store;
        _time = time;
        _log = logger;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own timeout (AttemptTimeout)
        _rules = LoadRules();
        foreach (var a in _store.Query("SELECT f.rule_id,r.kind,f.subject,f.tenant_id,f.summary,f.since_ms FROM alert_firing f JOIN alert_rules r ON r.id=f.rule_id",
                     r => new AlertView(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4),
                         DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)))))
        {
            _firing[(a.RuleId, a.Subject)] = a;
        }
    }

    /// <summary>Attempts per delivery before it is recorded as Failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait after the first failed attempt; doubles after each further failure.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the hub's tick evaluates the rules (each evaluation walks every unit).</summary>
    public TimeSpan EvaluateInterval { get; set; } = TimeSpan.FromSeconds(5);

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // ------------------------------------------------------------------ rules

    public AlertRuleView CreateRule(OperatorScope scope, AlertRuleRequest request)
    {
        var kind = AlertKinds.Parse(request.Kind);
        var tenant = scope.IsAdmin ? request.Tenant : request.Tenant is null || request.Tenant == scope.TenantId ? scope.TenantId
            : throw FleetException.NotFound($"tenant '{request.Tenant}'");
        if (tenant is not null && !_fleet.TenantExists(tenant))
        {
            throw FleetException.NotFound($"tenant '{tenant}'");
        }

        if (!Uri.TryCreate(request.WebhookUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw FleetException.Invalid($"webhookUrl '{request.WebhookUrl}' is not an absolute http(s) URL");
        }

        if (request.ThresholdSeconds is < 0 or > 30 * 24 * 3600 || double.IsNaN(request.ThresholdSeconds))
        {
            throw FleetException.Invalid($"thresholdSeconds {request.ThresholdSeconds} is out of range (0 .. 2592000)");
        }

        lock (_gate)
        {
            var now = NowMs;
            _store.Exec("INSERT INTO alert_rules(tenant_id,kind,threshold_s,webhook_url,created_by,created_ms) VALUES($t,$k,$s,$u,$b,$m)",
                ("$t", tenant), ("$k", AlertKinds.Name(kind)), ("$s", request.ThresholdSeconds), ("$u", url.ToString()), ("$b", scope.Name), ("$m", now));
            _rules = LoadRules();
            return _rules[^1].View;
        }
    }

    public IReadOnlyList<AlertRuleView> ListRules(OperatorScope scope)
    {
        lock (_gate)
        {
            return [.. _rules.Select(r => r.View).Where(r => scope.CanSee(r.Tenant))];
        }
    }

    public void DeleteRule(OperatorScope scope, long id)
    {
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r => r.View.Id == id && scope.CanSee(r.View.Tenant)).View ?? throw FleetException.NotFound($"alert rule {id}");
            _store.Transaction(tx =>
            {
                tx.Exec("DELETE FROM alert_firing WHERE rule_id=$i", ("$i", rule.Id));
                tx.Exec("DELETE FROM alert_deliveries WHERE rule_id=$i", ("$i", rule.Id));
                tx.Exec("DELETE FROM alert_rules WHERE id=$i", ("$i", rule.Id));
            });
            foreach (var key in _firing.Keys.Where(k => k.Rule == id).ToList())
            {
                _firing.Remove(key);
            }

            _rules = LoadRules();
        }
    }

    private List<(AlertRuleView, AlertKind)> LoadRules() =>
        _store.Query("SELECT id,tenant_id,kind,threshold_s,webhook_url,created_by,created_ms FROM alert_rules ORDER BY id",
            r => (new AlertRuleView(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetString(4), r.GetString(5),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6))), AlertKinds.Parse(r.GetString(2))));

    public IReadOnlyList<AlertView> Firing(OperatorScope scope)
    {
        lock (_gate)
        {
            return [.. _firing.Values.Where(a => scope.CanSee(a.Tenant) && _rules.Any(r => r.View.Id == a.RuleId && scope.CanSee(r.View.Tenant)))
                .OrderBy(a => a.Since).ThenBy(a => a.Subject, StringComparer.Ordinal)];
        }
    }

    // ------------------------------------------------------------------ evaluation

    /// <summary>Checks every rule against the fleet now; fires and resolves alerts, queueing webhook deliveries. Returns the number of changes.</summary>
    public int Evaluate()
    {
        lock (_gate)
        {
            if (_rules.Count == 0)
            {
                return 0;
            }

            var now = NowMs;
            var subjects = _fleet.AlertSubjects();
            var halted = _rollouts.HaltedByGate();
            var failedNow = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in subjects)
            {
                foreach (var app in s.FailedApps)
                {
                    var key = s.DeviceId + "/" + app;
                    failedNow.Add(key);
                    _appFailedSince.TryAdd(key, now);
                }
            }

            foreach (var key in _appFailedSince.Keys.Where(k => !failedNow.Contains(k)).ToList())
            {
                _appFailedSince.Remove(key);
            }

            var fire = new List<AlertView>();
            var resolve = new List<AlertView>();
            foreach (var (rule, kind) in _rules)
            {
                var threshold = (long)(rule.ThresholdSeconds * 1000);
                var holding = new Dictionary<string, AlertView>(StringComparer.Ordinal);
                void Hold(string subject, string? tenant, string summary, long since)
                {
                    if (tenant is not null ? rule.Tenant is null || rule.Tenant == tenant : rule.Tenant is null)
                    {
                        holding[subject] = new AlertView(rule.Id, rule.Kind, subject, tenant, summary, DateTimeOffset.FromUnixTimeMilliseconds(since));
                    }
                }

                switch (kind)
                {
                    case AlertKind.DeviceOffline or AlertKind.DeviceDegraded:
                        var status = kind == AlertKind.DeviceOffline ? DeviceStatus.Offline : DeviceStatus.Degraded;
                        foreach (var s in subjects.Where(s => s.Status == status && now - s.StatusSinceMs >= threshold))
                        {
                            Hold("device:" + s.DeviceId, s.Tenant, $"unit {s.DeviceId} in slot {s.Slot ?? "-"} is {status} for {(now - s.StatusSinceMs) / 1000} s (threshold {rule.ThresholdSeconds} s)", s.StatusSinceMs);
                        }

                        break;
                    case AlertKind.AppFailed:
                        foreach (var s in subjects)
                        {
                            foreach (var app in s.FailedApps)
                            {
                                var since = _appFailedSince[s.DeviceId + "/" + app];
                                if (now - since >= threshold)
                                {
                                    Hold($"app:{s.DeviceId}/{app}", s.Tenant, $"app '{app}' on unit {s.DeviceId} in slot {s.Slot ?? "-"} is Failed", since);
                                }
                            }
                        }

                        break;
                    default:
                        foreach (var (id, tenant, reason) in halted)
                        {
                            Hold("rollout:" + id, tenant, $"rollout {id} halted: {reason}", now);
                        }

                        break;
                }

                foreach (var (subject, alert) in holding)
                {
                    if (!_firing.ContainsKey((rule.Id, subject)))
                    {
                        fire.Add(alert);
                    }
                }

                foreach (var ((ruleId, subject), alert) in _firing.Where(f => f.Key.Rule == rule.Id && !holding.ContainsKey(f.Key.Subject)).ToList())
                {
                    resolve.Add(alert);
                }
            }

            if (fire.Count + resolve.Count == 0)
            {
                return 0;
            }

            _store.Transaction(tx =>
            {
                foreach (var a in fire)
                {
                    tx.Exec("INSERT OR REPLACE INTO alert_firing(rule_id,subject,tenant_id,summary,since_ms) VALUES($r,$s,$t,$x,$m)",
                        ("$r", a.RuleId), ("$s", a.Subject), ("$t", a.Tenant), ("$x", a.Summary), ("$m", a.Since.ToUnixTimeMilliseconds()));
                    Enqueue(tx, a, "firing", now);
                }

                foreach (var a in resolve)
                {
                    tx.Exec("DELETE FROM alert_firing WHERE rule_id=$r AND subject=$s", ("$r", a.RuleId), ("$s", a.Subject));
                    Enqueue(tx, a, "resolved", now);
                }
            });
            foreach (var a in fire)
            {
                _firing[(a.RuleId, a.Subject)] = a;
                Log.Fired(_log, a.RuleId, a.Kind, a.Summary);
            }

            foreach (var a in resolve)
            {
                _firing.Remove((a.RuleId, a.Subject));
                Log.Resolved(_log, a.RuleId, a.Kind, a.Subject);
            }

            return fire.Count + resolve.Count;
        }
    }

    private void Enqueue(HubStore tx, AlertView a, string status, long now)
    {
        var url = _rules.First(r => r.View.Id == a.RuleId).View.WebhookUrl;
        var body = JsonSerializer.Serialize(new
        {
            status,
            rule = a.RuleId,
            kind = a.Kind,
            tenant = a.Tenant,
            subject = a.Subject,
            summary = a.Summary,
            since = a.Since,
            time = DateTimeOffset.FromUnixTimeMilliseconds(now),
            source = "edgenode-hub",
        });
        tx.Exec("INSERT INTO alert_deliveries(rule_id,tenant_id,url,body,attempts,state,last_error,next_ms,created_ms,updated_ms) VALUES($r,$t,$u,$b,0,'Pending','',$m,$m,$m)",
            ("$r", a.RuleId), ("$t", a.Tenant), ("$u", url), ("$b", body), ("$m", now));
    }

    // ------------------------------------------------------------------ webhook delivery

    /// <summary>Sends every due delivery once. A failure schedules the next attempt after a doubling backoff, or records Failed. Returns attempts made.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await _delivery.WaitAsync(cancellationToken);
        try
        {
            var now = NowMs;
            var due = _store.Query("SELECT id,url,body,attempts FROM alert_deliveries WHERE state='Pending' AND next_ms<=$n ORDER BY id LIMIT 100",
                r => (Id: r.GetInt64(0), Url: r.GetString(1), Body: r.GetString(2), Attempts: r.GetInt32(3)), ("$n", now));
            foreach (var d in due)
            {
                string? error = null;
                try
                {
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    cts.CancelAfter(AttemptTimeout);
                    using var content = new StringContent(d.Body, System.Text.Encoding.UTF8, "application/json");
                    using var response = await _http.PostAsync(d.Url, content, cts.Token);
                    if (!response.IsSuccessStatusCode)
                    {
                        error = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    error = e is HttpRequestException ? e.Message : $"no answer within {AttemptTimeout.TotalSeconds} s";
                }

                var attempts = d.Attempts + 1;
                var at = NowMs;
                if (error is null)
                {
                    _store.Exec("UPDATE alert_deliveries SET state='Delivered', attempts=$a, last_error='', updated_ms=$m WHERE id=$i", ("$a", attempts), ("$m", at), ("$i", d.Id));
                }
                else if (attempts >= MaxAttempts)
                {
                    _store.Exec("UPDATE alert_deliveries SET state='Failed', attempts=$a, last_error=$e, updated_ms=$m WHERE id=$i", ("$a", attempts), ("$e", error), ("$m", at), ("$i", d.Id));
                    Log.DeliveryFailed(_log, d.Id, d.Url, attempts, error);
                }
                else
                {
                    var backoff = (long)(InitialBackoff.TotalMilliseconds * Math.Pow(2, attempts - 1));
                    _store.Exec("UPDATE alert_deliveries SET attempts=$a, last_error=$e, next_ms=$n, updated_ms=$m WHERE id=$i",
                        ("$a", attempts), ("$e", error), ("$n", at + backoff), ("$m", at), ("$i", d.Id));
                    Log.DeliveryRetry(_log, d.Id, d.Url, attempts, error, backoff / 1000.0);
                }
            }

            return due.Count;
        }
        finally
        {
            _delivery.Release();
        }
    }

    public IReadOnlyList<AlertDeliveryView> Deliveries(OperatorScope scope, string? state, int limit = 200) =>
        [
            .. _store.Query("SELECT id,rule_id,tenant_id,url,state,attempts,last_error,created_ms,updated_ms,next_ms,body FROM alert_deliveries ORDER BY id DESC LIMIT 5000",
                    r => new AlertDeliveryView(r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5), r.GetString(6),
                        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
                        r.GetString(4) == "Pending" ? DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)) : null, r.GetString(10)))
                .Where(d => VisibleDelivery(scope, d) && (state is null || d.State.Equals(state, StringComparison.OrdinalIgnoreCase)))
                .Take(Math.Clamp(limit, 1, 1000)),
        ];

    private bool VisibleDelivery(OperatorScope scope, AlertDeliveryView d)
    {
        lock (_gate)
        {
            return scope.CanSee(d.Tenant) && _rules.Any(r => r.View.Id == d.RuleId && scope.CanSee(r.View.Tenant));
        }
    }

    /// <summary>Deliveries per (tenant, state), for /metrics.</summary>
    public IReadOnlyList<(string? Tenant, string State, long Count)> DeliveryCounts() =>
        _store.Query("SELECT tenant_id,state,COUNT(*) FROM alert_deliveries GROUP BY tenant_id,state",
            r => (r.IsDBNull(0) ? null : r.GetString(0), r.GetString(1), r.GetInt64(2)));

    public void Dispose()
    {
        _http.Dispose();
        _delivery.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "Alert rule {Rule} ({Kind}) FIRING: {Summary}")]
        public static partial void Fired(ILogger logger, long rule, string kind, string summary);

        [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Alert rule {Rule} ({Kind}) resolved for {Subject}")]
        public static partial void Resolved(ILogger logger, long rule, string kind, string subject);

        [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Webhook delivery {Id} to {Url}: attempt {Attempt} failed ({Error}); next attempt in {Seconds} s")]
        public static partial void DeliveryRetry(ILogger logger, long id, string url, int attempt, string error, double seconds);

        [LoggerMessage(EventId = 903, Level = LogLevel.Error, Message = "Webhook delivery {Id} to {Url} FAILED after {Attempts} attempts ({Error}); recorded in alert_deliveries")]
        public static partial void DeliveryFailed(ILogger logger, long id, string url, int attempts, string error);
    }
}
