using System.Text;
using Xunit;

namespace Infera.Packaging.Tests;

/// <summary>
/// Lenient reading like the real platform (issue #18) and no catch-all for user input (issue #20): what used to answer
/// "Internal error" (a duplicate key in an apis schema, an unpaired surrogate escape, a schema nested deeper than 64
/// levels) is read or named; byte-order marks, comments and GBK files are read as ModelArts reads them.
/// </summary>
public sealed class ModelConfigReaderLenientTests
{
    private const string Schema = """{"type": "object", "properties": {"x": {"type": "number"}, "x": {"type": "string"}}}""";

    private static string Config(string schema) =>
        """{"model_type": "PyTorch", "model_algorithm": "m", "runtime": "python3.7", "apis": [{"url": "/", "method": "post", "request": {"Content-type": "application/json", "data": """
        + schema
        + """}, "response": {"Content-type": "application/json", "data": {"type": "object"}}}]}""";

    [Fact]
    public void Read_DuplicateKeyInApisSchema_LastValueWinsWithAWarning()
    {
        var result = ModelConfigReader.Read(Config(Schema));

        ConfigAssert.Valid(result);
        var properties = result.Config!.Apis[0].RequestSchema!.Value.GetProperty("properties");
        Assert.Equal("string", properties.GetProperty("x").GetProperty("type").GetString());
        Assert.Contains(result.Warnings, w => w.StartsWith("$.apis[0].request.data.properties.x: the key appears more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_DuplicateRootKey_LastValueWins()
    {
        var result = ModelConfigReader.Read("""{"model_type": "TensorFlow", "model_algorithm": "m", "model_type": "PyTorch"}""");

        ConfigAssert.Valid(result);
        Assert.Equal("PyTorch", result.Config!.ModelType);
    }

    [Fact]
    public void Read_UnpairedSurrogateEscapes_BecomeReplacementCharactersWithAWarning()
    {
        var result = ModelConfigReader.Read("""{"model_type": "PyTorch", "model_algorithm": "m\ud800", "\udfffkey": 1}""");

        Assert.NotNull(result.Config);
        Assert.Equal("m\uFFFD", result.Config!.ModelAlgorithm);
        Assert.Contains(result.Warnings, w => w.Contains("unpaired surrogate", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("Internal", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Read_SchemaNestedDeeperThan64Levels_IsReadUpToTheLimit()
    {
        var nested = string.Concat(Enumerable.Repeat("""{"type": "object", "properties": {"p": """, 50)) + "{}" + new string('}', 100);

        var result = ModelConfigReader.Read(Config(nested));

        ConfigAssert.Valid(result);
    }

    [Fact]
    public void Read_NestedBeyondTheLimit_IsOneErrorNamingTheLineAndTheLimit()
    {
        var nested = new string('[', ModelConfigReader.MaxDepth + 10) + new string(']', ModelConfigReader.MaxDepth + 10);

        var result = ModelConfigReader.Read("""{"model_type": "PyTorch", "model_algorithm": "m", "x": """ + nested + "}");

        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal("$", error.Path);
        Assert.Contains($"nested deeper than {ModelConfigReader.MaxDepth} levels", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("config.json is not valid JSON at line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BytesWithUtf8ByteOrderMarkAndComments_AreRead()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""
            // exported by an editor that writes a BOM
            {"model_type": "PyTorch", "model_algorithm": "m",}
            """)).ToArray();

        ConfigAssert.Valid(ModelConfigReader.Read(bytes));
    }

    [Fact]
    public void Read_GbkBytes_AreReadAsGbkWithAWarning()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding(936).GetBytes("""{"model_type": "PyTorch", "model_algorithm": "m", "apis": [{"url": "/", "method": "post", "request": {"Content-type": "application/json", "data": {"type": "object", "description": "图像分类"}}}]}""");

        var result = ModelConfigReader.Read(bytes);

        ConfigAssert.Valid(result);
        Assert.Equal("图像分类", result.Config!.Apis[0].RequestSchema!.Value.GetProperty("description").GetString());
        Assert.Contains(result.Warnings, w => w.Contains("GBK", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Utf16BytesWithByteOrderMark_AreRead()
    {
        var bytes = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes("""{"model_type": "PyTorch", "model_algorithm": "m"}""")).ToArray();

        ConfigAssert.Valid(ModelConfigReader.Read(bytes));
    }

    [Fact]
    public void Read_BytesThatAreNoText_IsOneErrorNamingTheByte()
    {
        var result = ModelConfigReader.Read([0x7B, 0x81, 0x20, 0xFF, 0xFF, 0x7D]);

        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Contains("is not valid UTF-8 text at byte", error.Message, StringComparison.Ordinal);
        Assert.Contains("not GBK text either", error.Message, StringComparison.Ordinal);
    }
}
