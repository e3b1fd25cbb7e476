using System.Net;
using System.Net.Sockets;

namespace Flywheel.Testing;

/// <summary>
/// Ports for servers a test starts (LocalHost and Functions host processes, Azurite, the in-process
/// Durable test host). A port is free when handed out but bound only later by its server, so:
/// the same port is never handed out twice in one test run, and ports come from below the kernel's
/// ephemeral range (Linux: 32768-60999). Servers that pick their own port by binding port 0 (the
/// Functions worker's HTTP endpoint, outgoing connections) get theirs from that range, so they can
/// never take a port handed out here before its server has bound it.
/// </summary>
public static class FreePort
{
    private const int First = 20_000;
    private const int Last = 32_000;
    private static readonly HashSet<int> s_handedOut = [];

    public static int Next()
    {
        while (true)
        {
            var port = Random.Shared.Next(First, Last);
            lock (s_handedOut)
            {
                if (s_handedOut.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                s_handedOut.Add(port);
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
