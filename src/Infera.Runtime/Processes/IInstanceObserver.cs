namespace Infera.Runtime.Processes;

/// <summary>
/// Watches instance processes for observability (MISSION R-S12 logs, R-S13 CPU/memory): told when a process
/// started, each line it writes, and when it ended. Calls come from the process's own pump and watcher tasks, so an
/// implementation must be thread-safe, fast and must not throw.
/// </summary>
public interface IInstanceObserver
{
    /// <summary>The process of <see cref="InstanceProcess.Spec"/> is running (its pid is known).</summary>
    void Started(InstanceProcess process);

    /// <summary>One line the instance wrote. <paramref name="stream"/> is <c>stdout</c> or <c>stderr</c>.</summary>
    void Output(InstanceSpec spec, string stream, string line);

    /// <summary>The process ended (its output was drained first, at most 2 s).</summary>
    void Exited(InstanceProcess process);
}
