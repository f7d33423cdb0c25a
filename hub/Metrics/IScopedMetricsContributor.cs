using EdgeNode.Hub.Fleet;

namespace EdgeNode.Hub.Metrics;

/// <summary>Adds tenant-labelled samples to /metrics, limited to the caller's scope (tenant tokens see only their own series).</summary>
public interface IScopedMetricsContributor
{
    void Write(PrometheusWriter writer, OperatorScope scope);
}
