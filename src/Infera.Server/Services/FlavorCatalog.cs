using System.Globalization;
using Infera.Core.Errors;
using Infera.Core.Services;

namespace Infera.Server.Services;

/// <summary>What this node offers instances: cores, memory and GPUs.</summary>
/// <param name="Cores">Logical processors.</param>
/// <param name="MemoryMiB">Physical memory, MiB.</param>
/// <param name="Gpus">GPU cards found (NVIDIA device nodes).</param>
public sealed record NodeResources(int Cores, long MemoryMiB, int Gpus)
{
    /// <summary>Reads the node: <see cref="Environment.ProcessorCount"/>, <c>MemTotal</c> of <c>/proc/meminfo</c>, <c>/dev/nvidia[0-9]*</c>.</summary>
    public static NodeResources Detect()
    {
        long memory = 0;
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null)
            {
                memory = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        var gpus = Directory.Exists("/dev") ? Directory.EnumerateFiles("/dev", "nvidia*").Count(f => char.IsDigit(f[^1])) : 0;
        return new NodeResources(Environment.ProcessorCount, memory, gpus);
    }
}

/// <summary>One deployment flavor (spec §3.9).</summary>
/// <param name="Code">Flavor code, e.g. <c>modelarts.vm.cpu.2u</c>.</param>
/// <param name="Category"><c>CPU</c> or <c>GPU</c>.</param>
/// <param name="Cpu">vCPUs per instance.</param>
/// <param name="MemoryMiB">Memory per instance, MiB.</param>
/// <param name="Gpu">GPU cards per instance.</param>
/// <param name="GpuModel">GPU model (<c>P4</c>, <c>T4</c>) or empty.</param>
/// <param name="GpuMemoryMiB">Memory per GPU card, MiB.</param>
public sealed record Flavor(string Code, string Category, double Cpu, int MemoryMiB, double Gpu, string GpuModel, int GpuMemoryMiB)
{
    /// <summary>Whether this node can run an instance of the flavor, and if not, why (null when it can).</summary>
    public string? Unavailable(NodeResources node)
    {
        if (Gpu > 0 && node.Gpus < Gpu)
        {
            return $"this node has {Plural(node.Gpus, "GPU")} (no /dev/nvidia* device), the flavor needs {Plural(Gpu, "GPU")}";
        }

        if (Cpu > node.Cores)
        {
            return $"the flavor needs {Plural(Cpu, "vCPU")}, this node has {Plural(node.Cores, "vCPU")}";
        }

        return node.MemoryMiB > 0 && MemoryMiB > node.MemoryMiB
            ? $"the flavor needs {MemoryMiB} MiB of memory, this node has {node.MemoryMiB} MiB"
            : null;
    }

    /// <summary>The English label, e.g. <c>CPU: 2 vCPUs | 8 GiB</c>.</summary>
    public string DisplayEn => Gpu > 0
        ? $"GPU: {Plural(Gpu, GpuModel)} | CPU: {Plural(Cpu, "vCPU")} | {Gib(MemoryMiB)} GiB"
        : $"CPU: {Plural(Cpu, "vCPU")} | {Gib(MemoryMiB)} GiB";

    /// <summary>The Chinese label, e.g. <c>CPU: 2核 8GiB</c>.</summary>
    public string DisplayCn => Gpu > 0
        ? $"GPU: {Number(Gpu)}*{GpuModel} | CPU: {Number(Cpu)}核 {Gib(MemoryMiB)}GiB"
        : $"CPU: {Number(Cpu)}核 {Gib(MemoryMiB)}GiB";

    private static string Gib(int mib) => Number(mib / 1024.0);

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Plural(double count, string unit) => count == 1 ? $"1 {unit}" : $"{Number(count)} {unit}s";
}

/// <summary>
/// The flavors of this node (spec §3.9, seed 003 §3.1.1 "计算节点规格"): the standard ModelArts CPU flavors, a GPU
/// flavor (listed as unavailable without a GPU) and <c>custom</c> with <c>custom_spec</c>. A flavor larger than the
/// node is refused at deploy and update.
/// </summary>
public sealed class FlavorCatalog(NodeResources node)
{
    /// <summary>The code that takes <c>custom_spec</c>.</summary>
    public const string Custom = "custom";

