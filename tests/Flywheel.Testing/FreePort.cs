using System.Net;
using System.Net.Sockets;

namespace Flywheel.Testing;

/// <summary>
/// Ports for servers a test starts (LocalHost processes, the in-process Durable test host). A port
/// is free when handed out, but bound only later by its server, so the same port is never handed
/// out twice in one test run: two servers starting at once cannot be given the same one.
/// </summary>
public static class FreePort
{
    private static readonly HashSet<int> s_handedOut = [];

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (s_handedOut)
            {
                if (s_handedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
