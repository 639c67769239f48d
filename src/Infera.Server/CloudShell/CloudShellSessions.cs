namespace Infera.Server.CloudShell;

/// <summary>Counts the open CloudShell sessions so that a server never runs more than <see cref="CloudShellOptions.MaxSessions"/> shells.</summary>
public sealed class CloudShellSessions
{
    private int _open;

    /// <summary>Open sessions now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>A slot to dispose when the session ends, or null when <paramref name="limit"/> sessions are open.</summary>
    public IDisposable? TryEnter(int limit)
    {
        if (Interlocked.Increment(ref _open) > limit)
        {
            Interlocked.Decrement(ref _open);
            return null;
        }

        return new Slot(this);
    }

    private sealed class Slot(CloudShellSessions owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._open);
            }
        }
    }
}
