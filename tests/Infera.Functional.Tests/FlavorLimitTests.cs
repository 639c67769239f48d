using Infera.Core.Errors;
using Infera.Core.Services;
using Infera.Server.Services;

namespace Infera.Functional.Tests;

/// <summary>
/// Flavors against a given node, and the cgroup v2 writes of <see cref="ResourceLimiter"/> against a folder laid out
/// like cgroupfs (this machine's own cgroups may not be writable; the functional tests check what it reports).
/// </summary>
public sealed class FlavorLimitTests
{
    [Fact]
    public void SmallNode_DefaultFallsBackToFree_LargerFlavorsAndGpusRefusedWithTheReason()
    {
        var flavors = new FlavorCatalog(new NodeResources(Cores: 1, MemoryMiB: 6000, Gpus: 0));
        Assert.Equal("modelarts.vm.cpu.free", flavors.Resolve("config[0].specification", null, null).Code);
        var error = Assert.Throws<InferaException>(() => flavors.Resolve("config[0].specification", "modelarts.vm.cpu.2u", null));
        Assert.Equal("ModelArts.3037", error.ErrorCode);
        Assert.Contains("the flavor needs 2 vCPUs, this node has 1 vCPU", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<InferaException>(() => flavors.Resolve("config[0].specification", "custom", new CustomSpec(1, 8192, 0)));
        Assert.Contains("needs 8192 MiB of memory, this node has 6000 MiB", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<InferaException>(() => flavors.Resolve("config[0].specification", "modelarts.vm.gpu.p4", null));
        Assert.Contains("no /dev/nvidia* device", error.Message, StringComparison.Ordinal);
        Assert.Equal(0.5, flavors.Resolve("config[0].specification", "custom", new CustomSpec(0.5, 512, 0)).Cpu);

        var big = new FlavorCatalog(new NodeResources(Cores: 16, MemoryMiB: 65536, Gpus: 1));
        Assert.Equal("modelarts.vm.cpu.2u", big.Resolve("s", "", null).Code);
        Assert.Null(FlavorCatalog.Standard.Single(f => f.Code == "modelarts.vm.gpu.p4").Unavailable(big.Node));
    }

    [Fact]
    public void Limiter_WritesMemoryAndCpuLimits_AndThePid_OrSaysWhyNot()
    {
        var root = Directory.CreateTempSubdirectory("infera-cgroupfs-").FullName;
        try
        {
            var self = Path.Combine(root, "self-cgroup");
            File.WriteAllText(self, "0::/user.slice/infera.service\n");
            Assert.False(ResourceLimiter.Detect(root, self).Enforced);
            Assert.Contains("cgroups v2 is not mounted", ResourceLimiter.Detect(root, self).Reason, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(root, "cgroup.controllers"), "cpuset cpu io memory pids\n");
            var own = Path.Combine(root, "user.slice", "infera.service");
            Directory.CreateDirectory(own);
            File.WriteAllText(Path.Combine(own, "cgroup.controllers"), "pids\n");
            var refused = ResourceLimiter.Detect(root, self);
            Assert.False(refused.Enforced);
            Assert.Contains("memory and cpu controllers are not delegated", refused.Reason, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(own, "cgroup.controllers"), "cpu memory pids\n");
            var limiter = ResourceLimiter.Detect(root, self);
            Assert.True(limiter.Enforced, limiter.Reason);
            var flavor = FlavorCatalog.Standard.Single(f => f.Code == "modelarts.vm.cpu.2u");
            Assert.Null(limiter.Apply("instance-1", 4242, flavor));
            var group = Directory.GetDirectories(own, "infera-instances-*").Single();
            Assert.Equal("+memory +cpu", File.ReadAllText(Path.Combine(group, "cgroup.subtree_control")));
            Assert.Equal("8589934592", File.ReadAllText(Path.Combine(group, "instance-1", "memory.max")));
            Assert.Equal("200000 100000", File.ReadAllText(Path.Combine(group, "instance-1", "cpu.max")));
            Assert.Equal("4242", File.ReadAllText(Path.Combine(group, "instance-1", "cgroup.procs")));
            Assert.Null(limiter.Apply("instance-2", 4243, new Flavor("custom", "CPU", 0.25, 300, 0, "", 0)));
            Assert.Equal("25000 100000", File.ReadAllText(Path.Combine(group, "instance-2", "cpu.max")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
