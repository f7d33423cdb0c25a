namespace EdgeNode.Hub.Fleet;

public enum EnrollmentState
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
    /// <summary>Approved earlier, and the device it created has been retired or has claimed its key.</summary>
    Closed = 3,
}
