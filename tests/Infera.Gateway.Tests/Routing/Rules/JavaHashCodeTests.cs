using System.Diagnostics;
using System.Text;
using Infera.Core.Identity;
using Infera.Gateway.Routing.Rules;
using Microsoft.AspNetCore.Http;

namespace Infera.Gateway.Tests.Routing.Rules;

/// <summary>
/// Checks <see cref="JavaString.HashCode"/> and the seed's bucket rule (<c>#HEADER_uid.hashCode() % 100 &lt; 10</c>)
/// against a real JVM: a tiny Java program prints <c>s.hashCode()</c> and <c>s.hashCode() % 100 &lt; 10</c> for
/// each input line.
/// </summary>
public sealed class JavaHashCodeTests
{
    private const string JavaSource = """
        import java.io.*;
        import java.nio.charset.StandardCharsets;

        public class HashCodes {
            public static void main(String[] args) throws IOException {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
                String line;
                while ((line = in.readLine()) != null) {
                    String s = line.replace("\\n", "\n");
                    int h = s.hashCode();
                    out.println(h + " " + (h % 100 < 10));
                }
            }
        }
        """;

    private static IEnumerable<string> Inputs()
    {
        yield return "";
        yield return "a";
        yield return "uid";
        yield return "0.0.1";
        yield return "polygenelubricants";
        yield return "zhangsan";
        yield return "用户-张三";
        yield return "😀 emoji outside the BMP 𝄞";
        yield return "é precomposed vs e\u0301 combining";
        yield return new string('z', 5000);
        var random = new Random(20240607);
        for (var i = 0; i < 2000; i++)
        {
            var length = random.Next(1, 40);
            var chars = new char[length];
            for (var j = 0; j < length; j++)
            {
                // Printable ASCII, Latin-1, CJK; no surrogates here (lone ones do not survive UTF-8).
                chars[j] = (random.Next(3)) switch
                {
                    0 => (char)random.Next(0x21, 0x7F),
                    1 => (char)random.Next(0xA1, 0x100),
                    _ => (char)random.Next(0x4E00, 0x9FA5),
                };
            }

            yield return new string(chars);
        }

        for (var i = 0; i < 500; i++)
        {
            yield return "user-" + i;
        }
    }

    [Fact]
    public async Task HashCode_AndSeedBucketRule_EqualJava()
    {
        if (!File.Exists("/usr/bin/java"))
        {
            Assert.Fail("java is not installed (/usr/bin/java); install openjdk (scripts/setup-debian.sh) to check hashCode against Java.");
        }

        var folder = Directory.CreateTempSubdirectory("infera-java-");
        try
        {
            var source = Path.Combine(folder.FullName, "HashCodes.java");
            await File.WriteAllTextAsync(source, JavaSource);
            var inputs = Inputs().ToList();
            var start = new ProcessStartInfo("/usr/bin/java", ["-Xshare:auto", "-Dfile.encoding=UTF-8", source])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardInputEncoding = new UTF8Encoding(false),
                StandardOutputEncoding = Encoding.UTF8,
            };
            using var java = Process.Start(start)!;
            var output = java.StandardOutput.ReadToEndAsync();
            var errors = java.StandardError.ReadToEndAsync();
            foreach (var input in inputs)
            {
                await java.StandardInput.WriteLineAsync(input);
            }

            java.StandardInput.Close();
            await java.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(java.ExitCode == 0, await errors);
            var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(inputs.Count, lines.Length);

            var rule = RuleCondition.Parse("#HEADER_uid.hashCode() % 100 < 10");
            var bucketed = 0;
            for (var i = 0; i < inputs.Count; i++)
            {
                var parts = lines[i].Split(' ');
                Assert.True(int.Parse(parts[0]) == JavaString.HashCode(inputs[i]), $"hashCode of \"{inputs[i]}\": Java {parts[0]}, ours {JavaString.HashCode(inputs[i])}");
                if (inputs[i].Length == 0)
                {
                    continue;
                }

                var headers = new HeaderDictionary { ["uid"] = inputs[i] };
                var ours = rule.Matches(new RuleVariables(new CallerIdentity("d", "d", "p", "p", "u", "u"), headers));
                Assert.True(bool.Parse(parts[1]) == ours, $"bucket rule for \"{inputs[i]}\": Java {parts[1]}, ours {ours}");
                bucketed += ours ? 1 : 0;
            }

            // About 10 % plus the negative hashes (half of all): the rule selects a real share, not none or all.
            Assert.InRange(bucketed, inputs.Count / 10, inputs.Count * 3 / 4);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
