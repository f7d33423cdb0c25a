namespace EdgeNode.Hub.Alerts;

/// <summary>POST /api/alerts/rules. Tenant: admins only (null = fleet-wide); a tenant token's rules are its tenant's.</summary>
public sealed record AlertRuleRequest(string Kind, string WebhookUrl, double ThresholdSeconds = 0, string? Tenant = null);
