namespace EdgeNode.Hub.Fleet;

public sealed record SiteView(string Name, string Tenant, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, string> Labels, int Slots, int Devices);
