using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Infera.Server.CloudShell;

/// <summary>
/// One-time tickets that let a browser open the CloudShell WebSocket: a browser cannot put <c>X-Auth-Token</c> on a
/// WebSocket handshake, so an authenticated <c>POST</c> issues a ticket for one instance and the handshake presents
/// it in the query. A ticket is random (256 bits), kept only as its SHA-256, bound to the project, service, instance
/// and user it was issued for, usable once, and expires after <see cref="CloudShellOptions.TicketLifetime"/>.
/// </summary>
public sealed class CloudShellTickets(CloudShellOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, CloudShellTicket> _tickets = new(StringComparer.Ordinal);

    /// <summary>Issues a ticket for <paramref name="target"/>; returns the ticket text and when it expires.</summary>
    public (string Ticket, DateTimeOffset ExpiresAt) Issue(CloudShellTarget target)
    {
        var now = time.GetUtcNow();
        foreach (var (hash, old) in _tickets)
        {
            if (old.ExpiresAt <= now)
            {
                _tickets.TryRemove(hash, out _);
            }
        }

        var ticket = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expiresAt = now + options.TicketLifetime;
        _tickets[Hash(ticket)] = new CloudShellTicket(target, expiresAt);
        return (ticket, expiresAt);
    }

    /// <summary>Takes (removes) the ticket; null when unknown, used, expired or issued for another instance.</summary>
    public CloudShellTarget? Redeem(string? ticket, string projectId, string serviceId, string instanceId)
    {
        if (string.IsNullOrEmpty(ticket) || !_tickets.TryRemove(Hash(ticket), out var found) || found.ExpiresAt <= time.GetUtcNow())
        {
            return null;
        }

        var target = found.Target;
        return target.ProjectId == projectId && target.ServiceId == serviceId && target.InstanceId == instanceId ? target : null;
    }

    private static string Hash(string ticket) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ticket)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record CloudShellTicket(CloudShellTarget Target, DateTimeOffset ExpiresAt);
}

/// <summary>What a ticket opens: one instance of one service in one project, for one user.</summary>
/// <param name="ProjectId">Project of the service.</param>
/// <param name="ServiceId">Service id.</param>
/// <param name="InstanceId">Instance id.</param>
/// <param name="UserId">User the ticket was issued to.</param>
/// <param name="UserName">Their name (for the log).</param>
public sealed record CloudShellTarget(string ProjectId, string ServiceId, string InstanceId, string UserId, string UserName);
