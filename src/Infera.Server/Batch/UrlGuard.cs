using System.Net;
using System.Net.Sockets;

namespace Infera.Server.Batch;

/// <summary>
/// Server-side request forgery rule of manifest URLs (issue #4): a host is resolved and every address must be
/// public — not loopback, private (RFC 1918), carrier-grade NAT, link-local (cloud metadata at 169.254.169.254),
/// unique-local, multicast, unspecified or reserved — unless the host or address is on
/// <see cref="BatchOptions.UrlAllowList"/>. The check runs again in the connection callback on the very address
/// connected to, so a DNS answer that changes between check and connect is caught too.
/// </summary>
public sealed class UrlGuard
{
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _networks = [];

    /// <summary>Reads the allow-list entries (host names, addresses, CIDR ranges; blanks ignored).</summary>
    public UrlGuard(IEnumerable<string> allowList)
    {
        foreach (var raw in allowList)
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            if (IPNetwork.TryParse(entry, out var network))
            {
                _networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                _networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                _hosts.Add(entry);
            }
        }
    }

    /// <summary>True when <paramref name="host"/> is allow-listed by name or as an address.</summary>
    public bool IsHostAllowed(string host) =>
        _hosts.Contains(host.Trim('[', ']')) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && InAllowedNetwork(address));

    /// <summary>The reason <paramref name="address"/> of <paramref name="host"/> is refused, or null when it may be reached.</summary>
    public string? Refusal(string host, IPAddress address)
    {
        if (_hosts.Contains(host.Trim('[', ']')) || InAllowedNetwork(address))
        {
            return null;
        }

        return Classify(address) is { } kind
            ? $"{host} resolves to {address}, a {kind} address; such URLs are refused unless the server's batch URL allow-list permits them."
            : null;
    }

    /// <summary>Resolves <paramref name="host"/> and returns its addresses when all may be reached.</summary>
    /// <exception cref="BatchInputException">Unresolvable, or an address is refused.</exception>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new BatchInputException($"Download file failed: host {host} could not be resolved ({e.Message}).");
            }
        }

        if (addresses.Length == 0)
        {
            throw new BatchInputException($"Download file failed: host {host} has no address.");
        }

        foreach (var address in addresses)
        {
            if (Refusal(host, address) is { } reason)
            {
                throw new BatchInputException("URL refused: " + reason);
            }
        }

        return addresses;
    }

    /// <summary>What kind of non-public address <paramref name="address"/> is, or null for a public one.</summary>
    public static string? Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return "loopback";
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "unspecified",
                10 => "private",
                100 when b[1] is >= 64 and < 128 => "shared (carrier-grade NAT)",
                169 when b[1] == 254 => "link-local",
                172 when b[1] is >= 16 and < 32 => "private",
                192 when b[1] == 168 => "private",
                192 when b[1] == 0 && b[2] == 0 => "reserved",
                198 when b[1] is 18 or 19 => "reserved",
                >= 224 and < 240 => "multicast",
                >= 240 => "reserved",
                _ => null,
            };
        }

        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return "unspecified";
        }

        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "link-local";
        }

        if (address.IsIPv6Multicast)
        {
            return "multicast";
        }

        return (address.GetAddressBytes()[0] & 0xfe) == 0xfc ? "unique-local" : null;
    }

    private bool InAllowedNetwork(IPAddress address)
    {
        var mapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(mapped) || n.Contains(address));
    }
}

/// <summary>An input could not be read (missing object, refused or failed download, too large); the item is FAILED with this message.</summary>
public sealed class BatchInputException(string message) : Exception(message);
