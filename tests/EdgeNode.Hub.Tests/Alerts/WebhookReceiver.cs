using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Hub.Tests.Alerts;

/// <summary>
/// A real HTTP receiver (Kestrel on 127.0.0.1, ephemeral port). POST /hook/{name}: the first <c>failFirst[name]</c>
/// attempts get 500, a name in <c>alwaysDown</c> always gets 503; every attempt is recorded with the hub's fake time.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Name, DateTimeOffset At, int Status, string Body)> Received { get; } = new();

    public string Url(string name) => _app.Urls.First().TrimEnd('/') + "/hook/" + name;

    public static async Task<WebhookReceiver> StartAsync(TimeProvider clock, IReadOnlyDictionary<string, int> failFirst, params string[] alwaysDown)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook/{name}", async (string name, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var attempt = receiver._attempts.AddOrUpdate(name, 1, (_, n) => n + 1);
            var status = alwaysDown.Contains(name) ? 503 : attempt <= failFirst.GetValueOrDefault(name) ? 500 : 200;
            receiver.Received.Enqueue((name, clock.GetUtcNow(), status, body));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
