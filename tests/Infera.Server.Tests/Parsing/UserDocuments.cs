using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Infera.Server.Tests.Parsing;

/// <summary>
/// Generators of user documents for the "no catch-all for user input" properties (issue #20): arbitrary text, and valid
/// seed documents mutated the ways real files go wrong — characters deleted, inserted or swapped, keys duplicated,
/// unpaired surrogate escapes, very deep nesting, other encodings, byte-order marks, comments.
/// </summary>
public static class UserDocuments
{
    /// <summary>Real config.json files: the fixtures of the packaging tests and the samples.</summary>
    public static IReadOnlyList<string> Configs { get; } = LoadConfigs();

    /// <summary>Valid bodies of the management API (deploy, update, alarm, import, login) to mutate.</summary>
    public static readonly string[] Bodies =
    [
        """{"service_name":"svc","infer_type":"real-time","config":[{"model_id":"m","weight":100,"specification":"modelarts.vm.cpu.2u","instance_count":1,"envs":{"A":"1"}}],"schedule":[{"type":"stop","time_unit":"HOURS","duration":1}],"routing_rules":[{"condition":"#HEADER_a == 'b'","model_version":"1.0.0"}],"rate_limit":10}""",
        """{"service_name":"b","infer_type":"batch","config":[{"model_id":"m","src_path":"obs://a/in/","dest_path":"obs://a/out/","req_uri":"/","mapping_type":"csv","mapping_rule":{"type":"object","properties":{"x":{"type":"number","index":0}}}}]}""",
        """{"status":"running","description":"d","config":[{"model_id":"m","weight":"100","instance_count":"2"}],"tags":[{"key":"k","value":"v"}]}""",
        """{"metric":"req_count_5xx","comparison":">","threshold":5,"periods":3,"name":"a-1","model_version":"1.0.0"}""",
        """{"model_name":"m","model_version":"1.0.0","source_location":"obs://models/m/","model_type":"PyTorch","template":{"template_id":"t","infer_format":"f","template_inputs":[{"input_id":"model","input":"obs://x/"}]}}""",
        """{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","password":"x","domain":{"name":"default"}}}},"scope":{"project":{"name":"default"}}}}""",
    ];

    private static readonly string[] Insertions =
    [
        "\\ud800", "\\udfff", "\\ud83d", "\"", "\\", "{", "}", "[", "]", ",", ":", "//c\n", "/*", "*/", "\u0000", "\uFEFF", "null", "1e999", "-0",
        "\"a\":1,", "\"type\":", "\"properties\":{", "\"item\":", "true", "\n", "\t", "é", "漢", "💡",
    ];

    /// <summary>Arbitrary text or a mutated seed (config or body).</summary>
    public static Gen<string> Text(IReadOnlyList<string> seeds) => Gen.Frequency(
        (1, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "")),
        (4, Mutated(seeds)),
        (1, Deep(seeds)));

    /// <summary>The bytes of such a text, in UTF-8 (with or without a byte-order mark), UTF-16, GBK, or cut short; or arbitrary bytes.</summary>
    public static Gen<byte[]> Bytes(IReadOnlyList<string> seeds) => Gen.Frequency(
        (1, ArbMap.Default.GeneratorFor<byte[]>().Select(b => b ?? [])),
        (4, from text in Text(seeds)
            from encoding in Gen.Choose(0, 4)
            from cut in Gen.Choose(0, 100)
            select Encode(text, encoding, cut)));

    private static Gen<string> Mutated(IReadOnlyList<string> seeds) =>
        from seed in Gen.Elements(seeds.ToArray())
        from count in Gen.Choose(1, 4)
        from edits in Gen.ArrayOf(Edit(), count)
        select edits.Aggregate(seed, (text, edit) => edit(text));

    // Nesting far beyond any limit, inside an otherwise valid document.
    private static Gen<string> Deep(IReadOnlyList<string> seeds) =>
        from seed in Gen.Elements(seeds.ToArray())
        from depth in Gen.Choose(60, 2000)
        from open in Gen.Elements("{\"a\":", "[", "{\"type\":\"object\",\"properties\":{\"p\":")
        select seed.TrimEnd().TrimEnd('}') + ",\"deep\":" + string.Concat(Enumerable.Repeat(open, depth)) + "1" + "}";

    private static Gen<Func<string, string>> Edit() =>
        from kind in Gen.Choose(0, 5)
        from at in Gen.Choose(0, 10_000)
        from length in Gen.Choose(1, 40)
        from insertion in Gen.Elements(Insertions)
        select (Func<string, string>)(text =>
        {
            if (text.Length == 0)
            {
                return insertion;
            }

            var i = at % text.Length;
            var n = Math.Min(length, text.Length - i);
            return kind switch
            {
                0 => text.Remove(i, n),                                      // delete
                1 => text.Insert(i, insertion),                              // insert a troublesome token
                2 => text.Insert(i, text.Substring(i, n)),                   // repeat a piece (duplicate keys)
                3 => text[..i],                                              // cut short
                4 => text.Replace("\"a", "\"\\ud800a", StringComparison.Ordinal).Insert(i, "\"k\":\"\\udc00\","), // surrogates
                _ => text.Insert(i, "\"" + text.Substring(i, n).Replace("\"", "", StringComparison.Ordinal) + "\":0,"),
            };
        });

    private static byte[] Encode(string text, int encoding, int cut)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = encoding switch
        {
            0 => Encoding.UTF8.GetBytes(text),
            1 => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
            2 => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
            3 => Encoding.GetEncoding(936).GetBytes(text),
            _ => Encoding.UTF8.GetBytes(text),
        };
        return encoding == 4 && bytes.Length > 0 ? bytes[..(cut * bytes.Length / 100)] : bytes;
    }

    private static List<string> LoadConfigs()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Infera.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Infera.slnx not found above the test folder.");
        }

        return [.. Directory.EnumerateFiles(Path.Combine(root, "tests", "Infera.Packaging.Tests", "Fixtures"), "*.json")
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "samples"), "config.json", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)];
    }
}
