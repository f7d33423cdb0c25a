using System.Text.Json.Serialization;
using EdgeNode.Hub.Api;
using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Dashboard;
using EdgeNode.Hub.Devices;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Health;
using EdgeNode.Hub.Metrics;
using EdgeNode.Hub.Specs;
using EdgeNode.Hub.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Hub.Hosting;

/// <summary>
/// The whole hub in one object: store, registry, device protocol, operator API, dashboard, metrics, background
/// timers and (when configured) the CoAP/CoAPS endpoints. <c>edgenode-hub serve</c> and the tests build it the same way.
/// </summary>
public sealed partial class HubHost : IAsyncDisposable
{
    private HubHost(WebApplication app, HubOptions options, string? generatedToken)
    {
        App = app;
        Options = options;
        GeneratedAdminToken = generatedToken;
    }

    public WebApplication App { get; }

    public HubOptions Options { get; }

    /// <summary>The admin token created at this start (first start of a data directory only), else null.</summary>
    public string? GeneratedAdminToken { get; }

    public FleetRegistry Fleet => App.Services.GetRequiredService<FleetRegistry>();

    public DeviceProtocolHandler Devices => App.Services.GetRequiredService<DeviceProtocolHandler>();

    public OperatorTokens Tokens => App.Services.GetRequiredService<OperatorTokens>();

    public HubMetrics Metrics => App.Services.GetRequiredService<HubMetrics>();

    public HubMaintenance Maintenance => App.Services.GetRequiredService<HubMaintenance>();

    /// <summary>The HTTP base address actually bound (after <see cref="StartAsync"/>).</summary>
    public Uri HttpAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static HubHost Create(HubOptions options, TimeProvider? time = null, Action<ILoggingBuilder>? logging = null)
    {
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "edgenode-hub" });
        builder.WebHost.UseUrls(options.HttpUrl);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        logging?.Invoke(builder.Logging);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<HubMetrics>();
        builder.Services.AddSingleton(_ => HubStore.Open(options.DataDirectory));
        builder.Services.AddSingleton(sp => new FleetRegistry(sp.GetRequiredService<HubStore>(), options, time, sp.GetRequiredService<HubMetrics>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeNode.Hub.Fleet")));
        builder.Services.AddSingleton(sp => new DeviceProtocolHandler(sp.GetRequiredService<FleetRegistry>(), options, sp.GetRequiredService<HubMetrics>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeNode.Hub.Devices")));
        builder.Services.AddSingleton<OperatorTokens>();
        builder.Services.AddSingleton<HubMetricsRenderer>();
        builder.Services.AddSingleton<HubMaintenance>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HubMaintenance>());
        AddDeviceEndpoints(builder.Services, options);
        AddFleetOperations(builder.Services);

        var app = builder.Build();
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseMiddleware<ApiAuthMiddleware>();
        app.MapOperatorApi();
        app.MapDashboard();
        app.MapFleetOperations();
        app.MapGet("/openapi.json", (EndpointDataSource endpoints) => OpenApiDocumentBuilder.Build(endpoints).ToJsonString())
            .WithSummary("This OpenAPI document (no token)");

        RestrictDataDirectory(options.DataDirectory);
        var fleet = app.Services.GetRequiredService<FleetRegistry>();
        var token = app.Services.GetRequiredService<OperatorTokens>().EnsureAdminToken();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeNode.Hub");
        if (token is not null)
        {
            var output = options.TokenOutput ?? Console.Out;
            output.WriteLine("EdgeNode hub: created the admin API token. It is shown ONLY NOW; store it safely (the hub keeps only its hash):");
            output.WriteLine("  " + token);
            output.Flush();
        }

        if (options.SpecDirectory is { } dir)
        {
            try
            {
                var result = fleet.ApplySpec(OperatorScope.Admin, options.SpecTenant, SpecParser.ReadDirectory(dir), "dir:" + dir);
                Log.SpecLoaded(log, dir, result.Revision, result.ChangedSlots.Count);
            }
            catch (SpecException e)
            {
                Log.SpecInvalid(log, dir, e.File, e.Line, e.Reason);
            }
        }

        return new HubHost(app, options, token);
    }

    static partial void AddDeviceEndpoints(IServiceCollection services, HubOptions options);

    private static void RestrictDataDirectory(string dir)
    {
        if (!OperatingSystem.IsWindows())
        {
            // hub.db holds the device keys.
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => App.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => App.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Spec directory {Dir} applied as revision {Revision} ({Changed} slot(s) changed)")]
        public static partial void SpecLoaded(ILogger logger, string dir, long revision, int changed);

        [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Spec directory {Dir} is invalid at {File}:{Line}: {Reason}. The previous spec stays in force")]
        public static partial void SpecInvalid(ILogger logger, string dir, string file, int line, string reason);
    }
}
