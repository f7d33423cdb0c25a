namespace EdgeNode.Hub.Alerts;

public sealed record AlertRuleView(long Id, string? Tenant, string Kind, double ThresholdSeconds, string WebhookUrl, string CreatedBy, DateTimeOffset Created);
