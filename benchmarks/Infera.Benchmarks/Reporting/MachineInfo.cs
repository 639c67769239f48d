using System.Runtime.InteropServices;

namespace Infera.Benchmarks.Reporting;

/// <summary>What the numbers were measured on, read from the OS at run time.</summary>
internal static class MachineInfo
{
    /// <summary>CPU model name from <c>/proc/cpuinfo</c>, or the architecture.</summary>
    public static string Cpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>The 1/5/15-minute load averages from <c>/proc/loadavg</c>, or "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    /// <summary>One line: cores, CPU, OS, runtime.</summary>
    public static string Describe() =>
        $"{Environment.ProcessorCount} logical CPUs ({Cpu()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
}
