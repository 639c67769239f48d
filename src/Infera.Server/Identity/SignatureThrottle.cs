using System.Collections.Concurrent;

namespace Infera.Server.Identity;

/// <summary>
/// Brute-force throttling of signatures (spec/auth.md §4.9): after more than <see cref="AuthOptions.SignatureFailureLimit"/>
/// consecutive failed checks for one key from one client address, that key/address pair is refused for
/// <see cref="AuthOptions.SignatureLockout"/>. Keyed by address as well as key so that a stranger who knows an AK
/// cannot lock its owner out from elsewhere (the spec's reason for leaving Huawei's per-AK lock-out off).
/// In memory: a restart forgets locks, which only ever helps the legitimate owner.
/// </summary>
public sealed class SignatureThrottle(AuthOptions options, TimeProvider time)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<(string Key, string Address), Entry> _entries = new();

    /// <summary>True when the pair is locked now.</summary>
    /// <param name="key">The AK or AppKey.</param>
    /// <param name="address">The client address.</param>
    /// <returns>Whether to refuse without checking the signature.</returns>
    public bool IsLocked(string key, string address) =>
        options.SignatureFailureLimit > 0 && _entries.TryGetValue((key, address), out var e) && e.LockedUntil > time.GetUtcNow();

    /// <summary>Counts a failed check; locks the pair when the limit is reached.</summary>
    /// <param name="key">The AK or AppKey.</param>
    /// <param name="address">The client address.</param>
    public void Failed(string key, string address)
    {
        if (options.SignatureFailureLimit <= 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_entries.Count >= MaxEntries)
        {
            foreach (var (k, v) in _entries)
            {
                if (v.LockedUntil <= now)
                {
                    _entries.TryRemove(k, out _);
                }
            }
        }

        _entries.AddOrUpdate((key, address), _ => new Entry(1, DateTimeOffset.MinValue), (_, e) =>
        {
            var failures = e.LockedUntil > DateTimeOffset.MinValue && e.LockedUntil <= now ? 1 : e.Failures + 1;
            return failures > options.SignatureFailureLimit ? new Entry(failures, now + options.SignatureLockout) : new Entry(failures, DateTimeOffset.MinValue);
        });
    }

    /// <summary>Forgets the failures of a pair after a good signature.</summary>
    /// <param name="key">The AK or AppKey.</param>
    /// <param name="address">The client address.</param>
    public void Succeeded(string key, string address) => _entries.TryRemove((key, address), out _);

    private readonly record struct Entry(int Failures, DateTimeOffset LockedUntil);
}
