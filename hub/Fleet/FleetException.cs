namespace EdgeNode.Hub.Fleet;

/// <summary>An operator request that cannot be done; <see cref="Kind"/> maps to the HTTP status in one place (the API).</summary>
public sealed class FleetException(FleetErrorKind kind, string message) : Exception(message)
{
    public FleetErrorKind Kind { get; } = kind;

    public static FleetException NotFound(string what) => new(FleetErrorKind.NotFound, $"{what} was not found");

    public static FleetException Invalid(string reason) => new(FleetErrorKind.Invalid, reason);

    public static FleetException Conflict(string reason) => new(FleetErrorKind.Conflict, reason);
}
