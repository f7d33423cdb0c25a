namespace EdgeNode.Hub.Fleet;

/// <summary>Counts per status over the caller's visible devices, plus pending enrollments.</summary>
public sealed record FleetSummary(int Total, int Online, int Degraded, int Offline, int Unknown, int Retired, int PendingEnrollments, int Sites, int Slots);
