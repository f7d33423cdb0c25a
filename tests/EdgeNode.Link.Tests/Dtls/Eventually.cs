namespace EdgeNode.Link.Tests.Dtls;

/// <summary>Polls a condition until it holds or a generous deadline passes (for real sockets and processes;
/// the deadline is a failure bound, never the thing being measured).</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                return condition();
            await Task.Delay(20);
        }
        return true;
    }
}
