using System.CommandLine;
using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Hosting;

namespace EdgeNode.Hub.Cli;

/// <summary><c>edgenode-hub serve</c>: runs the hub until SIGTERM/Ctrl+C.</summary>
public static class ServeCommand
{
    public static Command Build()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Data directory (hub.db)", DefaultValueFactory = _ => "hub-data" };
        var http = new Option<string>("--http") { Description = "HTTP API/dashboard/metrics URL", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var bind = new Option<string>("--bind") { Description = "Address for the CoAP/CoAPS sockets", DefaultValueFactory = _ => "0.0.0.0" };
        var coap = new Option<int>("--coap-port") { Description = "Plain CoAP port (development; -1 disables)", DefaultValueFactory = _ => 5683 };
        var coaps = new Option<int>("--coaps-port") { Description = "CoAP over DTLS-PSK port (-1 disables)", DefaultValueFactory = _ => 5684 };
        var specDir = new Option<string?>("--spec-dir") { Description = "Desired-state spec directory (e.g. a git checkout), applied at start and by POST /api/spec/reload" };
        var specTenant = new Option<string>("--spec-tenant") { Description = "Tenant the spec directory belongs to", DefaultValueFactory = _ => FleetDefaults.DefaultTenant };
        var interval = new Option<double>("--heartbeat-interval") { Description = "Heartbeat interval in seconds", DefaultValueFactory = _ => 10 };
        var offline = new Option<double?>("--offline-timeout") { Description = "Seconds without heartbeat until Offline (default 3 × interval)" };
        var flush = new Option<double>("--flush-interval") { Description = "Seconds between heartbeat flushes to SQLite", DefaultValueFactory = _ => 5 };
        var enroll = new Option<string[]>("--enroll")
        {
            Description = "Fleet enrollment credential IDENTITY=HEXKEY[@TENANT] (repeatable), or IDENTITY=@FILE to read the hex key from a file",
        };
        var plainPsk = new Option<bool>("--dev-psk-over-plain") { Description = "Development only: also hand out device keys over plain CoAP" };
        var serve = new Command("serve", "Run the hub") { dataDir, http, bind, coap, coaps, specDir, specTenant, interval, offline, flush, enroll, plainPsk };
        serve.SetAction(async (pr, ct) =>
        {
            var options = new HubOptions
            {
                DataDirectory = pr.GetValue(dataDir)!,
                HttpUrl = pr.GetValue(http)!,
                CoapBindAddress = pr.GetValue(bind)!,
                CoapPort = pr.GetValue(coap),
                CoapsPort = pr.GetValue(coaps),
                SpecDirectory = pr.GetValue(specDir),
                SpecTenant = pr.GetValue(specTenant)!,
                HeartbeatInterval = TimeSpan.FromSeconds(pr.GetValue(interval)),
                OfflineTimeout = pr.GetValue(offline) is { } o ? TimeSpan.FromSeconds(o) : null,
                FlushInterval = TimeSpan.FromSeconds(pr.GetValue(flush)),
                IssuePskOverPlainCoap = pr.GetValue(plainPsk),
            };
            foreach (var spec in pr.GetValue(enroll) ?? [])
            {
                if (!TryParseCredential(spec, out var credential, out var why))
                {
                    await pr.InvocationConfiguration.Error.WriteLineAsync($"error: --enroll '{spec}': {why}");
                    return 2;
                }

                options.EnrollmentCredentials.Add(credential!);
            }

            await using var host = HubHost.Create(options);
            await host.App.RunAsync();
            return 0;
        });
        return serve;
    }

    public static bool TryParseCredential(string text, out EnrollmentCredential? credential, out string why)
    {
        credential = null;
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            why = "expected IDENTITY=HEXKEY[@TENANT]";
            return false;
        }

        var identity = text[..eq];
        var rest = text[(eq + 1)..];
        string? tenant = null;
        string hex;
        if (rest.StartsWith('@'))
        {
            var file = rest[1..];
            if (!File.Exists(file))
            {
                why = $"key file '{file}' does not exist";
                return false;
            }

            hex = File.ReadAllText(file).Trim();
        }
        else
        {
            var at = rest.IndexOf('@', StringComparison.Ordinal);
            hex = at >= 0 ? rest[..at] : rest;
            tenant = at >= 0 ? rest[(at + 1)..] : null;
        }

        try
        {
            var key = Convert.FromHexString(hex);
            if (key.Length < 16)
            {
                why = "the key must be at least 16 bytes (32 hex digits)";
                return false;
            }

            credential = new EnrollmentCredential(identity, key, tenant);
            why = "";
            return true;
        }
        catch (FormatException)
        {
            why = "the key is not hex";
            return false;
        }
    }
}
