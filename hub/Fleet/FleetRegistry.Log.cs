using Microsoft.Extensions.Logging;

namespace EdgeNode.Hub.Fleet;

public sealed partial class FleetRegistry
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Spec revision {Revision} applied to tenant {Tenant}: {Changed} slot(s) got a new generation, {Unchanged} unchanged (source: {Source})")]
        public static partial void SpecApplied(ILogger logger, long revision, string tenant, int changed, int unchanged, string source);

        [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Enrollment {Id} recorded: hardware {HardwareId} ({Model}) via {Identity}")]
        public static partial void EnrollmentRecorded(ILogger logger, long id, string hardwareId, string model, string identity);

        [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Enrollment {Id} approved as device {DeviceId} into slot {Slot} by {By} (replaced: {Replaced})")]
        public static partial void EnrollmentApproved(ILogger logger, long id, string deviceId, string slot, string by, string replaced);

        [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Device {DeviceId} in slot {Slot} retired, key revoked: {Reason}")]
        public static partial void DeviceRetired(ILogger logger, string deviceId, string slot, string reason);

        [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "Device {DeviceId} in slot {Slot} registered: boot reason {BootReason}, agent {Version}")]
        public static partial void DeviceRegistered(ILogger logger, string deviceId, string slot, string bootReason, string version);

        [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Device {DeviceId} in slot {Slot} is offline: {Reason}")]
        public static partial void DeviceOffline(ILogger logger, string deviceId, string slot, string reason);

        [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Command {Id} ({Kind}) on device {DeviceId} done: ok={Ok} {Message}")]
        public static partial void CommandCompleted(ILogger logger, long id, string deviceId, string kind, bool ok, string message);
    }
}
