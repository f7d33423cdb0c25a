using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;

namespace EdgeNode.Link.Security;

/// <summary>BouncyCastle's random source over <see cref="KernelRandom"/> (its default one goes through OpenSSL).</summary>
public sealed class KernelRandomGenerator : IRandomGenerator
{
    /// <summary>A <see cref="SecureRandom"/> for the DTLS crypto, seeded and fed by the kernel.</summary>
    public static SecureRandom CreateSecureRandom() => new(new KernelRandomGenerator());

    public void AddSeedMaterial(byte[] seed)
    {
        // The kernel pool needs no seeding from us.
    }

    public void AddSeedMaterial(ReadOnlySpan<byte> seed)
    {
    }

    public void AddSeedMaterial(long seed)
    {
    }

    public void NextBytes(byte[] bytes) => KernelRandom.Fill(bytes);

    public void NextBytes(byte[] bytes, int start, int len) => KernelRandom.Fill(bytes.AsSpan(start, len));

    public void NextBytes(Span<byte> bytes) => KernelRandom.Fill(bytes);
}
