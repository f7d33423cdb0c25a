using System.Globalization;
using System.Text.RegularExpressions;
using EdgeNode.Link.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeNode.Hub.Specs;

/// <summary>
/// Parses a spec directory's YAML files (relative path → text) into a <see cref="SpecDocument"/>.
/// Layout: <c>base/*.yaml</c> (apps), <c>groups/&lt;group&gt;.yaml</c> (overlay), <c>sites/&lt;site&gt;.yaml</c>
/// (groups, labels, overlay, slots). Every error names the file, line and reason.
/// </summary>
public static partial class SpecParser
{
    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,62}$")]
    private static partial Regex NameRegex();

    private static readonly string[] AppFields =
    [
        "image", "tag", "command", "entrypoint", "env", "labels", "ports", "volumes", "restart", "pull",
        "priority", "memory", "memoryReservation", "cpu", "health",
    ];

    /// <summary>Reads every *.yaml / *.yml file under <paramref name="directory"/> (skipping dot-folders such as .git).</summary>
    public static Dictionary<string, string> ReadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new SpecException(directory, 0, 0, "spec directory does not exist");
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(directory, path).Replace('\\', '/');
            if (rel.Split('/').Any(p => p.StartsWith('.')) || !(rel.EndsWith(".yaml", StringComparison.Ordinal) || rel.EndsWith(".yml", StringComparison.Ordinal)))
            {
                continue;
            }

            files[rel] = File.ReadAllText(path);
        }

        return files;
    }

    public static SpecDocument Parse(IReadOnlyDictionary<string, string> files)
    {
        var doc = new SpecDocument();
        foreach (var (file, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var parts = file.Split('/');
            var stem = Path.GetFileNameWithoutExtension(file);
            var root = Load(file, text);
            if (parts.Length == 2 && parts[0] == "base")
            {
                ParseBase(file, root, doc);
            }
            else if (parts.Length == 2 && parts[0] == "groups")
            {
                CheckName(new SourceRef(file, 0, 0), stem, "group");
                var src = new SourceRef(file, 1, 1);
                var overlay = Overlay.Empty;
                if (root is not null)
                {
                    var map = Map(file, root, "group file");
                    foreach (var (key, value) in Entries(file, map))
                    {
                        overlay = key.Value switch
                        {
                            "overlay" => ParseOverlay(file, value),
                            _ => throw At(file, key, $"unknown key '{key.Value}' in group '{stem}' (expected: overlay)"),
                        };
                    }
                }

                doc.Groups[stem] = (overlay, src);
            }
            else if (parts.Length == 2 && parts[0] == "sites")
            {
                CheckName(new SourceRef(file, 0, 0), stem, "site");
                doc.Sites.Add(ParseSite(file, stem, root));
            }
            else
            {
                throw new SpecException(file, 0, 0, "unexpected spec file: expected base/<name>.yaml, groups/<group>.yaml or sites/<site>.yaml");
            }
        }

        if (doc.BaseApps.Count == 0 && doc.Sites.Count > 0 && !files.Keys.Any(k => k.StartsWith("base/", StringComparison.Ordinal)))
        {
            throw new SpecException("base/apps.yaml", 0, 0, "the spec has sites but no base/ directory");
        }

        return doc;
    }

    private static YamlNode? Load(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            // YamlDotNet prefixes its own "(Line: x, Col: y, ...)" position; the position is reported separately.
            var cut = reason.IndexOf("): ", StringComparison.Ordinal);
            if (reason.StartsWith("(Line", StringComparison.Ordinal) && cut > 0)
            {
                reason = reason[(cut + 3)..];
            }

            throw new SpecException(file, (int)e.Start.Line, (int)e.Start.Column, "invalid YAML: " + reason);
        }

        if (stream.Documents.Count > 1)
        {
            throw new SpecException(file, (int)stream.Documents[1].RootNode.Start.Line, 1, "only one YAML document per file is allowed");
        }

        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    private static void ParseBase(string file, YamlNode? root, SpecDocument doc)
    {
        if (root is null)
        {
            return;
        }

        var map = Map(file, root, "base file");
        foreach (var (key, value) in Entries(file, map))
        {
            if (key.Value != "apps")
            {
                throw At(file, key, $"unknown key '{key.Value}' in base file (expected: apps)");
            }

            foreach (var (nameNode, appNode) in Entries(file, Map(file, value, "apps")))
            {
                var app = ParseApp(file, nameNode, appNode, full: true);
                var dup = doc.BaseApps.FirstOrDefault(a => a.Name == app.Name);
                if (dup is not null)
                {
                    throw At(file, nameNode, $"app '{app.Name}' is already defined in {dup.Source.File}:{dup.Source.Line}");
                }

                doc.BaseApps.Add(app);
            }
        }
    }

    private static SiteSpec ParseSite(string file, string name, YamlNode? root)
    {
        var site = new SiteSpec { Name = name, Source = new SourceRef(file, 1, 1) };
        if (root is null)
        {
            return site;
        }

        foreach (var (key, value) in Entries(file, Map(file, root, "site file")))
        {
            switch (key.Value)
            {
                case "groups":
                    foreach (var g in Seq(file, value, "groups"))
                    {
                        var groupName = Scalar(file, g, "group name");
                        site.Groups.Add((groupName, Ref(file, g)));
                    }

                    break;
                case "labels":
                    foreach (var (k, v) in StringMap(file, value, "labels"))
                    {
                        site.Labels[k] = v ?? throw At(file, value, $"label '{k}' has no value");
                    }

                    break;
                case "overlay":
                    site.Overlay = ParseOverlay(file, value);
                    break;
                case "slots":
                    foreach (var (slotKey, slotNode) in Entries(file, Map(file, value, "slots")))
                    {
                        site.Slots.Add(ParseSlot(file, name, slotKey, slotNode, site.Slots));
                    }

                    break;
                default:
                    throw At(file, key, $"unknown key '{key.Value}' in site '{name}' (expected: groups, labels, overlay, slots)");
            }
        }

        return site;
    }

    private static SlotSpec ParseSlot(string file, string site, YamlScalarNode keyNode, YamlNode node, List<SlotSpec> existing)
    {
        var key = keyNode.Value ?? "";
        var segments = key.Split('/');
        if (segments.Length is < 1 or > 4 || segments.Any(s => !NameRegex().IsMatch(s)))
        {
            throw At(file, keyNode, $"slot '{key}' in site '{site}' is not a valid path (lower-case segments like line1/cell2)");
        }

        if (existing.Any(s => s.Key == key))
        {
            throw At(file, keyNode, $"slot '{key}' is declared twice in site '{site}'");
        }

        var slot = new SlotSpec { Key = key, Source = Ref(file, keyNode) };
        if (IsNull(node))
        {
            return slot;
        }

        foreach (var (k, v) in Entries(file, Map(file, node, $"slot '{key}'")))
        {
            switch (k.Value)
            {
                case "labels":
                    foreach (var (lk, lv) in StringMap(file, v, "labels"))
                    {
                        slot.Labels[lk] = lv ?? throw At(file, v, $"label '{lk}' has no value");
                    }

                    break;
                case "overlay":
                    slot.Overlay = ParseOverlay(file, v);
                    break;
                default:
                    throw At(file, k, $"unknown key '{k.Value}' in slot '{key}' (expected: labels, overlay)");
            }
        }

        return slot;
    }

    private static Overlay ParseOverlay(string file, YamlNode node)
    {
        var overlay = new Overlay();
        if (IsNull(node))
        {
            return overlay;
        }

        foreach (var (key, value) in Entries(file, Map(file, node, "overlay")))
        {
            switch (key.Value)
            {
                case "set":
                    foreach (var (name, app) in Entries(file, Map(file, value, "overlay set")))
                    {
                        overlay.Set.Add(ParseApp(file, name, app, full: false));
                    }

                    break;
                case "add":
                    foreach (var (name, app) in Entries(file, Map(file, value, "overlay add")))
                    {
                        overlay.Add.Add(ParseApp(file, name, app, full: true));
                    }

                    break;
                case "remove":
                    foreach (var item in Seq(file, value, "overlay remove"))
                    {
                        overlay.Remove.Add((Scalar(file, item, "app name"), Ref(file, item)));
                    }

                    break;
                default:
                    throw At(file, key, $"unknown overlay operation '{key.Value}' (expected: set, add, remove)");
            }
        }

        return overlay;
    }

    private static AppPatch ParseApp(string file, YamlScalarNode nameNode, YamlNode node, bool full)
    {
        var name = nameNode.Value ?? "";
        if (!NameRegex().IsMatch(name))
        {
            throw At(file, nameNode, $"app name '{name}' is invalid (lower-case letters, digits, '-', '_', '.')");
        }

        var app = new AppPatch { Name = name, Source = Ref(file, nameNode) };
        foreach (var (key, value) in Entries(file, Map(file, node, $"app '{name}'")))
        {
            var field = key.Value ?? "";
            try
            {
                switch (field)
                {
                    case "image":
                        app.Image = Scalar(file, value, "image");
                        if (app.Image.Length == 0 || app.Image.Any(char.IsWhiteSpace))
                        {
                            throw At(file, value, $"app '{name}': image '{app.Image}' is not a valid image reference");
                        }

                        break;
                    case "tag":
                        app.Tag = Scalar(file, value, "tag");
                        if (app.Tag.Length == 0 || app.Tag.Any(c => c is ':' or '/' or '@' || char.IsWhiteSpace(c)))
                        {
                            throw At(file, value, $"app '{name}': tag '{app.Tag}' is not a valid tag");
                        }

                        break;
                    case "command": app.Command = StringList(file, value, "command"); break;
                    case "entrypoint": app.Entrypoint = StringList(file, value, "entrypoint"); break;
                    case "env": app.Env = StringMap(file, value, "env"); break;
                    case "labels": app.Labels = StringMap(file, value, "labels"); break;
                    case "ports": app.Ports = [.. Seq(file, value, "ports").Select(p => ParsePort(file, p))]; break;
                    case "volumes": app.Volumes = [.. Seq(file, value, "volumes").Select(v => ParseVolume(file, v))]; break;
                    case "restart":
                        app.Restart = Scalar(file, value, "restart") switch
                        {
                            "always" => RestartPolicy.Always,
                            "no" => RestartPolicy.No,
                            "on-failure" => RestartPolicy.OnFailure,
                            "unless-stopped" => RestartPolicy.UnlessStopped,
                            var other => throw At(file, value, $"app '{name}': restart '{other}' is not one of always, no, on-failure, unless-stopped"),
                        };
                        break;
                    case "pull":
                        app.Pull = Scalar(file, value, "pull") switch
                        {
                            "if-not-present" => PullPolicy.IfNotPresent,
                            "always" => PullPolicy.Always,
                            "never" => PullPolicy.Never,
                            var other => throw At(file, value, $"app '{name}': pull '{other}' is not one of if-not-present, always, never"),
                        };
                        break;
                    case "priority":
                        app.Priority = Scalar(file, value, "priority") switch
                        {
                            "critical" => PriorityClass.Critical,
                            "normal" => PriorityClass.Normal,
                            "best-effort" => PriorityClass.BestEffort,
                            var other => throw At(file, value, $"app '{name}': priority '{other}' is not one of critical, normal, best-effort"),
                        };
                        break;
                    case "memory": app.MemoryLimitBytes = Quantities.ParseBytes(Scalar(file, value, "memory")); break;
                    case "memoryReservation": app.MemoryReservationBytes = Quantities.ParseBytes(Scalar(file, value, "memoryReservation")); break;
                    case "cpu": app.CpuMillis = Quantities.ParseCpuMillis(Scalar(file, value, "cpu")); break;
                    case "health": app.Health = ParseHealth(file, value); break;
                    default:
                        throw At(file, key, $"app '{name}': unknown field '{field}' (expected one of: {string.Join(", ", AppFields)})");
                }
            }
            catch (FormatException e)
            {
                throw At(file, value, $"app '{name}': {field}: {e.Message}");
            }
        }

        if (full && app.Image is null)
        {
            throw At(file, nameNode, $"app '{name}' has no image");
        }

        if (full && app.Tag is not null)
        {
            app.Image = AppPatch.WithTag(app.Image!, app.Tag);
            app.Tag = null;
        }

        return app;
    }

    private static HealthCheck ParseHealth(string file, YamlNode node)
    {
        var health = new HealthCheck();
        foreach (var (key, value) in Entries(file, Map(file, node, "health")))
        {
            switch (key.Value)
            {
                case "test": health.Test = StringList(file, value, "health test"); break;
                case "interval": health.IntervalMs = Quantities.ParseDurationMs(Scalar(file, value, "interval")); break;
                case "timeout": health.TimeoutMs = Quantities.ParseDurationMs(Scalar(file, value, "timeout")); break;
                case "startPeriod": health.StartPeriodMs = Quantities.ParseDurationMs(Scalar(file, value, "startPeriod")); break;
                case "retries":
                    health.Retries = uint.TryParse(Scalar(file, value, "retries"), NumberStyles.None, CultureInfo.InvariantCulture, out var r)
                        ? r
                        : throw new FormatException("retries must be a non-negative integer");
                    break;
                default:
                    throw At(file, key, $"unknown health field '{key.Value}' (expected: test, interval, timeout, retries, startPeriod)");
            }
        }

        if (health.Test.Count == 0)
        {
            throw At(file, node, "health needs a test, e.g. [CMD-SHELL, \"wget -q -O- localhost\"]");
        }

        return health;
    }

    /// <summary>"8080:80", "8080:80/udp", "127.0.0.1:8080:80".</summary>
    private static PortMapping ParsePort(string file, YamlNode node)
    {
        var text = Scalar(file, node, "port");
        var protocol = "";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..];
            text = text[..slash];
            if (protocol is not ("tcp" or "udp"))
            {
                throw At(file, node, $"port protocol '{protocol}' is not tcp or udp");
            }
        }

        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3
            || !uint.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var host) || host is 0 or > 65535
            || !uint.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var container) || container is 0 or > 65535)
        {
            throw At(file, node, $"port '{Scalar(file, node, "port")}' is not HOST:CONTAINER[/tcp|udp] or IP:HOST:CONTAINER");
        }

        return new PortMapping { HostPort = host, ContainerPort = container, Protocol = protocol, HostIp = parts.Length == 3 ? parts[0] : "" };
    }

    /// <summary>"/host/path:/container/path[:ro]" or "volume-name:/container/path".</summary>
    private static VolumeMount ParseVolume(string file, YamlNode node)
    {
        var text = Scalar(file, node, "volume");
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || !parts[1].StartsWith('/') || (parts.Length == 3 && parts[2] is not ("ro" or "rw")))
        {
            throw At(file, node, $"volume '{text}' is not SOURCE:/TARGET[:ro|rw]");
        }

        return new VolumeMount { Source = parts[0], Target = parts[1], ReadOnly = parts.Length == 3 && parts[2] == "ro" };
    }

    private static void CheckName(SourceRef src, string name, string what)
    {
        if (!NameRegex().IsMatch(name))
        {
            throw src.Error($"{what} name '{name}' (from the file name) is invalid: use lower-case letters, digits, '-', '_', '.'");
        }
    }

    private static YamlMappingNode Map(string file, YamlNode node, string what) =>
        node as YamlMappingNode ?? throw At(file, node, $"{what} must be a mapping (key: value)");

    private static IEnumerable<(YamlScalarNode Key, YamlNode Value)> Entries(string file, YamlMappingNode map)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode key)
            {
                throw At(file, k, "keys must be plain scalars");
            }

            yield return (key, v);
        }
    }

    private static IEnumerable<YamlNode> Seq(string file, YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw At(file, node, $"{what} must be a list");

    private static string Scalar(string file, YamlNode node, string what) =>
        node is YamlScalarNode s && !IsNull(node) ? s.Value ?? "" : throw At(file, node, $"{what} must be a single value");

    private static List<string> StringList(string file, YamlNode node, string what) =>
        node is YamlScalarNode s && !IsNull(node) ? [s.Value ?? ""] : [.. Seq(file, node, what).Select(n => Scalar(file, n, what + " item"))];

    private static Dictionary<string, string?> StringMap(string file, YamlNode node, string what)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (k, v) in Entries(file, Map(file, node, what)))
        {
            result[k.Value ?? ""] = IsNull(v) ? null : Scalar(file, v, $"{what} '{k.Value}'");
        }

        return result;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && (s.Value is null or "" or "~" or "null");

    private static SourceRef Ref(string file, YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    private static SpecException At(string file, YamlNode node, string reason) => Ref(file, node).Error(reason);
}
