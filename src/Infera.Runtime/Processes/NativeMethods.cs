using System.Runtime.InteropServices;

namespace Infera.Runtime.Processes;

/// <summary>The one libc call .NET lacks here: sending SIGTERM (Process.Kill only sends SIGKILL).</summary>
internal static partial class NativeMethods
{
    internal const int SigTerm = 15;

    internal const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
