namespace EdgeNode.Supervisor.Tests.Support;

/// <summary>Polls a condition against a real process until it holds or a generous deadline passes (never a fixed sleep as the assertion).</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await probe() is { } value) return value;
            }
            catch (Exception e)
            {
                last = e;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out after {timeout} waiting for {what}" + (last is null ? "" : $" (last error: {last.Message})"));
            await Task.Delay(50);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync<object>(() => Task.FromResult<object?>(condition() ? new object() : null), timeout, what);

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        UntilAsync<object>(async () => await condition() ? new object() : null, timeout, what);
}
