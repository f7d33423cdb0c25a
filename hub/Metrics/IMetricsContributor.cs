namespace EdgeNode.Hub.Metrics;

/// <summary>Adds fleet-wide samples to /metrics (e.g. the CoAP/DTLS endpoints' counters). Only admin scrapes see them.</summary>
public interface IMetricsContributor
{
    void Write(PrometheusWriter writer);
}
