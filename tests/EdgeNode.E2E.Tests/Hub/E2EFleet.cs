using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeNode.E2E.Tests.Qemu;

namespace EdgeNode.E2E.Tests.Hub;

/// <summary>
/// The hub side of an e2e scenario: a <see cref="HubProcess"/> with the factory image's enrollment credential and
/// a spec with one slot (<see cref="Slot"/>) running two busybox apps from the image cache (pull: never, so a
/// running app proves it came from the pre-populated cache: no registry exists).
/// </summary>
public sealed class E2EFleet : IAsyncDisposable
{
    public const string Site = "e2e";
    public const string Slot = "e2e/line1/cell1";
    public static readonly string[] Apps = ["ticker", "sidecar"];

    private E2EFleet(HubProcess hub) => Hub = hub;

    public HubProcess Hub { get; }

    /// <summary>Options for a test machine that talks to this fleet's hub (its CoAPS port redirected in the guest).</summary>
    public QemuMachineOptions MachineOptions() => new() { HubPort = Hub.CoapsPort };

    public static async Task<E2EFleet> StartAsync(FactoryImage image, string name)
    {
        var workDirectory = Path.Combine(image.ArtifactsDirectory, $"{DateTime.UtcNow:HHmmss}-{name}-hub-{Guid.NewGuid().ToString("N")[..6]}");
        var key = image.ReadFactoryConfig("enrollment/key");
        var hub = new HubProcess(workDirectory, image.ReadFactoryConfig("enrollment/identity"), key.StartsWith("hex:", StringComparison.Ordinal) ? key[4..] : key);
        await hub.StartAsync();
        var fleet = new E2EFleet(hub);
        await hub.PostAsync("/api/spec", new
        {
            files = new Dictionary<string, string>
            {
                ["base/apps.yaml"] = """
                    apps:
                      ticker:
                        image: edgenode/e2e-app:1
                        pull: never
                        restart: always
                        priority: critical
                        memory: 32Mi
                      sidecar:
                        image: edgenode/e2e-app:1
                        pull: never
                        restart: always
                        priority: normal
                        memory: 16Mi
                        command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do date > /tmp/now; sleep 2; done"]
                    """,
                [$"sites/{Site}.yaml"] = "slots:\n  line1/cell1:\n",
            },
            source = "e2e",
        });
        return fleet;
    }

    /// <summary>Polls the pending enrollments until one not in <paramref name="known"/> appears; returns its id and hardware id.</summary>
    public async Task<(long Id, string HardwareId)> WaitForNewEnrollmentAsync(ISet<long> known, TimeSpan timeout)
    {
        var node = await PollAsync(async () =>
        {
            var list = (await Hub.GetAsync("/api/enrollments?state=pending")).AsArray();
            return list.FirstOrDefault(e => !known.Contains(e!["id"]!.GetValue<long>()));
        }, timeout, "a new pending enrollment request");
        var id = node!["id"]!.GetValue<long>();
        known.Add(id);
        return (id, node["hardwareId"]!.GetValue<string>());
    }

    /// <summary>Approves an enrollment request into <paramref name="slot"/>; returns the new device id.</summary>
    public async Task<string> ApproveAsync(long enrollmentId, string slot = Slot)
    {
        var device = await Hub.PostAsync($"/api/enrollments/{enrollmentId}/approve", new { slot });
        return device["id"]!.GetValue<string>();
    }

    public Task<JsonNode> GetDeviceAsync(string deviceId) => Hub.GetAsync($"/api/devices/{deviceId}");

    /// <summary>Polls the device until <paramref name="condition"/> holds.</summary>
    public Task<JsonNode> WaitForDeviceAsync(string deviceId, Func<JsonNode, bool> condition, TimeSpan timeout, string what) =>
        PollAsync(async () =>
        {
            var d = await GetDeviceAsync(deviceId);
            return condition(d) ? d : null;
        }, timeout, $"device {deviceId}: {what}");

    /// <summary>Online, desired generation applied, and every app reported running.</summary>
    public static bool IsOnlineWithAppsRunning(JsonNode d) =>
        Is(d, "status", "Online") && d["desiredGeneration"]!.GetValue<ulong>() > 0 &&
        d["appliedGeneration"]!.GetValue<ulong>() == d["desiredGeneration"]!.GetValue<ulong>() &&
        d["apps"] is JsonArray apps && Apps.All(a => apps.Any(x => Is(x!, "name", a) && Is(x!, "phase", "Running")));

    public static bool Is(JsonNode node, string property, string value) =>
        string.Equals(node[property]?.ToString(), value, StringComparison.OrdinalIgnoreCase);

    /// <summary>The device's agent-journal events (those with a sequence number), oldest first.</summary>
    public async Task<List<(ulong Sequence, string Kind, string App, string Detail)>> AgentEventsAsync(string deviceId)
    {
        var list = (await Hub.GetAsync($"/api/devices/{deviceId}/events?limit=100000")).AsArray();
        return list.Where(e => e!["sequence"] is JsonValue)
            .Select(e => (e!["sequence"]!.GetValue<ulong>(), e["kind"]!.ToString(), e["app"]?.ToString() ?? "", e["detail"]?.ToString() ?? ""))
            .OrderBy(e => e.Item1)
            .ToList();
    }

    /// <summary>
    /// Checks the delivery guarantees on the hub's copy of a device's agent journal: every sequence number at most
    /// once and in increasing order (the agent may skip numbers: it reserves them in blocks so that a crash never
    /// reuses one), and one critical "boot #N" event for every agent start N in a contiguous range (none lost).
    /// Returns the boot numbers seen.
    /// </summary>
    public static List<uint> AssertDeliveredOnce(IReadOnlyList<(ulong Sequence, string Kind, string App, string Detail)> events)
    {
        var sequences = events.Select(e => e.Sequence).ToList();
        Xunit.Assert.Equal(sequences.Distinct().Count(), sequences.Count);
        var boots = events.Where(e => e.Kind.Equals("Boot", StringComparison.OrdinalIgnoreCase))
            .Select(e => System.Text.RegularExpressions.Regex.Match(e.Detail, @"boot #(\d+)"))
            .Where(m => m.Success)
            .Select(m => uint.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Xunit.Assert.NotEmpty(boots);
        Xunit.Assert.Equal(boots.Distinct().Count(), boots.Count);
        Xunit.Assert.Equal(Enumerable.Range((int)boots.Min(), boots.Count).Select(b => (uint)b), boots.Order());
        return boots;
    }

    public ValueTask DisposeAsync() => Hub.DisposeAsync();

    public static async Task<T> PollAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        var sw = Stopwatch.StartNew();
        Exception? last = null;
        while (sw.Elapsed < timeout)
        {
            try
            {
                if (await probe() is { } result)
                {
                    return result;
                }
            }
            catch (HttpRequestException e)
            {
                last = e; // hub restarting: keep polling until the deadline
            }
            catch (TimeoutException e)
            {
                last = e; // a guest script that did not answer (GuestControl ignores its late answer): ask again
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException($"no {what} within {timeout.TotalSeconds:0} s{(last is null ? "" : $" (last error: {last.Message})")}");
    }
}
