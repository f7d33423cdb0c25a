using System.Text.RegularExpressions;
using EdgeNode.Hub.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace EdgeNode.Hub.Tests.Alerts;

/// <summary>
/// hub/alerting/edgenode-rules.yml is well-formed Prometheus rule YAML, and every metric (and every label value it
/// matches on) exists in a running hub's /metrics. (promtool is not packaged on the CI box's apt sources we install.)
/// </summary>
public sealed partial class PrometheusRulesTests
{
    /// <summary>PromQL functions, keywords and Prometheus' own series that are not hub metrics.</summary>
    private static readonly HashSet<string> NotMetrics = new(StringComparer.Ordinal)
    {
        "sum", "by", "rate", "delta", "clamp_min", "and", "or", "unless", "increase", "max", "min", "count", "without", "on", "ignoring", "up", "e9",
    };

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"by \([^)]*\)")]
    private static partial Regex ByClause();

    [GeneratedRegex(@"\[[0-9]+[smhd]\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"([a-z_]+)(=~|=)""([^""]*)""")]
    private static partial Regex Matcher();

    [GeneratedRegex(@"^[0-9]+[smhd]$")]
    private static partial Regex Duration();

    private static string RulesFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "hub", "alerting", "edgenode-rules.yml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("hub/alerting/edgenode-rules.yml not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task RulesFile_WellFormedAndEveryMetricExistsInHubMetrics()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RulesFile()))
        {
            yaml.Load(reader);
        }

        var rules = ((YamlSequenceNode)((YamlMappingNode)yaml.Documents.Single().RootNode)["groups"]).Children.Cast<YamlMappingNode>()
            .SelectMany(g =>
            {
                Assert.False(string.IsNullOrWhiteSpace(((YamlScalarNode)g["name"]).Value));
                return ((YamlSequenceNode)g["rules"]).Children.Cast<YamlMappingNode>();
            })
            .ToList();
        Assert.True(rules.Count >= 10, $"only {rules.Count} rules");

        await using var hub = await TestHub.StartAsync(network: true);
        using var http = hub.Client();
        var metrics = await http.GetStringAsync("/metrics");
        var names = rules.Select(r => ((YamlScalarNode)r["alert"]).Value).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var rule in rules)
        {
            var alert = ((YamlScalarNode)rule["alert"]).Value!;
            var expr = ((YamlScalarNode)rule["expr"]).Value!;
            Assert.Matches("^[A-Z][A-Za-z]+$", alert);
            Assert.Contains(((YamlScalarNode)((YamlMappingNode)rule["labels"])["severity"]).Value, new[] { "info", "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(((YamlScalarNode)((YamlMappingNode)rule["annotations"])["summary"]).Value), alert);
            if (rule.Children.TryGetValue(new YamlScalarNode("for"), out var forNode))
            {
                Assert.Matches(Duration(), ((YamlScalarNode)forNode).Value!);
            }

            // Metric names: what is left after label matchers, "by (...)", ranges, numbers and PromQL words.
            var bare = Range().Replace(ByClause().Replace(Matchers().Replace(expr, " "), " "), " ");
            var metricNames = Identifier().Matches(bare).Select(m => m.Value).Where(m => !NotMetrics.Contains(m)).Distinct().ToList();
            Assert.True(metricNames.Count > 0 || expr.StartsWith("up", StringComparison.Ordinal), $"{alert}: no metric in '{expr}'");
            foreach (var metric in metricNames)
            {
                Assert.True(metrics.Contains($"# TYPE {metric} ", StringComparison.Ordinal), $"{alert}: metric {metric} is not in the hub's /metrics");
            }

            // Label values matched with = or =~ exist in some sample (job is added by Prometheus itself).
            foreach (Match m in Matcher().Matches(expr))
            {
                if (m.Groups[1].Value == "job")
                {
                    continue;
                }

                foreach (var value in m.Groups[3].Value.Split('|'))
                {
                    Assert.True(metrics.Contains($"{m.Groups[1].Value}=\"{value}\"", StringComparison.Ordinal), $"{alert}: no sample has {m.Groups[1].Value}=\"{value}\"");
                }
            }
        }
    }
}
