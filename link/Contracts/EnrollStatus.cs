namespace EdgeNode.Link.Contracts;

public enum EnrollStatus
{
    /// <summary>Recorded; waiting for an operator (or a slot token) to approve. Ask again later.</summary>
    Pending = 0,
    /// <summary>Approved: the response carries the device id and its PSK.</summary>
    Approved = 1,
    Rejected = 2,
}
