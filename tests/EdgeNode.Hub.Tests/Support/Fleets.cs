using EdgeNode.Hub.Fleet;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Tests.Support;

/// <summary>Shortcuts over a test hub: apply the plant spec, enroll + approve a unit in process.</summary>
public static class Fleets
{
    public static SimulatedAgent EnrollAgent(TestHub hub, string hardwareId) =>
        new(new InProcessLink(hub.Host.Devices, TestHub.EnrollIdentity), hardwareId);

    public static SimulatedAgent DeviceAgent(TestHub hub, EnrollResponse approved, string hardwareId) =>
        new(new InProcessLink(hub.Host.Devices, approved.DeviceId), hardwareId);

    /// <summary>Enrolls, approves into <paramref name="slot"/> as admin, collects the key, registers. Returns the device's agent.</summary>
    public static async Task<(SimulatedAgent Agent, EnrollResponse Credentials)> OnboardAsync(TestHub hub, string hardwareId, string slot)
    {
        var enroller = EnrollAgent(hub, hardwareId);
        var pending = await enroller.EnrollAsync(slotHint: slot);
        Assert.Equal(EnrollStatus.Pending, pending.Status);
        var request = hub.Host.Fleet.ListEnrollments(OperatorScope.Admin, EnrollmentState.Pending).Single(e => e.HardwareId == hardwareId);
        hub.Host.Fleet.Approve(OperatorScope.Admin, request.Id, slot);
        var approved = await enroller.EnrollAsync(slotHint: slot);
        Assert.Equal(EnrollStatus.Approved, approved.Status);
        var agent = DeviceAgent(hub, approved, hardwareId);
        await agent.RegisterAsync();
        return (agent, approved);
    }
}
