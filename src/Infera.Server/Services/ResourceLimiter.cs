using System.Globalization;

namespace Infera.Server.Services;

/// <summary>
/// Enforces an instance's flavor with cgroups v2 where the OS lets the server do so: each instance process goes into
/// its own child group with <c>memory.max</c> (the flavor's memory) and <c>cpu.max</c> (its vCPUs as a quota per
/// 100 ms period). Where cgroups v2 is absent or the server may not create or configure groups (common in
/// containers), the flavor is only recorded and <see cref="Reason"/> says why it is not enforced.
/// </summary>
public sealed class ResourceLimiter
{
    private readonly string? _group;

    private ResourceLimiter(string? group, string? reason)
    {
        _group = group;
        Reason = reason;
    }

    /// <summary>True when instances get memory and CPU limits.</summary>
    public bool Enforced => _group is not null;

    /// <summary>Why limits are not enforced (null when they are).</summary>
    public string? Reason { get; }

    /// <summary>A limiter that enforces nothing, for <paramref name="reason"/>.</summary>
    public static ResourceLimiter Disabled(string reason) => new(null, reason);

    /// <summary>
    /// Checks <c>/sys/fs/cgroup/cgroup.controllers</c>, finds the server's own group (<c>0::</c> line of
    /// <c>/proc/self/cgroup</c>) and tries to create <c>infera-instances-{pid}</c> under it with the memory and cpu
    /// controllers enabled for its children.
    /// </summary>
    public static ResourceLimiter Detect() => Detect("/sys/fs/cgroup", "/proc/self/cgroup");

    /// <summary>
    /// <see cref="Detect()"/> against another cgroup v2 mount <paramref name="root"/> and membership file
    /// <paramref name="selfCgroup"/> (unusual mounts; tests use a plain folder laid out like cgroupfs).
    /// </summary>
    /// <param name="root">The cgroup v2 mount point.</param>
    /// <param name="selfCgroup">The server's <c>/proc/self/cgroup</c>.</param>
    /// <returns>The limiter, enforcing or saying why not.</returns>
    public static ResourceLimiter Detect(string root, string selfCgroup)
    {
        try
        {
            if (!File.Exists(Path.Combine(root, "cgroup.controllers")))
            {
                return Disabled($"cgroups v2 is not mounted at {root} (no cgroup.controllers; this node uses cgroups v1 or none)");
            }

            var own = File.ReadLines(selfCgroup).FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..] ?? "/";
            var parent = Path.Combine(root, own.TrimStart('/'));
            var available = File.ReadAllText(Path.Combine(parent, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (!available.Contains("memory") || !available.Contains("cpu"))
            {
                return Disabled($"the memory and cpu controllers are not delegated to the server's cgroup {own} (it has: {string.Join(' ', available)})");
            }

            var group = Path.Combine(parent, $"infera-instances-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
            Directory.CreateDirectory(group);
            File.WriteAllText(Path.Combine(group, "cgroup.subtree_control"), "+memory +cpu");
            return new ResourceLimiter(group, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Disabled($"the server may not create or configure a cgroup here ({e.Message.Trim()})");
        }
    }

    /// <summary>
    /// Puts process <paramref name="pid"/> into a new group <paramref name="instanceId"/> limited to
    /// <paramref name="flavor"/>'s memory and vCPUs. Returns null when enforced, else the reason it is not.
    /// </summary>
    public string? Apply(string instanceId, int pid, Flavor flavor)
    {
        if (_group is null)
        {
            return Reason;
        }

        try
        {
            var path = Path.Combine(_group, instanceId);
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, "memory.max"), ((long)flavor.MemoryMiB * 1024 * 1024).ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(path, "cpu.max"), $"{Math.Max(1000, (long)(flavor.Cpu * 100_000)).ToString(CultureInfo.InvariantCulture)} 100000");
            File.WriteAllText(Path.Combine(path, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the instance's cgroup could not be set up ({e.Message.Trim()})";
        }
    }

    /// <summary>Removes an instance's group once its processes are gone (best effort).</summary>
    public void Release(string instanceId)
    {
        if (_group is null)
        {
            return;
        }

        try
        {
            var path = Path.Combine(_group, instanceId);
            if (Directory.Exists(path))
            {
                Directory.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A group still holding a process cannot be removed; the next start of the server leaves it behind harmlessly.
        }
    }
}
