using EdgeNode.Link.Security;

namespace EdgeNode.Link.Tests.Security;

public sealed class KernelRandomTests
{
    [Fact]
    public void Fill_LargeBuffer_IsFullyWrittenAndNotConstant()
    {
        // Larger than one getrandom(2) call guarantees (256 B without blocking semantics), so the loop is exercised.
        var bytes = new byte[1 << 20];
        KernelRandom.Fill(bytes);
        var counts = new int[256];
        foreach (var b in bytes) counts[b]++;
        // Every byte value appears close to 4096 times in 1 MiB of uniform bytes; a zeroed or short fill would not.
        Assert.All(counts, c => Assert.InRange(c, 3500, 4700));
    }

    [Fact]
    public void GetBytes_TwoCalls_Differ()
    {
        Assert.NotEqual(KernelRandom.GetBytes(16), KernelRandom.GetBytes(16));
        Assert.Empty(KernelRandom.GetBytes(0));
    }

    [Fact]
    public void BouncyCastleGenerator_ProducesKernelBytes()
    {
        var random = KernelRandomGenerator.CreateSecureRandom();
        var a = new byte[32];
        var b = new byte[32];
        random.NextBytes(a);
        random.NextBytes(b);
        Assert.NotEqual(a, b);
        Assert.NotEqual(new byte[32], a);
    }
}
