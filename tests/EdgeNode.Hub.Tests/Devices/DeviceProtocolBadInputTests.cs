using EdgeNode.Hub.Devices;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Tests.Support;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Tests.Devices;

/// <summary>Bad payloads and bad identities get a clear code and reason, and change nothing.</summary>
public sealed class DeviceProtocolBadInputTests : IAsyncLifetime
{
    private TestHub _hub = null!;
    private string _deviceId = "";

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync(network: false);
        _hub.Host.Fleet.ApplySpec(OperatorScope.Admin, null, Support.Specs.Plant(), "test");
        var (_, creds) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell1");
        _deviceId = creds.DeviceId;
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public static TheoryData<DeviceResource, byte[], string> MalformedPayloads => new()
    {
        // Wire type 7 does not exist.
        { DeviceResource.Heartbeat, [0x0F], "malformed Heartbeat" },
        // Field 1 varint with its continuation bit set and nothing after it (truncated varint).
        { DeviceResource.Heartbeat, [0x08, 0x80], "malformed Heartbeat" },
        // Field 9 (packed app states) claims 5 bytes but carries 1.
        { DeviceResource.Heartbeat, [0x4A, 0x05, 0x01], "malformed Heartbeat" },
        // Field 10 (degraded reasons) with a length prefix far beyond the payload.
        { DeviceResource.Heartbeat, [0x52, 0xFF, 0xFF, 0x03], "malformed Heartbeat" },
        // Field number 0 is invalid in protobuf.
        { DeviceResource.Register, [0x00, 0x01], "malformed RegisterRequest" },
        // An event batch whose embedded message is truncated.
        { DeviceResource.Events, [0x0A, 0x04, 0x08, 0x01], "malformed EventBatch" },
        // A command result with a 10-byte varint overflowing 64 bits.
        { DeviceResource.CommandResult, [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "malformed CommandResult" },
        // A status report cut inside a string.
        { DeviceResource.Status, [0x12, 0x08, 0x61], "malformed StatusReport" },
        // Valid protobuf, invalid content: 40 degraded reasons.
        { DeviceResource.Heartbeat, SimulatedAgent.Encode(new Heartbeat { Degraded = [.. Enumerable.Repeat("disk-low", 40)] }), "more than 32 reasons" },
        // Valid protobuf, invalid content: 300 events in one request.
        { DeviceResource.Events, SimulatedAgent.Encode(new EventBatch { Events = [.. Enumerable.Range(1, 300).Select(i => new Event { Sequence = (ulong)i })] }), "at most 256" },
    };

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public void Handle_MalformedPayload_BadRequestWithReasonAndNothingStored(DeviceResource resource, byte[] payload, string reason)
    {
        var before = _hub.Host.Metrics.Heartbeats + _hub.Host.Metrics.EventsStored;

        var reply = _hub.Host.Devices.Handle(resource, _deviceId, secured: true, payload);

        Assert.Equal(DeviceReplyCode.BadRequest, reply.Code);
        Assert.Contains(reason, reply.Reason, StringComparison.Ordinal);
        Assert.Equal(before, _hub.Host.Metrics.Heartbeats + _hub.Host.Metrics.EventsStored);
        Assert.Equal("Unknown", _hub.Host.Fleet.GetDevice(OperatorScope.Admin, _deviceId).Status);
        Assert.True(_hub.Host.Metrics.MalformedPayloads >= 1);
    }

    public static TheoryData<DeviceResource, string?, DeviceReplyCode, string> BadIdentities => new()
    {
        // No DTLS identity and no d= query.
        { DeviceResource.Heartbeat, null, DeviceReplyCode.Unauthorized, "no device identity" },
        // An identity the hub never issued.
        { DeviceResource.Heartbeat, "d-000000000000", DeviceReplyCode.Unauthorized, "unknown device 'd-000000000000'" },
        // Same for desired state.
        { DeviceResource.DesiredState, "d-ffffffffffff", DeviceReplyCode.Unauthorized, "unknown device" },
        // The fleet enrollment identity may only enroll.
        { DeviceResource.Heartbeat, TestHub.EnrollIdentity, DeviceReplyCode.Forbidden, "may only use /enroll" },
        // An unknown identity may not enroll either.
        { DeviceResource.Enroll, "enroll-stranger", DeviceReplyCode.Unauthorized, "not a fleet enrollment identity" },
    };

    [Theory]
    [MemberData(nameof(BadIdentities))]
    public void Handle_BadIdentity_Refused(DeviceResource resource, string? identity, DeviceReplyCode code, string reason)
    {
        var reply = _hub.Host.Devices.Handle(resource, identity, secured: true, SimulatedAgent.Encode(new Heartbeat { Sequence = 1 }));

        Assert.Equal(code, reply.Code);
        Assert.Contains(reason, reply.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _hub.Host.Metrics.Heartbeats);
    }

    [Fact]
    public void Handle_DeviceIdentityOnEnroll_Forbidden()
    {
        var reply = _hub.Host.Devices.Handle(DeviceResource.Enroll, _deviceId, secured: true, SimulatedAgent.Encode(new EnrollRequest { HardwareId = "hw-z" }));

        Assert.Equal(DeviceReplyCode.Forbidden, reply.Code);
        Assert.Contains("may not enroll", reply.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "hardwareId is empty")] // no hardware id
    [InlineData("   ", "hardwareId is empty")] // blank hardware id
    public void Handle_EnrollWithoutHardwareId_BadRequest(string hardwareId, string reason)
    {
        var reply = _hub.Host.Devices.Handle(DeviceResource.Enroll, TestHub.EnrollIdentity, secured: true,
            SimulatedAgent.Encode(new EnrollRequest { HardwareId = hardwareId }));

        Assert.Equal(DeviceReplyCode.BadRequest, reply.Code);
        Assert.Contains(reason, reply.Reason, StringComparison.Ordinal);
        Assert.Empty(_hub.Host.Fleet.ListEnrollments(OperatorScope.Admin, EnrollmentState.Pending));
    }

    [Fact]
    public void Handle_RetiredDevice_ForbiddenWithReason()
    {
        _hub.Host.Fleet.RetireDevice(OperatorScope.Admin, _deviceId, "unit stolen");

        var reply = _hub.Host.Devices.Handle(DeviceResource.Heartbeat, _deviceId, secured: true, SimulatedAgent.Encode(new Heartbeat()));

        Assert.Equal(DeviceReplyCode.Forbidden, reply.Code);
        Assert.Contains("retired: unit stolen", reply.Reason, StringComparison.Ordinal);
        Assert.Null(_hub.Host.Devices.GetKey(_deviceId));
        Assert.Null(_hub.Host.Fleet.GetSlot(OperatorScope.Admin, "plant-a/line1/cell1").DeviceId);
    }

    [Fact]
    public async Task Enroll_PlainCoap_KeyWithheldUnlessDevOptionSet()
    {
        var plain = new SimulatedAgent(new InProcessLink(_hub.Host.Devices, null, secured: false), "hw-plain");
        await plain.EnrollAsync(slotHint: "plant-b/line1/cell1");
        var request = _hub.Host.Fleet.ListEnrollments(OperatorScope.Admin, EnrollmentState.Pending).Single(e => e.HardwareId == "hw-plain");
        _hub.Host.Fleet.Approve(OperatorScope.Admin, request.Id, null);

        var approved = await plain.EnrollAsync();

        Assert.Equal(EnrollStatus.Approved, approved.Status);
        Assert.Empty(approved.Psk);
        Assert.Contains("key withheld", approved.Reason, StringComparison.Ordinal);
    }
}
