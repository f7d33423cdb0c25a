using System.Net;
using System.Net.Sockets;

namespace EdgeNode.BudgetGuard.Measurement;

/// <summary>Free loopback UDP ports for peers that take a port number (libcoap's server uses PORT and PORT+1).</summary>
public static class FreePorts
{
    public static int Pair()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            using var first = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            first.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)first.LocalEndPoint!).Port;
            if (port >= IPEndPoint.MaxPort - 1)
            {
                continue;
            }

            try
            {
                using var second = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                second.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free pair of loopback UDP ports after 50 attempts");
    }
}
