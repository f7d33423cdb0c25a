namespace EdgeNode.BudgetGuard.Measurement;

/// <summary>
/// Bytes allocated per operation, measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/> around
/// <c>iterations</c> calls after <c>warmup</c> calls (so lazy one-time initialisation and JIT tiering are
/// out of the way). The best of <c>rounds</c> rounds is kept: a one-off allocation by the runtime itself
/// (tiering, a timer) is not the code's, a steady per-call allocation shows in every round.
/// </summary>
public static class AllocationMeter
{
    public static double BytesPerOperation(Action operation, int warmup = 2_000, int iterations = 10_000, int rounds = 3)
    {
        for (int i = 0; i < warmup; i++)
        {
            operation();
        }

        double best = double.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < iterations; i++)
            {
                operation();
            }

            long after = GC.GetAllocatedBytesForCurrentThread();
            best = Math.Min(best, (after - before) / (double)iterations);
        }

        return best;
    }
}
