using System.Diagnostics;
using Infera.Runtime.Processes;

namespace Infera.Runtime.Tests.Processes;

/// <summary>
/// The no-orphans guarantee of issue #20 on real processes: every instance runs under infera-launcher in a process group
/// of its own, which dies when the process that started it dies (its stdin pipe reports end of file) — whichever
/// thread started it — and a stop or an exit leaves nothing of the group behind.
/// </summary>
public sealed class InstanceProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private static InstanceSpec Spec(string command) => new()
    {
        InstanceId = Guid.NewGuid().ToString("N"),
        ServiceId = "svc",
        ModelId = "model",
        FileName = "/bin/sh",
        Arguments = ["-c", command],
        WorkingDirectory = Path.GetTempPath(),
        Port = 1,
        LogPath = Path.Combine(Path.GetTempPath(), "infera-runtime-tests", Guid.NewGuid().ToString("N"), "instance.log"),
    };

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Start_FromThreadThatThenExits_InstanceKeepsRunning()
    {
        // PR_SET_PDEATHSIG would fire here: it follows the thread that forked the child, not the process.
        InstanceProcess? instance = null;
        var thread = new Thread(() => instance = InstanceProcess.Start(Spec("sleep 300 & exec sleep 301")));
        thread.Start();
        Assert.True(thread.Join(Limit));
        await WaitUntilAsync(() => InstanceProcess.GroupMembers(instance!.Pid).Count >= 3, "the launcher, the shell's sleep and the background sleep did not all start");

        // The thread is gone; give a death signal more than enough time to arrive, then the instance must still run.
        await Assert.ThrowsAsync<TimeoutException>(() => instance!.Exited.WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(3, InstanceProcess.GroupMembers(instance!.Pid).Count);

        await instance.StopAsync(TimeSpan.FromSeconds(5));
        await instance.Exited.WaitAsync(Limit);
        await WaitUntilAsync(() => InstanceProcess.GroupMembers(instance.Pid).Count == 0, "a stop left processes of the instance running");
        await instance.DisposeAsync();
    }

    [Fact]
    public async Task Launcher_WhenTheProcessHoldingItsStdinDies_KillsTheWholeGroup()
    {
        // The stdin pipe's only writer stands for the server: closing it is what the kernel does when the server dies.
        var start = new ProcessStartInfo(InstanceProcess.LauncherFileName) { RedirectStandardInput = true };
        start.ArgumentList.Add("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("sleep 300 & sleep 301 & wait");
        using var launcher = Process.Start(start)!;
        await WaitUntilAsync(() => InstanceProcess.GroupMembers(launcher.Id).Count >= 4, "the instance did not start");

        launcher.StandardInput.Close();

        await WaitUntilAsync(() => InstanceProcess.GroupMembers(launcher.Id).Count == 0, "processes of the instance outlived the process that started it");
        await launcher.WaitForExitAsync().WaitAsync(Limit);
        Assert.Equal(137, launcher.ExitCode);
    }

    [Fact]
    public async Task Exit_ProgramEndsLeavingABackgroundChild_ExitCodeIsTheProgramsAndNothingIsLeft()
    {
        var instance = InstanceProcess.Start(Spec("sleep 300 & echo started; exit 3"));
        var code = await instance.Exited.WaitAsync(Limit);

        Assert.Equal(3, code);
        await WaitUntilAsync(() => InstanceProcess.GroupMembers(instance.Pid).Count == 0, "the background child outlived the instance");
        Assert.Contains("started", instance.Tail());
        await instance.DisposeAsync();
    }

    [Fact]
    public async Task Exit_ProgramKilledBySignal_ExitCodeIs128PlusTheSignal()
    {
        var instance = InstanceProcess.Start(Spec("kill -KILL $$"));

        Assert.Equal(137, await instance.Exited.WaitAsync(Limit));
        await instance.DisposeAsync();
    }

    [Fact]
    public async Task Start_MissingProgram_ExitsWith127AndSaysWhy()
    {
        var spec = Spec("") with { FileName = "/nonexistent/engine", Arguments = [] };
        var instance = InstanceProcess.Start(spec);

        Assert.Equal(127, await instance.Exited.WaitAsync(Limit));
        Assert.Contains(instance.Tail(), l => l.Contains("cannot run /nonexistent/engine", StringComparison.Ordinal));
        await instance.DisposeAsync();
    }

    [Fact]
    public async Task Stop_ProgramIgnoringSigterm_IsKilledAfterTheGraceWithItsGroup()
    {
        var instance = InstanceProcess.Start(Spec("trap '' TERM; sleep 300 & wait"));
        await WaitUntilAsync(() => InstanceProcess.GroupMembers(instance.Pid).Count >= 3, "the instance did not start");

        await instance.StopAsync(TimeSpan.FromMilliseconds(300));

        await instance.Exited.WaitAsync(Limit);
        await WaitUntilAsync(() => InstanceProcess.GroupMembers(instance.Pid).Count == 0, "a stop left processes of the instance running");
        await instance.DisposeAsync();
    }
}
