using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Specs;

/// <summary>
/// Resolves a <see cref="SpecDocument"/> into one app list per slot:
/// base → each group the site lists (in order) → the site's overlay → the slot's overlay.
/// Within one overlay: remove, then add, then set. A pure function of the document.
/// </summary>
public static class SpecResolver
{
    public static List<ResolvedSlot> Resolve(SpecDocument doc)
    {
        var result = new List<ResolvedSlot>();
        foreach (var site in doc.Sites)
        {
            var siteApps = new List<AppSpec>();
            foreach (var baseApp in doc.BaseApps)
            {
                var app = new AppSpec { Name = baseApp.Name };
                baseApp.ApplyTo(app);
                siteApps.Add(app);
            }

            foreach (var (group, src) in site.Groups)
            {
                if (!doc.Groups.TryGetValue(group, out var g))
                {
                    throw src.Error($"site '{site.Name}' names group '{group}', but there is no groups/{group}.yaml");
                }

                Apply(g.Overlay, siteApps, $"group '{group}'");
            }

            Apply(site.Overlay, siteApps, $"site '{site.Name}'");
            foreach (var slot in site.Slots)
            {
                var apps = siteApps.Select(Clone).ToList();
                Apply(slot.Overlay, apps, $"slot '{site.Name}/{slot.Key}'");
                var labels = new SortedDictionary<string, string>(site.Labels, StringComparer.Ordinal);
                foreach (var (k, v) in slot.Labels)
                {
                    labels[k] = v;
                }

                labels["site"] = site.Name;
                result.Add(new ResolvedSlot($"{site.Name}/{slot.Key}", site.Name, labels, apps));
            }
        }

        return result;
    }

    private static void Apply(Overlay overlay, List<AppSpec> apps, string where)
    {
        foreach (var (name, src) in overlay.Remove)
        {
            if (apps.RemoveAll(a => a.Name == name) == 0)
            {
                throw src.Error($"{where} removes app '{name}', which it does not have");
            }
        }

        foreach (var add in overlay.Add)
        {
            if (apps.Any(a => a.Name == add.Name))
            {
                throw add.Source.Error($"{where} adds app '{add.Name}', which it already has (use set: to change it)");
            }

            var app = new AppSpec { Name = add.Name };
            add.ApplyTo(app);
            apps.Add(app);
        }

        foreach (var set in overlay.Set)
        {
            var app = apps.FirstOrDefault(a => a.Name == set.Name)
                ?? throw set.Source.Error($"{where} sets fields of app '{set.Name}', which it does not have (use add: for a new app)");
            set.ApplyTo(app);
        }
    }

    /// <summary>A deep copy through the wire format (the contracts are plain protobuf classes).</summary>
    public static AppSpec Clone(AppSpec app)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        LinkContracts.Instance.Serialize(writer, new DesiredState { Apps = { app } });
        return LinkContracts.Instance.Deserialize<DesiredState>(writer.WrittenMemory).Apps[0];
    }
}
