using System.CommandLine;
using System.Text.Json;
using EdgeNode.Hub.Specs;

namespace EdgeNode.Hub.Cli;

/// <summary>
/// <c>edgenode-hub</c>: <c>serve</c> runs the hub; every other command is a client of the operator HTTP API
/// (<c>--hub</c> / EDGENODE_HUB_URL, <c>--token</c> / EDGENODE_HUB_TOKEN). Tables by default, <c>--json</c> for raw JSON.
/// </summary>
public static class HubCli
{
    private static readonly Option<string> HubOption = new("--hub")
    {
        Description = "Hub base URL (env EDGENODE_HUB_URL)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EDGENODE_HUB_URL") ?? "http://127.0.0.1:8080",
    };

    private static readonly Option<string?> TokenOption = new("--token")
    {
        Description = "Operator bearer token (env EDGENODE_HUB_TOKEN)",
        Recursive = true,
    };

    private static readonly Option<bool> JsonOption = new("--json") { Description = "Print the API's JSON instead of a table", Recursive = true };

    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, HttpMessageHandler? handler = null)
    {
        var root = Build(handler);
        var config = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error };
        return root.Parse(args).InvokeAsync(config);
    }

    public static RootCommand Build(HttpMessageHandler? handler = null)
    {
        var root = new RootCommand("EdgeNode hub: fleet registry, enrollment, desired state and fleet health");
        root.Options.Add(HubOption);
        root.Options.Add(TokenOption);
        root.Options.Add(JsonOption);
        root.Subcommands.Add(ServeCommand.Build());

        var summary = new Command("summary", "Fleet summary: device counts per status");
        summary.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var s = await api.GetAsync("/api/summary", ct);
            return Print(pr, o, s, () => TableWriter.WriteFields(o, s, ("Devices", "total"), ("Online", "online"), ("Degraded", "degraded"),
                ("Offline", "offline"), ("Unknown", "unknown"), ("Retired", "retired"), ("Pending enrollments", "pendingEnrollments"),
                ("Sites", "sites"), ("Slots", "slots")));
        }));
        root.Subcommands.Add(summary);

        var status = new Option<string?>("--status") { Description = "online, degraded, offline, unknown or retired" };
        var site = new Option<string?>("--site") { Description = "Only this site" };
        var label = new Option<string[]>("--label") { Description = "key=value (repeatable; all must match)", AllowMultipleArgumentsPerToken = false };
        var retired = new Option<bool>("--retired") { Description = "Include retired units" };
        var devices = new Command("devices", "List devices") { status, site, label, retired };
        devices.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var query = new List<string>();
            if (pr.GetValue(status) is { } st)
            {
                query.Add("status=" + Uri.EscapeDataString(st));
            }

            if (pr.GetValue(site) is { } si)
            {
                query.Add("site=" + Uri.EscapeDataString(si));
            }

            query.AddRange((pr.GetValue(label) ?? []).Select(l => "label=" + Uri.EscapeDataString(l)));
            if (pr.GetValue(retired))
            {
                query.Add("retired=true");
            }

            var list = await api.GetAsync("/api/devices" + (query.Count > 0 ? "?" + string.Join("&", query) : ""), ct);
            return Print(pr, o, list, () => TableWriter.Write(o, list, ("ID", "id"), ("SLOT", "slot"), ("STATUS", "status"), ("LAST HEARTBEAT", "lastHeartbeat"),
                ("GEN", "appliedGeneration"), ("WANT", "desiredGeneration"), ("DEGRADED", "degraded"), ("MODEL", "model")));
        }));
        root.Subcommands.Add(devices);

        var deviceId = new Argument<string>("device") { Description = "Device id (d-…)" };
        var device = new Command("device", "Show one device with its apps and recent events") { deviceId };
        device.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var id = Uri.EscapeDataString(pr.GetValue(deviceId)!);
            var d = await api.GetAsync($"/api/devices/{id}", ct);
            var events = await api.GetAsync($"/api/devices/{id}/events?limit=10", ct);
            return Print(pr, o, d, () =>
            {
                TableWriter.WriteFields(o, d, ("Device", "id"), ("Hardware", "hardwareId"), ("Model", "model"), ("Slot", "slot"), ("Status", "status"),
                    ("Since", "statusSince"), ("Last heartbeat", "lastHeartbeat"), ("Unit state", "unitState"), ("Boot reason", "bootReason"),
                    ("Uptime (s)", "uptimeSeconds"), ("CPU %", "cpuPercent"), ("Memory MB", "memoryUsedMb"), ("Disk free MB", "diskFreeMb"),
                    ("Temperature C", "temperatureC"), ("Degraded", "degraded"), ("Generation", "appliedGeneration"), ("Desired", "desiredGeneration"),
                    ("Agent", "agentVersion"), ("Retired", "retiredReason"));
                o.WriteLine();
                TableWriter.Write(o, d.GetProperty("apps"), ("APP", "name"), ("IMAGE", "image"), ("PHASE", "phase"), ("RESTARTS", "restarts"), ("ERROR", "error"));
                o.WriteLine();
                TableWriter.Write(o, events, ("TIME", "time"), ("SOURCE", "source"), ("KIND", "kind"), ("APP", "app"), ("DETAIL", "detail"));
            });
        }));
        root.Subcommands.Add(device);

        var state = new Option<string?>("--state") { Description = "pending, approved, rejected or closed" };
        var enrollments = new Command("enrollments", "List enrollment requests") { state };
        enrollments.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var s = pr.GetValue(state);
            var list = await api.GetAsync("/api/enrollments" + (s is null ? "" : "?state=" + Uri.EscapeDataString(s)), ct);
            return Print(pr, o, list, () => TableWriter.Write(o, list, ("ID", "id"), ("STATE", "state"), ("HARDWARE", "hardwareId"), ("MODEL", "model"),
                ("SLOT HINT", "slotHint"), ("DEVICE", "deviceId"), ("SLOT", "slot"), ("LAST SEEN", "lastSeen"), ("REASON", "reason")));
        }));
        root.Subcommands.Add(enrollments);

        var enrollmentId = new Argument<long>("enrollment") { Description = "Enrollment request id" };
        var slot = new Option<string?>("--slot") { Description = "Slot path site/line/cell (default: the request's slot hint)" };
        var approve = new Command("approve", "Approve an enrollment into a slot (retires a unit already there: swap)") { enrollmentId, slot };
        approve.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var d = await api.PostAsync($"/api/enrollments/{pr.GetValue(enrollmentId)}/approve", new { slot = pr.GetValue(slot) }, ct);
            return Print(pr, o, d, () => o.WriteLine($"approved as device {TableWriter.Cell(d, "id")} in slot {TableWriter.Cell(d, "slot")}"));
        }));
        root.Subcommands.Add(approve);

        var reason = new Option<string?>("--reason") { Description = "Why (recorded)" };
        var reject = new Command("reject", "Reject an enrollment request") { enrollmentId, reason };
        reject.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var e = await api.PostAsync($"/api/enrollments/{pr.GetValue(enrollmentId)}/reject", new { reason = pr.GetValue(reason) }, ct);
            return Print(pr, o, e, () => o.WriteLine($"enrollment {TableWriter.Cell(e, "id")} rejected: {TableWriter.Cell(e, "reason")}"));
        }));
        root.Subcommands.Add(reject);

        var retireCmd = new Command("retire", "Revoke a device's key and free its slot") { deviceId, reason };
        retireCmd.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var d = await api.PostAsync($"/api/devices/{Uri.EscapeDataString(pr.GetValue(deviceId)!)}/retire", new { reason = pr.GetValue(reason) }, ct);
            return Print(pr, o, d, () => o.WriteLine($"device {TableWriter.Cell(d, "id")} retired"));
        }));
        root.Subcommands.Add(retireCmd);

        var dir = new Argument<string>("directory") { Description = "Spec directory (base/, groups/, sites/)" };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant to apply to (admins; default: the token's tenant or 'default')" };
        var apply = new Command("apply", "Apply a desired-state spec directory") { dir, tenant };
        apply.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var path = pr.GetValue(dir)!;
            var files = SpecParser.ReadDirectory(path);
            var t = pr.GetValue(tenant);
            var r = await api.PostAsync("/api/spec" + (t is null ? "" : "?tenant=" + Uri.EscapeDataString(t)), new { files, source = "cli:" + Path.GetFullPath(path) }, ct);
            return Print(pr, o, r, () =>
            {
                o.WriteLine($"spec revision {TableWriter.Cell(r, "revision")} applied to tenant {TableWriter.Cell(r, "tenant")}");
                o.WriteLine($"  new generation: {TableWriter.Cell(r, "changedSlots")}");
                o.WriteLine($"  unchanged:      {TableWriter.Cell(r, "unchangedSlots")}");
                if (r.GetProperty("removedSlots").GetArrayLength() > 0)
                {
                    o.WriteLine($"  no longer in spec (kept as is): {TableWriter.Cell(r, "removedSlots")}");
                }
            });
        }));
        root.Subcommands.Add(apply);

        var seconds = new Option<uint>("--seconds") { Description = "How long to blink", DefaultValueFactory = _ => 30 };
        var identify = new Command("identify", "Blink a unit's LEDs (delivered with its next heartbeat ack)") { deviceId, seconds };
        identify.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var c = await api.PostAsync($"/api/devices/{Uri.EscapeDataString(pr.GetValue(deviceId)!)}/identify", new { seconds = pr.GetValue(seconds) }, ct);
            return Print(pr, o, c, () => o.WriteLine($"command {TableWriter.Cell(c, "id")} queued (identify {pr.GetValue(seconds)} s)"));
        }));
        root.Subcommands.Add(identify);

        var action = new Argument<string>("action") { Description = "start, stop, restart or logs" };
        action.AcceptOnlyFromAmong("start", "stop", "restart", "logs");
        var appName = new Argument<string>("app") { Description = "App name" };
        var lines = new Option<uint>("--lines") { Description = "For logs: how many lines", DefaultValueFactory = _ => 100 };
        var app = new Command("app", "App action on a device") { action, deviceId, appName, lines };
        app.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var c = await api.PostAsync(
                $"/api/devices/{Uri.EscapeDataString(pr.GetValue(deviceId)!)}/apps/{Uri.EscapeDataString(pr.GetValue(appName)!)}/{pr.GetValue(action)}",
                new { lines = pr.GetValue(lines) }, ct);
            return Print(pr, o, c, () => o.WriteLine($"command {TableWriter.Cell(c, "id")} queued ({TableWriter.Cell(c, "kind")} {TableWriter.Cell(c, "app")}); see: edgenode-hub command {TableWriter.Cell(c, "id")}"));
        }));
        root.Subcommands.Add(app);

        var commandId = new Argument<long>("command") { Description = "Command id" };
        var command = new Command("command", "Show a command and its result") { commandId };
        command.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var c = await api.GetAsync($"/api/commands/{pr.GetValue(commandId)}", ct);
            return Print(pr, o, c, () => TableWriter.WriteFields(o, c, ("Command", "id"), ("Device", "deviceId"), ("Kind", "kind"), ("App", "app"),
                ("State", "state"), ("Ok", "ok"), ("Message", "message"), ("Output", "output")));
        }));
        root.Subcommands.Add(command);

        var sites = new Command("sites", "List sites");
        sites.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var s = await api.GetAsync("/api/sites", ct);
            return Print(pr, o, s, () => TableWriter.Write(o, s, ("SITE", "name"), ("TENANT", "tenant"), ("GROUPS", "groups"), ("SLOTS", "slots"), ("DEVICES", "devices")));
        }));
        root.Subcommands.Add(sites);

        var slots = new Command("slots", "List slots") { site };
        slots.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var si = pr.GetValue(site);
            var s = await api.GetAsync("/api/slots" + (si is null ? "" : "?site=" + Uri.EscapeDataString(si)), ct);
            return Print(pr, o, s, () => TableWriter.Write(o, s, ("SLOT", "path"), ("GEN", "currentGeneration"), ("PREV", "previousGeneration"),
                ("DEVICE", "deviceId"), ("LABELS", "labels")));
        }));
        root.Subcommands.Add(slots);

        var uses = new Option<int>("--uses") { Description = "How many units may use it", DefaultValueFactory = _ => 1 };
        var hours = new Option<double>("--hours") { Description = "Validity in hours", DefaultValueFactory = _ => 24 };
        var slotArg = new Argument<string>("slot") { Description = "Slot path site/line/cell" };
        var enrollToken = new Command("enrollment-token", "Create a slot-scoped enrollment token (auto-approval), printed once") { slotArg, uses, hours };
        enrollToken.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var t = await api.PostAsync("/api/enrollment-tokens", new { slot = pr.GetValue(slotArg), uses = pr.GetValue(uses), validHours = pr.GetValue(hours) }, ct);
            return Print(pr, o, t, () => o.WriteLine($"{TableWriter.Cell(t, "token")}  (slot {TableWriter.Cell(t, "slot")}, expires {TableWriter.Cell(t, "expires")}; shown once)"));
        }));
        root.Subcommands.Add(enrollToken);

        var tokenName = new Argument<string>("name") { Description = "Token name" };
        var tokenCreate = new Command("create-token", "Create an operator API token, printed once") { tokenName, tenant };
        tokenCreate.SetAction((pr, ct) => Call(pr, handler, ct, async (api, o) =>
        {
            var t = await api.PostAsync("/api/tokens", new { name = pr.GetValue(tokenName), tenant = pr.GetValue(tenant) }, ct);
            return Print(pr, o, t, () => o.WriteLine($"{TableWriter.Cell(t, "token")}  (id {TableWriter.Cell(t, "id")}, tenant {TableWriter.Cell(t, "tenant")}; shown once)"));
        }));
        root.Subcommands.Add(tokenCreate);
        FleetOperationsCommands.AddTo(root, handler);
        return root;
    }

    internal static int Print(ParseResult pr, TextWriter o, JsonElement value, Action table)
    {
        if (pr.GetValue(JsonOption))
        {
            o.WriteLine(JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            table();
        }

        return 0;
    }

    internal static async Task<int> Call(ParseResult pr, HttpMessageHandler? handler, CancellationToken ct, Func<HubApiClient, TextWriter, Task<int>> body)
    {
        var output = pr.InvocationConfiguration.Output;
        var error = pr.InvocationConfiguration.Error;
        if (!Uri.TryCreate(pr.GetValue(HubOption), UriKind.Absolute, out var baseUri))
        {
            await error.WriteLineAsync($"error: --hub '{pr.GetValue(HubOption)}' is not an absolute URL");
            return 2;
        }

        using var api = new HubApiClient(baseUri, pr.GetValue(TokenOption) ?? Environment.GetEnvironmentVariable("EDGENODE_HUB_TOKEN"), handler);
        try
        {
            return await body(api, output);
        }
        catch (HubApiException e)
        {
            await error.WriteLineAsync("error: " + e.Message + (e.Status == 401 ? " (pass --token or set EDGENODE_HUB_TOKEN)" : ""));
            return e.Status == 401 ? 3 : 1;
        }
        catch (SpecException e)
        {
            await error.WriteLineAsync($"error: {e.File}:{e.Line}: {e.Reason}");
            return 1;
        }
    }
}
