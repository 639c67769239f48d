using System.Net;
using System.Net.Sockets;

namespace Infera.Runtime.Processes;

/// <summary>Finds free loopback ports for instances by letting the OS pick one.</summary>
public static class PortAllocator
{
    /// <summary>
    /// Returns a port that was free a moment ago. Another process may take it before the instance binds it; the
    /// supervisor treats an instance that fails to start like any failed start.
    /// </summary>
    public static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
