namespace EdgeNode.Hub.Configuration;

/// <summary>A fleet enrollment PSK (e.g. identity "enroll-acme"). When <see cref="TenantId"/> is set, its requests belong to that tenant.</summary>
public sealed record EnrollmentCredential(string Identity, byte[] Key, string? TenantId = null);
