using System.Net;
using System.Net.Sockets;

namespace Infera.Benchmarks.Setup;

/// <summary>Picks loopback ports the OS reports free.</summary>
internal static class FreePort
{
    /// <summary>Binds port 0 on 127.0.0.1 and returns what the OS chose (released again at once).</summary>
    public static int Next()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
