namespace EdgeNode.Hub.Fleet;

/// <summary>A slot-scoped enrollment token (Token is only set in the response that created it).</summary>
public sealed record EnrollmentTokenView(long Id, string Slot, DateTimeOffset Created, DateTimeOffset Expires, int UsesLeft, bool Revoked, string? Token);