    /// <summary>The default flavor.</summary>
    public const string Default = "modelarts.vm.cpu.2u";

    /// <summary>The standard flavors.</summary>
    public static readonly IReadOnlyList<Flavor> Standard =
    [
        new("modelarts.vm.cpu.free", "CPU", 1, 4096, 0, "", 0),
        new("modelarts.vm.cpu.2u", "CPU", 2, 8192, 0, "", 0),
        new("modelarts.vm.cpu.4u", "CPU", 4, 16384, 0, "", 0),
        new("modelarts.vm.cpu.8u", "CPU", 8, 32768, 0, "", 0),
        new("modelarts.vm.gpu.p4", "GPU", 8, 32768, 1, "P4", 8192),
        new("modelarts.vm.gpu.t4", "GPU", 8, 32768, 1, "T4", 16384),
    ];

    /// <summary>This node.</summary>
    public NodeResources Node { get; } = node;

    /// <summary>The flavor an instance gets: a standard one by code (default <see cref="Default"/>), or the custom spec.</summary>
    /// <param name="parameter">The request field named in errors, e.g. <c>config[0].specification</c>.</param>
    /// <param name="specification">The flavor code, or null/empty for the default (<c>modelarts.vm.cpu.free</c> when the node cannot run the default).</param>
    /// <param name="customSpec">The custom spec when the code is <c>custom</c>.</param>
    /// <exception cref="InferaException">400 ModelArts.3037 for an unknown code, a bad custom spec, or a flavor this node cannot run.</exception>
    public Flavor Resolve(string parameter, string? specification, CustomSpec? customSpec)
    {
        // Without a flavor: the default, or the small free flavor on a node too small for it (a laptop with 1 core or < 8 GiB).
        var code = !string.IsNullOrEmpty(specification) ? specification
            : Standard[1].Unavailable(Node) is null || Standard[0].Unavailable(Node) is not null ? Default : Standard[0].Code;
        Flavor flavor;
        if (code == Custom)
        {
            if (customSpec is null)
            {
                throw Errors.InvalidParameter(parameter, code, "specification custom needs custom_spec {\"cpu\": vCPUs, \"memory\": MiB, \"gpu_p4\": cards}.");
            }

            if (customSpec.Cpu < 0.01 || customSpec.MemoryMiB < 1 || customSpec.GpuP4 < 0)
            {
                throw Errors.InvalidParameter(parameter.Replace("specification", "custom_spec", StringComparison.Ordinal),
                    $"cpu={customSpec.Cpu.ToString(CultureInfo.InvariantCulture)},memory={customSpec.MemoryMiB},gpu_p4={customSpec.GpuP4.ToString(CultureInfo.InvariantCulture)}",
                    "cpu must be at least 0.01, memory (MiB) at least 1 and gpu_p4 at least 0.");
            }

            flavor = new Flavor(Custom, customSpec.GpuP4 > 0 ? "GPU" : "CPU", customSpec.Cpu, customSpec.MemoryMiB, customSpec.GpuP4, "P4", 8192);
        }
        else
        {
            flavor = Standard.FirstOrDefault(f => f.Code == code)
                ?? throw Errors.InvalidParameter(parameter, code, $"use one of {string.Join(", ", Standard.Select(f => f.Code))} or custom (GET /v1/{{project_id}}/services/specifications lists them).");
        }

        if (flavor.Unavailable(Node) is { } reason)
        {
            throw Errors.InvalidParameter(parameter, code, $"this flavor is not available on this node: {reason}.");
        }

        return flavor;
    }

    /// <summary>The flavor of a stored config item (never throws; an item saved before the node shrank keeps its numbers).</summary>
    public static Flavor Of(ServiceConfigItem item) => item.Specification == Custom && item.CustomSpec is { } c
        ? new Flavor(Custom, c.GpuP4 > 0 ? "GPU" : "CPU", c.Cpu, c.MemoryMiB, c.GpuP4, "P4", 8192)
        : Standard.FirstOrDefault(f => f.Code == item.Specification) ?? Standard[1];
}
