using EdgeNode.Hub.Fleet;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Rollouts;

/// <summary>
/// The health gate for one updated slot. While soaking (<c>final: false</c>) it fails fast on a changed app that is Failed,
/// ImageMissing, restarting (its count rose above the lowest seen since the wave started) or named in a degraded reason.
/// At the end of the soak (<c>final: true</c>) the unit must also have applied the new generation, be Online (not Degraded,
/// Offline or Unknown) and run every changed app. A slot with no unit has nothing to check.
/// </summary>
public static class RolloutGate
{
    public enum Verdict
    {
        Pass,
        Wait,
        Fail,
    }

    internal static (Verdict Verdict, string Reason) Check(RolloutSlot slot, SlotHealth? health, bool final)
    {
        if (health is null)
        {
            return (Verdict.Pass, "no unit in the slot");
        }

        slot.DeviceId = health.DeviceId;
        if (health.AppliedGeneration != slot.ToGeneration)
        {
            return final
                ? (Verdict.Fail, $"unit {health.DeviceId} did not apply generation {slot.ToGeneration} within the soak time (it reports generation {health.AppliedGeneration}, status {health.Status})")
                : (Verdict.Wait, $"waiting for unit {health.DeviceId} to apply generation {slot.ToGeneration}");
        }

        foreach (var app in slot.ChangedApps)
        {
            if (health.Degraded.FirstOrDefault(r => r.EndsWith(":" + app, StringComparison.Ordinal)) is { } reason)
            {
                return (Verdict.Fail, $"unit {health.DeviceId} is degraded for app '{app}' ({reason})");
            }

            if (!health.Apps.TryGetValue(app, out var state))
            {
                if (final)
                {
                    return (Verdict.Fail, $"unit {health.DeviceId} reports no state for app '{app}'");
                }

                continue;
            }

            if (state.Phase is AppPhase.Failed or AppPhase.ImageMissing)
            {
                return (Verdict.Fail, $"app '{app}' on unit {health.DeviceId} is {state.Phase} (restarts {state.Restarts})");
            }

            var baseline = slot.Baseline.GetValueOrDefault(app, uint.MaxValue);
            if (state.Restarts > baseline)
            {
                return (Verdict.Fail, $"app '{app}' on unit {health.DeviceId} restarted: {state.Restarts} restarts, {baseline} when the wave started");
            }

            slot.Baseline[app] = state.Restarts;
            if (final && state.Phase != AppPhase.Running)
            {
                return (Verdict.Fail, $"app '{app}' on unit {health.DeviceId} is {state.Phase}, not Running, at the end of the soak");
            }
        }

        if (final && health.Status != DeviceStatus.Online)
        {
            return (Verdict.Fail, $"unit {health.DeviceId} is {health.Status}" + (health.Degraded.Count > 0 ? " (" + string.Join(", ", health.Degraded) + ")" : "") + " at the end of the soak");
        }

        return (Verdict.Pass, final ? "healthy through the soak" : "healthy so far");
    }
}
