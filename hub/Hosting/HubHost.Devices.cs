using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Devices;
using EdgeNode.Hub.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeNode.Hub.Hosting;

public sealed partial class HubHost
{
    /// <summary>The CoAP/CoAPS endpoints (null members when disabled).</summary>
    public DeviceEndpoints Endpoints => App.Services.GetRequiredService<DeviceEndpoints>();

    static partial void AddDeviceEndpoints(IServiceCollection services, HubOptions options)
    {
        services.AddSingleton<DeviceEndpoints>();
        services.AddSingleton<IMetricsContributor>(sp => sp.GetRequiredService<DeviceEndpoints>());
        services.AddHostedService(sp => sp.GetRequiredService<DeviceEndpoints>());
    }
}
