namespace EdgeNode.Link.Tests.Support;

/// <summary>
/// Waits until nothing can happen any more without the fake clock moving or a datagram arriving from the test: no
/// datagram queued or being processed on the transports, and the endpoints parked (every operation in progress
/// waiting for a datagram or on a timer that is already armed, see <c>CoapEndpoint.IsQuiescent</c>), checked before
/// and after with no datagram sent or injected in between. Only then may a test advance its fake clock (a
/// continuation still queued on the thread pool would otherwise create its timer after the clock moved, relative to
/// a later "now"), and only then does "nothing was sent" mean something.
/// </summary>
internal static class Quiescence
{
    public static async Task WaitAsync(Func<bool> endpointsParked, params ChannelTransport[] transports)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            long before = Activity(transports);
            if (endpointsParked() && transports.All(t => t.IsIdle) && endpointsParked() && Activity(transports) == before)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the endpoints did not become quiescent within 30 s (transports idle: {transports.All(t => t.IsIdle)}, endpoints parked: {endpointsParked()})");
            }

            await Task.Delay(1);
        }
    }

    private static long Activity(ChannelTransport[] transports) =>
        transports.Sum(t => (long)Volatile.Read(ref t.SentCount) + t.InjectedCount);
}
