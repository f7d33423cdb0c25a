namespace EdgeNode.Hub.Tests.Support;

/// <summary>Spec directories used by the tests (relative path → YAML).</summary>
public static class Specs
{
    public static Dictionary<string, string> Plant(string webTag = "1.0", string overrideTag = "2.0-beta") => new()
    {
        ["base/apps.yaml"] = $$"""
            apps:
              web:
                image: registry.local/web:{{webTag}}
                env: {LOG: info, MODE: prod}
                memory: 64Mi
                cpu: 500m
                ports: ["8080:80"]
                restart: always
                priority: critical
              mqtt:
                image: registry.local/mqtt:2.1
                priority: best-effort
            """,
        ["groups/eu.yaml"] = """
            overlay:
              set:
                mqtt:
                  env: {REGION: eu}
            """,
        ["sites/plant-a.yaml"] = $$"""
            groups: [eu]
            labels: {region: eu}
            slots:
              line1/cell1:
                labels: {role: press}
              line1/cell2:
                labels: {role: weld}
                overlay:
                  set:
                    web: {tag: "{{overrideTag}}"}
                  add:
                    camera:
                      image: registry.local/camera:0.9
                      volumes: ["/data/camera:/var/lib/camera:ro"]
                  remove: [mqtt]
            """,
        ["sites/plant-b.yaml"] = """
            slots:
              line1/cell1:
            """,
    };
}
