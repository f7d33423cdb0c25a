namespace EdgeNode.Hub.Tests.Rollouts;

/// <summary>A spec with one site of <c>count</c> slots running web (tag varies) and mqtt.</summary>
public static class LineSpec
{
    public static Dictionary<string, string> Files(string webTag, int count = 20, string site = "plant-r") => new()
    {
        ["base/apps.yaml"] = $$"""
            apps:
              web:
                image: registry.local/web:{{webTag}}
                restart: always
                priority: critical
              mqtt:
                image: registry.local/mqtt:2.1
            """,
        [$"sites/{site}.yaml"] = "labels: {region: eu}\nslots:\n" + string.Concat(Enumerable.Range(1, count).Select(i => $"  line1/cell{i:00}:\n    labels: {{ring: \"{(i % 2 == 0 ? "even" : "odd")}\"}}\n")),
    };

    public static string Slot(int i, string site = "plant-r") => $"{site}/line1/cell{i:00}";
}
