using EdgeNode.Agent.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Agent.Tests.Diagnostics;

public sealed class MemoryTrimTests
{
    [Fact]
    public void Schedule_FirstAfterTwoMinutesThenEveryTen_StopsWhenDisposed()
    {
        var time = new FakeTimeProvider();
        int collections = 0;
        var trim = new MemoryTrim(time, NullLogger<MemoryTrim>.Instance, () => collections++);

        time.Advance(MemoryTrim.FirstDelay - TimeSpan.FromSeconds(1));
        Assert.Equal(0, collections);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, collections);
        time.Advance(MemoryTrim.Interval);
        time.Advance(MemoryTrim.Interval);
        Assert.Equal(3, collections);
        Assert.Equal(3, trim.Runs);

        trim.Dispose();
        time.Advance(MemoryTrim.Interval * 3);
        Assert.Equal(3, collections);
    }

    [Fact]
    public void CollectAggressively_RunsAFullBlockingCollection()
    {
        int before = GC.CollectionCount(GC.MaxGeneration);
        MemoryTrim.CollectAggressively();
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > before);
    }
}
