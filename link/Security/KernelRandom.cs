using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace EdgeNode.Link.Security;

/// <summary>
/// Cryptographically secure random bytes straight from the kernel (getrandom(2), the CSPRNG OpenSSL itself seeds
/// from). The agent uses this instead of <see cref="RandomNumberGenerator"/>, which on Linux loads OpenSSL: libcrypto
/// and libssl cost about 3.8 MB of resident memory in a process that otherwise never needs them.
/// Off Linux, or on a kernel without getrandom, it falls back to <see cref="RandomNumberGenerator"/>.
/// </summary>
public static partial class KernelRandom
{
    private const int EINTR = 4;
    private const int ENOSYS = 38;
    private static volatile bool _unsupported = !OperatingSystem.IsLinux();

    /// <summary>Fills <paramref name="buffer"/> with secure random bytes (blocks only until the kernel pool is initialised at boot).</summary>
    public static unsafe void Fill(Span<byte> buffer)
    {
        if (_unsupported)
        {
            RandomNumberGenerator.Fill(buffer);
            return;
        }
        fixed (byte* start = buffer)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var n = getrandom(start + done, (nuint)(buffer.Length - done), 0);
                if (n > 0)
                {
                    done += (int)n;
                    continue;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                if (errno == ENOSYS && done == 0)
                {
                    _unsupported = true;
                    RandomNumberGenerator.Fill(buffer);
                    return;
                }
                throw new CryptographicException($"getrandom(2) failed with errno {errno}");
            }
        }
    }

    /// <summary>A new array of <paramref name="count"/> secure random bytes.</summary>
    public static byte[] GetBytes(int count)
    {
        var bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint getrandom(byte* buffer, nuint length, uint flags);
}
