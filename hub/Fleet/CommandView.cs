namespace EdgeNode.Hub.Fleet;

public sealed record CommandView(
    long Id, string DeviceId, string Kind, string App, uint DurationSeconds, uint TailLines, string State,
    DateTimeOffset Created, DateTimeOffset? Delivered, DateTimeOffset? Completed, bool? Ok, string Message, string Output, string RequestedBy);
