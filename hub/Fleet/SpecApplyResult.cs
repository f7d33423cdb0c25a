namespace EdgeNode.Hub.Fleet;

/// <summary>What applying a spec did: the revision stored and which slots got a new generation.</summary>
public sealed record SpecApplyResult(long Revision, string Tenant, IReadOnlyList<string> ChangedSlots, IReadOnlyList<string> UnchangedSlots, IReadOnlyList<string> RemovedSlots);
