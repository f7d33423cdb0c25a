using EdgeNode.BudgetGuard.Measurement;

namespace EdgeNode.Budget.Tests.Measurement;

public sealed class AllocationMeterTests
{
    private static object? _sink;

    [Fact]
    public void BytesPerOperation_AllocatingOperation_SeesTheArray()
    {
        // A 100-byte array costs 24 bytes of header on x64: 124 → 128 with padding.
        double perOp = AllocationMeter.BytesPerOperation(() => _sink = new byte[100], warmup: 100, iterations: 1_000);

        Assert.InRange(perOp, 124, 136);
    }

    [Fact]
    public void BytesPerOperation_NonAllocatingOperation_Zero()
    {
        int counter = 0;

        double perOp = AllocationMeter.BytesPerOperation(() => counter++, warmup: 100, iterations: 1_000);

        Assert.Equal(0, perOp);
        Assert.True(counter > 0);
    }
}
