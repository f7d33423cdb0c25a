using System.Globalization;
using System.Text;

namespace EdgeNode.Hub.Metrics;

/// <summary>Writes the Prometheus text exposition format (0.0.4): HELP/TYPE once per family, then samples.</summary>
public sealed class PrometheusWriter
{
    private readonly StringBuilder _sb = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    public void Counter(string name, string help, double value, params (string Key, string Value)[] labels) => Sample(name, "counter", help, value, labels);

    public void Gauge(string name, string help, double value, params (string Key, string Value)[] labels) => Sample(name, "gauge", help, value, labels);

    private void Sample(string name, string type, string help, double value, (string Key, string Value)[] labels)
    {
        if (_families.Add(name))
        {
            _sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            _sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        }

        _sb.Append(name);
        if (labels.Length > 0)
        {
            _sb.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    _sb.Append(',');
                }

                _sb.Append(labels[i].Key).Append("=\"")
                    .Append(labels[i].Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal))
                    .Append('"');
            }

            _sb.Append('}');
        }

        _sb.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public override string ToString() => _sb.ToString();
}
