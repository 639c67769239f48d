using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Infera.Server.CloudShell;

/// <summary>
/// An interactive shell on a pseudo-terminal: the master side is opened here (<c>posix_openpt</c>), the shell runs as
/// the leader of a new session whose controlling terminal is the slave side (<c>setsid -c</c> from util-linux), so
/// line editing, job control, Ctrl+C and full-screen programs work as in a terminal. <see cref="Dispose"/> kills every
/// process of the session (the whole tree the user started, background jobs included) and closes the master.
/// Linux only.
/// </summary>
internal sealed partial class PseudoTerminal : IDisposable
{
    // Linux values (x86-64 and arm64 share them).
    private const int ORdWr = 0x2;
    private const int ONoCtty = 0x100;
    private const int OCloExec = 0x80000;
    private const nuint TiocSWinSz = 0x5414;
    private const int SigKill = 9;
    private const int FDupFdCloExec = 1030;

    private readonly Process _process;
    private readonly FileStream _reader;
    private readonly FileStream _writer;
    private int _disposed;

    private PseudoTerminal(Process process, FileStream reader, FileStream writer)
    {
        _process = process;
        _reader = reader;
        _writer = writer;
        Exited = process.WaitForExitAsync();
    }

    /// <summary>Process id of the shell (also its session and process group id).</summary>
    public int Pid => _process.Id;

    /// <summary>Completes when the shell exited.</summary>
    public Task Exited { get; }

    /// <summary>The shell's exit code once it exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <paramref name="shell"/> (interactive, no rc files, so the instance's environment stays as it is) in
    /// <paramref name="workingDirectory"/> with exactly <paramref name="environment"/> plus <c>TERM</c>.
    /// </summary>
    /// <exception cref="IOException">No pseudo-terminal could be allocated.</exception>
    public static PseudoTerminal Start(string shell, string workingDirectory, IReadOnlyDictionary<string, string> environment, int columns, int rows)
    {
        var master = PosixOpenPt(ORdWr | ONoCtty | OCloExec);
        if (master < 0)
        {
            throw new IOException($"posix_openpt failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        var handle = new SafeFileHandle(master, ownsHandle: true);
        try
        {
            if (GrantPt(master) != 0 || UnlockPt(master) != 0)
            {
                throw new IOException($"grantpt/unlockpt failed (errno {Marshal.GetLastPInvokeError()}).");
            }

            var name = new byte[128];
            if (PtsNameR(master, name, (nuint)name.Length) != 0)
            {
                throw new IOException($"ptsname_r failed (errno {Marshal.GetLastPInvokeError()}).");
            }

            var slavePath = Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
            Resize(master, columns, rows);

            // sh opens the slave as stdin/stdout/stderr, then setsid makes a new session whose controlling terminal
            // is that stdin (-c) and execs the shell: no fork, so the Process id is the shell's and the session's.
            var info = new ProcessStartInfo("/bin/sh") { WorkingDirectory = workingDirectory, UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("""exec /usr/bin/setsid -c "$0" "$@" <"$INFERA_PTS" >"$INFERA_PTS" 2>&1""");
            info.ArgumentList.Add(shell);
            if (shell.EndsWith("/bash", StringComparison.Ordinal))
            {
                info.ArgumentList.Add("--noprofile");
                info.ArgumentList.Add("--norc");
            }

            info.ArgumentList.Add("-i");
            info.Environment.Clear();
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }

            info.Environment["TERM"] = "xterm-256color";
            info.Environment["INFERA_PTS"] = slavePath;
            var process = Process.Start(info) ?? throw new IOException($"Could not start {shell}.");
            var reader = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            var writer = new FileStream(new SafeFileHandle(Fcntl(master, FDupFdCloExec, 0), ownsHandle: true), FileAccess.Write, bufferSize: 0);
            return new PseudoTerminal(process, reader, writer);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads terminal output; 0 once the shell and everything holding the terminal are gone.</summary>
    public int Read(byte[] buffer)
    {
        try
        {
            return _reader.Read(buffer, 0, buffer.Length);
        }
        catch (IOException)
        {
            // EIO: the last process holding the slave side closed it.
            return 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    /// <summary>Writes keyboard input to the terminal.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        await _writer.WriteAsync(input, cancellationToken);
        await _writer.FlushAsync(cancellationToken);
    }

    /// <summary>Sets the terminal size (the foreground program gets SIGWINCH).</summary>
    public void Resize(int columns, int rows) => Resize((int)_writer.SafeFileHandle.DangerousGetHandle(), columns, rows);

    /// <summary>Kills every process of the shell's session and closes the terminal.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        KillSession(_process.Id);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _writer.Dispose();
        _reader.Dispose();
        _process.Dispose();
    }

    /// <summary>SIGKILLs every process whose session id (field 6 of <c>/proc/&lt;pid&gt;/stat</c>) is <paramref name="sessionId"/>.</summary>
    internal static void KillSession(int sessionId)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid pgrp session …": comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 3 && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var session) && session == sessionId)
            {
                _ = Kill(pid, SigKill);
            }
        }
    }

    private static void Resize(int fd, int columns, int rows)
    {
        var size = new WinSize { Rows = (ushort)Math.Clamp(rows, 1, 1000), Columns = (ushort)Math.Clamp(columns, 1, 1000) };
        _ = IoCtl(fd, TiocSWinSz, ref size);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int PosixOpenPt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static partial int GrantPt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static partial int UnlockPt(int fd);

    [LibraryImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
    private static partial int PtsNameR(int fd, [Out] byte[] buffer, nuint length);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoCtl(int fd, nuint request, ref WinSize size);

    // A second descriptor for writing (F_DUPFD_CLOEXEC keeps it out of child processes, unlike dup).
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
