using System.Net;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>Templates and input/output modes (R-M4, seed 003 §2.2.2 and §4.2).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class TemplateTests(SharedServerFixture fixture)
{
    private const string PredictService = """
        from model_service.pytorch_model_service import PTServingBaseService


        class Adder(PTServingBaseService):
            def inference(self, data):
                rows = data["data"]["req_data"]
                return {"data": {"resp_data": [{"sum": sum(row.values())} for row in rows]}}
        """;

    private TestServer Server => fixture.Server;

    private async Task<string> UploadFolderWithoutConfigAsync(string name)
    {
        var folder = Packages.Write(Packages.TempFolder(), new Dictionary<string, string>
        {
            ["customize_service.py"] = PredictService,
            ["adder.pt"] = "weights are not needed by this model",
        });
        await Server.UploadFolderAsync(folder, "template-tests", name);
        return $"obs://template-tests/{name}/model/";
    }

    private static JsonObject TemplateImport(string name, string templateId, string? inferFormat, params (string Id, string Input)[] inputs) => new()
    {
        ["model_name"] = name,
        ["model_version"] = "1.0.0",
        ["model_type"] = "Template",
        ["template"] = new JsonObject
        {
            ["template_id"] = templateId,
            ["infer_format"] = inferFormat,
            ["template_inputs"] = new JsonArray(inputs.Select(i => (JsonNode?)new JsonObject { ["input_id"] = i.Id, ["input"] = i.Input }).ToArray()),
        },
    };

    private static string ErrorCode(string body) => JsonNode.Parse(body)!["error_code"]!.GetValue<string>();

    [Fact]
    public async Task Templates_ListWithTypeEngineEnvironmentFiltersAndKeyword()
    {
        var all = await Server.SendAsync(HttpMethod.Get, Server.V1("models/templates"));
        Assert.Equal(14, all["total_count"]!.GetValue<int>());

        var pytorch = await Server.SendAsync(HttpMethod.Get, Server.V1("models/templates?engine=pytorch"));
        Assert.Equal(["pytorch-py27-general", "pytorch-py36-general"], pytorch["templates"]!.AsArray().Select(t => t!["template_id"]!.GetValue<string>()));

        var py36 = await Server.SendAsync(HttpMethod.Get, Server.V1("models/templates?engine=PyTorch&environment=python3.6&type=general"));
        var only = Assert.Single(py36["templates"]!.AsArray())!;
        Assert.Equal("undefined", only["infer_format"]!.GetValue<string>());
        Assert.True(only["infer_format_overridable"]!.GetValue<bool>());

        var specific = await Server.SendAsync(HttpMethod.Get, Server.V1("models/templates?type=image_classification"));
        var classification = Assert.Single(specific["templates"]!.AsArray())!;
        Assert.Equal("image_processing", classification["infer_format"]!.GetValue<string>());
        Assert.False(classification["infer_format_overridable"]!.GetValue<bool>());

        var keyword = await Server.SendAsync(HttpMethod.Get, Server.V1("models/templates?keyword=Ascend"));
        Assert.Equal("arm-ascend", Assert.Single(keyword["templates"]!.AsArray())!["template_id"]!.GetValue<string>());

        var formats = await Server.SendAsync(HttpMethod.Get, Server.V1("models/infer-formats"));
        Assert.Equal(["object_detection", "image_processing", "predict_analysis", "undefined"], formats["infer_formats"]!.AsArray().Select(f => f!["infer_format"]!.GetValue<string>()));
        Assert.False(formats["infer_formats"]![3]!["batch_deployable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TemplateImport_PredictAnalysisMode_DeploysAndAnswers_AndNewVersionKeepsTheTemplate()
    {
        var folder = await UploadFolderWithoutConfigAsync("adder");
        var created = await Server.SendAsync(HttpMethod.Post, Server.V1("models"), TemplateImport("adder", "pytorch-py36-general", "predict_analysis", ("model", folder)));
        var id = created["model_id"]!.GetValue<string>();
        var model = await Server.WaitAsync(Server.V1($"models/{id}"), m => m["model_status"]!.GetValue<string>() is "published" or "failed");
        Assert.True(model["model_status"]!.GetValue<string>() == "published", model.ToJsonString());
        Assert.Equal("PyTorch", model["model_type"]!.GetValue<string>());
        Assert.Equal("python3.6", model["runtime"]!.GetValue<string>());
        Assert.Equal("predict_analysis", model["infer_format"]!.GetValue<string>());
        Assert.Equal("predict_analysis", model["model_algorithm"]!.GetValue<string>());
        Assert.Equal("pytorch-py36-general", model["template"]!["template_id"]!.GetValue<string>());
        Assert.Contains("req_data", model["apis"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("data", model["input_params"]![0]!["param_name"]!.GetValue<string>());

        var service = await Server.DeployAsync("adder-svc", id);
        Assert.Equal("running", service["status"]!.GetValue<string>());
        var (status, body) = await Server.PredictJsonAsync(service["access_address"]!.GetValue<string>(), """{"data": {"req_data": [{"a": 1, "b": 2}, {"a": 10, "b": 5}]}}""");
        Assert.True(status == HttpStatusCode.OK, body);
        var answer = JsonNode.Parse(body)!["data"]!["resp_data"]!.AsArray();
        Assert.Equal([3, 15], answer.Select(r => r!["sum"]!.GetValue<int>()));
        await Server.SendAsync(HttpMethod.Delete, Server.V1($"services/{service["service_id"]!.GetValue<string>()}"));

        var next = await Server.SendAsync(HttpMethod.Post, Server.V1($"models/{id}/versions"));
        var version = await Server.WaitAsync(Server.V1($"models/{next["model_id"]!.GetValue<string>()}"), m => m["model_status"]!.GetValue<string>() is "published" or "failed");
        Assert.Equal("published", version["model_status"]!.GetValue<string>());
        Assert.Equal("predict_analysis", version["infer_format"]!.GetValue<string>());
        Assert.Equal("1.0.1", version["model_version"]!.GetValue<string>());
    }

    [Fact]
    public async Task TemplateImport_UndefinedModeIsRecorded()
    {
        var folder = await UploadFolderWithoutConfigAsync("undefined-mode");
        var created = await Server.SendAsync(HttpMethod.Post, Server.V1("models"), TemplateImport("undefined-mode", "pytorch-py36-general", null, ("model", folder)));
        var model = await Server.WaitAsync(Server.V1($"models/{created["model_id"]!.GetValue<string>()}"), m => m["model_status"]!.GetValue<string>() is "published" or "failed");
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        Assert.Equal("undefined", model["infer_format"]!.GetValue<string>());
        Assert.Equal("[]", model["apis"]!.GetValue<string>());
    }

    [Fact]
    public async Task TemplateImport_BadRequests_AreRefusedWithModelArtsErrors()
    {
        var folder = await UploadFolderWithoutConfigAsync("refused");
        var cases = new (JsonObject Body, string Code, string Fragment)[]
        {
            (TemplateImport("refused", "tensorflow-image-classification", "predict_analysis", ("model", folder)), "ModelArts.3037", "cannot be overridden"),
            (TemplateImport("refused", "no-such-template", null, ("model", folder)), "ModelArts.3037", "no such template"),
            (TemplateImport("refused", "pytorch-py36-general", "telepathy", ("model", folder)), "ModelArts.3037", "predict_analysis"),
            (TemplateImport("refused", "pytorch-py36-general", null, ("model", folder), ("model", folder)), "ModelArts.3039", "model"),
            (TemplateImport("refused", "pytorch-py36-general", null), "ModelArts.3036", "template_inputs"),
        };
        foreach (var (body, code, fragment) in cases)
        {
            var (status, text) = await Server.TrySendAsync(HttpMethod.Post, Server.V1("models"), body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{body.ToJsonString()} → {status} {text}");
            Assert.Equal(code, ErrorCode(text));
            Assert.Contains(fragment, JsonNode.Parse(text)!["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var list = await Server.SendAsync(HttpMethod.Get, Server.V1("models?model_name=refused&exact_match=true"));
        Assert.Equal(0, list["total_count"]!.GetValue<int>());
    }
}
