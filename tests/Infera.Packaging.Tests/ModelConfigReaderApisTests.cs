using System.Text.Json;
using Xunit;

namespace Infera.Packaging.Tests;

public sealed class ModelConfigReaderApisTests
{
    [Fact]
    public void Read_ApiWithoutFields_GetsDefaults()
    {
        var result = ConfigAssert.Read("\"apis\": [ {} ]");

        ConfigAssert.Valid(result);
        var api = Assert.Single(result.Config!.Apis);
        Assert.Equal(new ModelApi("/", "post", "application/json", null, "application/json", null), api);
    }

    [Fact]
    public void Read_ApisNotArray_ReportsType()
    {
        var result = ConfigAssert.Read("\"apis\": { \"url\": \"/\" }");

        ConfigAssert.SingleError(result, "$.apis", "apis must be an array of api objects, not an object.");
    }

    [Fact]
    public void Read_ApiItemNotObject_ReportsItem()
    {
        var result = ConfigAssert.Read("\"apis\": [ \"/\" ]");

        ConfigAssert.SingleError(result, "$.apis[0]", "An api must be an object");
    }

    [Fact]
    public void Read_UrlWithoutSlash_ReportsValue()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"url\": \"predict\" } ]", "Image");

        ConfigAssert.SingleError(result, "$.apis[0].url", "url \"predict\" must start with \"/\".");
    }

    [Fact]
    public void Read_OtherUrlOnCustomEngine_IsAccepted()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"url\": \"/v1/predict\", \"method\": \"get\" }, { \"url\": \"/v1/predict\" } ]", "Image");

        ConfigAssert.Valid(result);
        Assert.Equal(["/v1/predict", "/v1/predict"], result.Config!.Apis.Select(a => a.Url));
    }

    [Fact]
    public void Read_OtherUrlOnBuiltInEngine_ReportsOnlySlashAllowed()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"url\": \"/predict\" } ]", "PyTorch");

        ConfigAssert.SingleError(result, "$.apis[0].url", "url \"/predict\" is not allowed for PyTorch models, which expose only \"/\"");
    }

    [Theory]
    [InlineData("GET", "get")]
    [InlineData("post", "post")]
    [InlineData("Put", "put")]
    [InlineData("delete", "delete")]
    [InlineData("PATCH", "patch")]
    public void Read_Method_IsCaseInsensitiveAndLowerCased(string written, string expected)
    {
        var result = ConfigAssert.Read($"\"apis\": [ {{ \"method\": \"{written}\" }} ]");

        ConfigAssert.Valid(result);
        Assert.Equal(expected, result.Config!.Apis[0].Method);
    }

    [Fact]
    public void Read_UnknownMethod_ReportsValue()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"method\": \"HEAD\" } ]");

        ConfigAssert.SingleError(result, "$.apis[0].method", "method \"HEAD\" is not supported; use get, post, put, delete or patch.");
    }

    [Fact]
    public void Read_DuplicateUrlAndMethod_ReportsSecondItem()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"url\": \"/\" }, { \"method\": \"POST\" } ]");

        ConfigAssert.SingleError(result, "$.apis[1]", "url \"/\" with method \"post\" is already declared by $.apis[0].");
    }

    [Fact]
    public void Read_SameUrlDifferentMethod_IsAccepted()
    {
        ConfigAssert.Valid(ConfigAssert.Read("\"apis\": [ { \"method\": \"get\" }, { \"method\": \"post\" } ]"));
    }

    [Theory]
    [InlineData("Content-type")]
    [InlineData("Content-Type")]
    [InlineData("content-type")]
    public void Read_ContentTypeSpellings_AreAcceptedSilently(string name)
    {
        var result = ConfigAssert.Read($"\"apis\": [ {{ \"request\": {{ \"{name}\": \"multipart/form-data\" }} }} ]");

        ConfigAssert.Valid(result);
        Assert.Empty(result.Warnings);
        Assert.Equal("multipart/form-data", result.Config!.Apis[0].RequestContentType);
    }

    [Fact]
    public void Read_ContentTypeWithCharset_IsReducedToMediaType()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"request\": { \"Content-type\": \"Application/JSON; charset=utf-8\" } } ]");

        ConfigAssert.Valid(result);
        Assert.Equal("application/json", result.Config!.Apis[0].RequestContentType);
    }

    [Fact]
    public void Read_ApplicatonJsonTypo_IsReadAsApplicationJsonWithWarning()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"response\": { \"Content-type\": \"applicaton/json\" } } ]");

        ConfigAssert.Valid(result);
        Assert.Equal("application/json", result.Config!.Apis[0].ResponseContentType);
        ConfigAssert.Warning(result.Warnings, "$.apis[0].response['Content-type']", "\"applicaton/json\" is a known misspelling");
    }

    [Fact]
    public void Read_MultipartJson_IsReadAsFormDataForRequestAndJsonForResponse()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"request\": { \"Content-type\": \"multipart/json\" }, \"response\": { \"Content-type\": \"multipart/json\" } } ]");

        ConfigAssert.Valid(result);
        Assert.Equal("multipart/form-data", result.Config!.Apis[0].RequestContentType);
        Assert.Equal("application/json", result.Config.Apis[0].ResponseContentType);
        ConfigAssert.Warning(result.Warnings, "$.apis[0].request['Content-type']", "was read as \"multipart/form-data\"");
        ConfigAssert.Warning(result.Warnings, "$.apis[0].response['Content-type']", "was read as \"application/json\"");
    }

    [Fact]
    public void Read_UnknownContentTypeOnBuiltInEngine_ReportsValue()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"request\": { \"Content-type\": \"image/jpeg\" } } ]");

        ConfigAssert.SingleError(result, "$.apis[0].request['Content-type']", "request Content-type \"image/jpeg\" is not supported; use application/json or multipart/form-data.");
    }

    [Fact]
    public void Read_UnknownContentTypeOnCustomEngine_WarnsAndKeeps()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"request\": { \"Content-type\": \"image/jpeg\" } } ]", "Image");

        ConfigAssert.Valid(result);
        Assert.Equal("image/jpeg", result.Config!.Apis[0].RequestContentType);
        ConfigAssert.Warning(result.Warnings, "$.apis[0].request['Content-type']", "is kept as written");
    }

    [Fact]
    public void Read_MultipartOnMachineLearningEngine_ReportsJsonOnly()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"request\": { \"Content-type\": \"multipart/form-data\" } } ]", "Scikit_Learn");

        ConfigAssert.SingleError(result, "$.apis[0].request['Content-type']", "is not allowed for machine-learning engine Scikit_Learn, which accepts only application/json.");
    }

    [Fact]
    public void Read_JsonOnMachineLearningEngine_IsAccepted()
    {
        ConfigAssert.Valid(ConfigAssert.Read("\"apis\": [ { \"request\": { \"Content-type\": \"application/json\" } } ]", "XGBoost"));
    }

    [Fact]
    public void Read_DataNotObject_ReportsType()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"request\": { \"data\": \"{\\\"type\\\":\\\"object\\\"}\" } } ]");

        ConfigAssert.SingleError(result, "$.apis[0].request.data", "data must be a JSON Schema object, not the string");
    }

    [Fact]
    public void Read_SchemaTypes_AreCheckedRecursively()
    {
        const string Data = """
            "apis": [ { "response": { "data": {
              "type": "object",
              "properties": {
                "a": { "type": ["string", "null"] },
                "b": { "type": "array", "items": { "type": "integr" } },
                "c": { "type": "array", "items": [ { "type": "number" }, { "type": 5 } ] },
                "d": { "anyOf": [ { "type": "file" }, { "type": "text" } ] }
              } } } } ]
            """;

        var result = ConfigAssert.Read(Data);

        Assert.Equal(3, result.Errors.Count);
        ConfigAssert.Error(result.Errors, "$.apis[0].response.data.properties.b.items.type", "\"integr\" is not a JSON Schema type; use string, number, integer, boolean, object, array, null or file.");
        ConfigAssert.Error(result.Errors, "$.apis[0].response.data.properties.c.items[1].type", "type must be a type name or an array of type names, not 5.");
        ConfigAssert.Error(result.Errors, "$.apis[0].response.data.properties.d.anyOf[1].type", "\"text\" is not a JSON Schema type");
    }

    [Fact]
    public void Read_ItemTypo_IsRenamedToItemsWithWarning()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"response\": { \"data\": { \"type\": \"object\", \"properties\": { \"item\": { \"type\": \"array\", \"item\": [ { \"type\": \"string\" } ] } } } } } ]");

        ConfigAssert.Valid(result);
        ConfigAssert.Warning(result.Warnings, "$.apis[0].response.data.properties.item.item", "\"item\" is a known misspelling of \"items\"");
        var property = result.Config!.Apis[0].ResponseSchema!.Value.GetProperty("properties").GetProperty("item");
        Assert.True(property.TryGetProperty("items", out var items));
        Assert.Equal(JsonValueKind.Array, items.ValueKind);
        Assert.False(property.TryGetProperty("item", out _));
    }

    [Fact]
    public void Read_ItemTypoWithBadType_ReportsPathAsWritten()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"response\": { \"data\": { \"type\": \"array\", \"item\": { \"type\": \"str\" } } } } ]");

        ConfigAssert.SingleError(result, "$.apis[0].response.data.item.type", "\"str\" is not a JSON Schema type");
    }

    [Fact]
    public void Read_ResponseOnlyItemAfterItemWithoutResponse_IsMergedWithWarning()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"url\": \"/\", \"request\": { \"Content-type\": \"multipart/form-data\" } }, { \"response\": { \"Content-type\": \"application/json\", \"data\": { \"type\": \"object\" } } } ]");

        ConfigAssert.Valid(result);
        var api = Assert.Single(result.Config!.Apis);
        Assert.Equal("multipart/form-data", api.RequestContentType);
        Assert.NotNull(api.ResponseSchema);
        ConfigAssert.Warning(result.Warnings, "$.apis[1]", "was merged into $.apis[0]");
    }

    [Fact]
    public void Read_UnknownApiField_Warns()
    {
        var result = ConfigAssert.Read("\"apis\": [ { \"protocol\": \"http\" } ]");

        ConfigAssert.Valid(result);
        ConfigAssert.Warning(result.Warnings, "$.apis[0].protocol", "Unknown field \"protocol\" is ignored.");
    }
}
