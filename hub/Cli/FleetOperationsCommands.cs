using System.CommandLine;
using EdgeNode.Hub.Specs;

namespace EdgeNode.Hub.Cli;

/// <summary>
/// Issue 8 commands: <c>rollout create|list|show|pause|resume|abort|rollback</c>, <c>token list|create|revoke</c>,
/// <c>alert list|rules|add-rule|delete-rule|deliveries</c>, <c>tenant list|create</c>. All go through the operator HTTP API.
/// </summary>
public static class FleetOperationsCommands
{
    public static void AddTo(RootCommand root, HttpMessageHandler? handler)
    {
        root.Subcommands.Add(Rollout(handler));
        root.Subcommands.Add(Token(handler));
        root.Subcommands.Add(Alert(handler));
        root.Subcommands.Add(Tenant(handler));
    }

    private static Command Tenant(HttpMessageHandler? handler)
    {
        var tenant = new Command("tenant", "Tenants (customers owning sites); creating one needs an admin token");
        var list = new Command("list", "Tenants visible to the token");
        list.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            var rows = await api.GetAsync("/api/tenants", ct);
            return HubCli.Print(pr, o, rows, () => TableWriter.Write(o, rows, ("ID", "id"), ("NAME", "name")));
        }));
        tenant.Subcommands.Add(list);

        var id = new Argument<string>("id") { Description = "Tenant id (lower-case letters, digits, '-', '_')" };
        var name = new Option<string?>("--name") { Description = "Display name" };
        var create = new Command("create", "Create a tenant (admin)") { id, name };
        create.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            var t = await api.PostAsync("/api/tenants", new { id = pr.GetValue(id), name = pr.GetValue(name) }, ct);
            return HubCli.Print(pr, o, t, () => o.WriteLine($"tenant {TableWriter.Cell(t, "id")} created; give it a token: edgenode-hub token create <name> --tenant {TableWriter.Cell(t, "id")}"));
        }));
        tenant.Subcommands.Add(create);
        return tenant;
    }

    private static Command Rollout(HttpMessageHandler? handler)
    {
        var rollout = new Command("rollout", "Staged rollouts: apply a spec wave by wave behind a health gate");
        var dir = new Argument<string>("directory") { Description = "Spec directory (base/, groups/, sites/)" };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant (admins; default: the token's tenant or 'default')" };
        var waves = new Option<string[]>("--wave") { Description = "Wave size: a count (1), a percentage (10%) or rest; repeat per wave (default 1, 10%, rest)" };
        var soak = new Option<double>("--soak") { Description = "Soak time per wave in seconds", DefaultValueFactory = _ => 300 };
        var site = new Option<string?>("--site") { Description = "Only slots of this site take part" };
        var label = new Option<string[]>("--label") { Description = "Only slots with this label key=value (repeatable)" };
        var slot = new Option<string[]>("--slot") { Description = "Only these slots (repeatable)" };
        var noRollback = new Option<bool>("--no-auto-rollback") { Description = "When a gate fails, halt but keep the updated slots (roll back by hand)" };
        var create = new Command("create", "Apply a spec directory as a staged rollout") { dir, tenant, waves, soak, site, label, slot, noRollback };
        create.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            var path = pr.GetValue(dir)!;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var l in pr.GetValue(label) ?? [])
            {
                var eq = l.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new HubApiException(400, $"--label '{l}' is not key=value");
                }

                labels[l[..eq]] = l[(eq + 1)..];
            }

            var w = pr.GetValue(waves);
            var r = await api.PostAsync("/api/rollouts", new
            {
                files = SpecParser.ReadDirectory(path),
                source = "cli:" + Path.GetFullPath(path),
                tenant = pr.GetValue(tenant),
                waves = w is { Length: > 0 } ? w : null,
                soakSeconds = pr.GetValue(soak),
                selector = new { site = pr.GetValue(site), labels, slots = pr.GetValue(slot) ?? [] },
                autoRollback = !pr.GetValue(noRollback),
            }, ct);
            return HubCli.Print(pr, o, r, () =>
            {
                o.WriteLine($"rollout {TableWriter.Cell(r, "id")} started: {TableWriter.Cell(r, "state")}, wave {TableWriter.Cell(r, "currentWave")}/{TableWriter.Cell(r, "waveCount")}");
                WriteWaves(o, r);
            });
        }));
        rollout.Subcommands.Add(create);

        var state = new Option<string?>("--state") { Description = "running, paused, halted, completed, aborted or rolledback" };
        var list = new Command("list", "List rollouts, newest first") { state };
        list.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            var s = pr.GetValue(state);
            var rows = await api.GetAsync("/api/rollouts" + (s is null ? "" : "?state=" + Uri.EscapeDataString(s)), ct);
            return HubCli.Print(pr, o, rows, () => TableWriter.Write(o, rows, ("ID", "id"), ("TENANT", "tenant"), ("STATE", "state"), ("WAVE", "currentWave"),
                ("OF", "waveCount"), ("SOAK S", "soakSeconds"), ("CREATED", "created"), ("HALT REASON", "haltReason")));
        }));
        rollout.Subcommands.Add(list);

        var id = new Argument<long>("rollout") { Description = "Rollout id" };
        var show = new Command("show", "Show a rollout wave by wave, with every slot") { id };
        show.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            var r = await api.GetAsync($"/api/rollouts/{pr.GetValue(id)}", ct);
            return HubCli.Print(pr, o, r, () =>
            {
                TableWriter.WriteFields(o, r, ("Rollout", "id"), ("Tenant", "tenant"), ("State", "state"), ("Wave", "currentWave"), ("Waves", "waveCount"),
                    ("Soak (s)", "soakSeconds"), ("Auto rollback", "autoRollback"), ("Spec revision", "specRevision"), ("Created by", "createdBy"),
                    ("Halt reason", "haltReason"));
                o.WriteLine();
                WriteWaves(o, r);
                o.WriteLine();
                TableWriter.Write(o, r.GetProperty("slots"), ("SLOT", "slot"), ("WAVE", "wave"), ("DEVICE", "deviceId"), ("FROM", "fromGeneration"),
                    ("TO", "toGeneration"), ("STATE", "state"), ("DETAIL", "detail"));
            });
        }));
        rollout.Subcommands.Add(show);

        foreach (var (verb, help) in new[]
                 {
                     ("pause", "Pause a rollout (no further wave starts; the gate still watches)"), ("resume", "Resume a paused rollout"),
                     ("abort", "Abort a rollout (updated slots keep the new generation)"), ("rollback", "Move every slot a rollout updated back to its previous generation"),
                 })
        {
            var action = new Command(verb, help) { id };
            action.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
            {
                var r = await api.PostAsync($"/api/rollouts/{pr.GetValue(id)}/{verb}", null, ct);
                return HubCli.Print(pr, o, r, () => o.WriteLine($"rollout {TableWriter.Cell(r, "id")} is now {TableWriter.Cell(r, "state")}"));
            }));
            rollout.Subcommands.Add(action);
        }

        return rollout;
    }

    private static void WriteWaves(TextWriter o, System.Text.Json.JsonElement r) =>
        TableWriter.Write(o, r.GetProperty("waves"), ("WAVE", "index"), ("SIZE", "size"), ("STATE", "state"), ("SLOTS", "slots"), ("UPDATING", "updating"),
            ("PASSED", "passed"), ("FAILED", "failed"), ("ROLLED BACK", "rolledBack"), ("SOAK ENDS", "soakEnds"));

    private static Command Token(HttpMessageHandler? handler)
    {
        var token = new Command("token", "Operator API tokens (stored hashed; a new token is shown once)");
        var list = new Command("list", "List tokens (never their secrets)");
        list.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            var rows = await api.GetAsync("/api/tokens", ct);
            return HubCli.Print(pr, o, rows, () => TableWriter.Write(o, rows, ("ID", "id"), ("NAME", "name"), ("TENANT", "tenant"), ("CREATED", "created"), ("REVOKED", "revoked")));
        }));
        token.Subcommands.Add(list);

        var name = new Argument<string>("name") { Description = "Token name" };
        var tenant = new Option<string?>("--tenant") { Description = "Scope it to this tenant (admins; omit for a fleet-wide admin token)" };
        var create = new Command("create", "Create a token, printed once") { name, tenant };
        create.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            var t = await api.PostAsync("/api/tokens", new { name = pr.GetValue(name), tenant = pr.GetValue(tenant) }, ct);
            return HubCli.Print(pr, o, t, () => o.WriteLine($"{TableWriter.Cell(t, "token")}  (id {TableWriter.Cell(t, "id")}, tenant {TableWriter.Cell(t, "tenant")}; shown once)"));
        }));
        token.Subcommands.Add(create);

        var id = new Argument<long>("token") { Description = "Token id" };
        var revoke = new Command("revoke", "Revoke a token (it stops working at once)") { id };
        revoke.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            await api.DeleteAsync($"/api/tokens/{pr.GetValue(id)}", ct);
            o.WriteLine($"token {pr.GetValue(id)} revoked");
            return 0;
        }));
        token.Subcommands.Add(revoke);
        return token;
    }

    private static Command Alert(HttpMessageHandler? handler)
    {
        var alert = new Command("alert", "Alert rules, firing alerts and webhook delivery records");
        var list = new Command("list", "Alerts firing now");
        list.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            var rows = await api.GetAsync("/api/alerts", ct);
            return HubCli.Print(pr, o, rows, () => TableWriter.Write(o, rows, ("RULE", "ruleId"), ("KIND", "kind"), ("SUBJECT", "subject"), ("SINCE", "since"), ("SUMMARY", "summary")));
        }));
        alert.Subcommands.Add(list);

        var rules = new Command("rules", "List alert rules");
        rules.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            var rows = await api.GetAsync("/api/alerts/rules", ct);
            return HubCli.Print(pr, o, rows, () => TableWriter.Write(o, rows, ("ID", "id"), ("TENANT", "tenant"), ("KIND", "kind"), ("THRESHOLD S", "thresholdSeconds"), ("WEBHOOK", "webhookUrl")));
        }));
        alert.Subcommands.Add(rules);

        var kind = new Option<string>("--kind") { Description = "device-offline, device-degraded, app-failed or rollout-halted", Required = true };
        var webhook = new Option<string>("--webhook") { Description = "URL that receives the JSON notifications", Required = true };
        var threshold = new Option<double>("--threshold") { Description = "Seconds the condition must hold", DefaultValueFactory = _ => 0 };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant (admins; omit for a fleet-wide rule)" };
        var add = new Command("add-rule", "Create an alert rule") { kind, webhook, threshold, tenant };
        add.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            var r = await api.PostAsync("/api/alerts/rules", new { kind = pr.GetValue(kind), webhookUrl = pr.GetValue(webhook), thresholdSeconds = pr.GetValue(threshold), tenant = pr.GetValue(tenant) }, ct);
            return HubCli.Print(pr, o, r, () => o.WriteLine($"alert rule {TableWriter.Cell(r, "id")} created ({TableWriter.Cell(r, "kind")})"));
        }));
        alert.Subcommands.Add(add);

        var id = new Argument<long>("rule") { Description = "Rule id" };
        var delete = new Command("delete-rule", "Delete an alert rule") { id };
        delete.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            await api.DeleteAsync($"/api/alerts/rules/{pr.GetValue(id)}", ct);
            o.WriteLine($"alert rule {pr.GetValue(id)} deleted");
            return 0;
        }));
        alert.Subcommands.Add(delete);

        var state = new Option<string?>("--state") { Description = "pending, delivered or failed" };
        var deliveries = new Command("deliveries", "Webhook deliveries (failed ones are the record of alerts that did not get through)") { state };
        deliveries.SetAction((pr, ct) => HubCli.Call(pr, handler, ct, async (api, o) =>
        {
            var s = pr.GetValue(state);
            var rows = await api.GetAsync("/api/alerts/deliveries" + (s is null ? "" : "?state=" + Uri.EscapeDataString(s)), ct);
            return HubCli.Print(pr, o, rows, () => TableWriter.Write(o, rows, ("ID", "id"), ("RULE", "ruleId"), ("STATE", "state"), ("ATTEMPTS", "attempts"),
                ("LAST ERROR", "lastError"), ("URL", "url")));
        }));
        alert.Subcommands.Add(deliveries);
        return alert;
    }
}
