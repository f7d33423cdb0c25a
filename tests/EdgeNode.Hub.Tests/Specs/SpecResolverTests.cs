using EdgeNode.Hub.Specs;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Tests.Specs;

public class SpecResolverTests
{
    private static Dictionary<string, ResolvedSlot> Resolve(Dictionary<string, string> files) =>
        SpecResolver.Resolve(SpecParser.Parse(files)).ToDictionary(s => s.Path);

    [Fact]
    public void Resolve_BaseGroupSiteSlot_AppliesOverlaysInOrder()
    {
        var slots = Resolve(Support.Specs.Plant());

        Assert.Equal(["plant-a/line1/cell1", "plant-a/line1/cell2", "plant-b/line1/cell1"], slots.Keys.Order().ToArray());
        var cell1 = slots["plant-a/line1/cell1"];
        Assert.Equal(["web", "mqtt"], cell1.Apps.Select(a => a.Name).ToArray());
        var web = cell1.Apps[0];
        Assert.Equal("registry.local/web:1.0", web.Image);
        Assert.Equal(64UL << 20, web.MemoryLimitBytes);
        Assert.Equal(500u, web.CpuMillis);
        Assert.Equal(PriorityClass.Critical, web.Priority);
        Assert.Equal(8080u, Assert.Single(web.Ports).HostPort);
        // The group overlay merged env into mqtt only.
        Assert.Equal([("REGION", "eu")], cell1.Apps[1].Env.Select(e => (e.Key, e.Value)).ToArray());
        Assert.Equal("press", cell1.Labels["role"]);
        Assert.Equal("eu", cell1.Labels["region"]);

        // The slot overlay: tag override, an added app, a removed app.
        var cell2 = slots["plant-a/line1/cell2"];
        Assert.Equal(["web", "camera"], cell2.Apps.Select(a => a.Name).ToArray());
        Assert.Equal("registry.local/web:2.0-beta", cell2.Apps[0].Image);
        Assert.True(Assert.Single(cell2.Apps[1].Volumes).ReadOnly);

        // plant-b is not in group eu: no REGION env.
        Assert.Empty(slots["plant-b/line1/cell1"].Apps[1].Env);
    }

    [Fact]
    public void Resolve_BaseTagChanged_ReachesUsersButNotOverriders()
    {
        var before = Resolve(Support.Specs.Plant(webTag: "1.0"));
        var after = Resolve(Support.Specs.Plant(webTag: "1.1"));

        Assert.Equal("registry.local/web:1.1", after["plant-a/line1/cell1"].Apps[0].Image);
        Assert.Equal("registry.local/web:1.1", after["plant-b/line1/cell1"].Apps[0].Image);
        Assert.Equal(before["plant-a/line1/cell2"].Apps[0].Image, after["plant-a/line1/cell2"].Apps[0].Image);
    }

    [Theory]
    [InlineData("registry:5000/team/web:1.2", "1.3", "registry:5000/team/web:1.3")]
    [InlineData("registry:5000/team/web", "1.3", "registry:5000/team/web:1.3")]
    [InlineData("web@sha256:abcd", "2", "web:2")]
    public void WithTag_ImageReference_ReplacesOnlyTheTag(string image, string tag, string expected) =>
        Assert.Equal(expected, AppPatch.WithTag(image, tag));

    public static TheoryData<string, string, string, int, string> InvalidSpecs => new()
    {
        // Broken YAML syntax: an unclosed flow mapping.
        { "base/apps.yaml", "apps:\n  web: {image: x\n", "base/apps.yaml", 3, "invalid YAML" },
        // A typo in a field name is an error, not silently ignored.
        { "base/apps.yaml", "apps:\n  web:\n    image: a:1\n    imagee: b\n", "base/apps.yaml", 4, "unknown field 'imagee'" },
        // A base app needs an image.
        { "base/apps.yaml", "apps:\n  web:\n    env: {A: b}\n", "base/apps.yaml", 2, "has no image" },
        // Memory is not a quantity.
        { "base/apps.yaml", "apps:\n  web:\n    image: a:1\n    memory: lots\n", "base/apps.yaml", 4, "is not a memory size" },
        // An overlay sets an app that does not exist.
        { "sites/plant-c.yaml", "overlay:\n  set:\n    nosuch: {tag: x}\nslots:\n  a/b:\n", "sites/plant-c.yaml", 3, "app 'nosuch', which it does not have" },
        // An overlay removes an app that does not exist.
        { "sites/plant-c.yaml", "slots:\n  a/b:\n    overlay:\n      remove: [ghost]\n", "sites/plant-c.yaml", 4, "removes app 'ghost'" },
        // A site names a group with no file.
        { "sites/plant-c.yaml", "groups: [asia]\nslots:\n  a/b:\n", "sites/plant-c.yaml", 1, "no groups/asia.yaml" },
        // An unknown overlay operation.
        { "groups/eu.yaml", "overlay:\n  patch: {}\n", "groups/eu.yaml", 2, "unknown overlay operation 'patch'" },
        // A bad port mapping.
        { "base/apps.yaml", "apps:\n  web:\n    image: a:1\n    ports: [\"80\"]\n", "base/apps.yaml", 4, "is not HOST:CONTAINER" },
        // A slot path with upper case.
        { "sites/plant-c.yaml", "slots:\n  Line1/cell1:\n", "sites/plant-c.yaml", 2, "not a valid path" },
        // A file outside the layout.
        { "apps.yaml", "apps: {}\n", "apps.yaml", 0, "unexpected spec file" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Parse_InvalidSpec_NamesFileLineAndReason(string file, string yaml, string expectedFile, int expectedLine, string reason)
    {
        var files = new Dictionary<string, string>
        {
            ["base/apps.yaml"] = "apps:\n  mqtt:\n    image: m:1\n",
            ["groups/eu.yaml"] = "overlay:\n",
        };
        files[file] = yaml;

        var error = Assert.Throws<SpecException>(() => SpecResolver.Resolve(SpecParser.Parse(files)));

        Assert.Equal(expectedFile, error.File);
        Assert.Equal(expectedLine, error.Line);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }
}
