using System.Text.Json;
using System.Text.Json.Nodes;
using Infera.Cli.Tests.Fakes;

namespace Infera.Cli.Tests;

public sealed class ServiceCommandTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Deploy_ModelNameVersion_CreatesServiceAndWaitsForRunning()
    {
        await cli.LoginAsync();
        var model = cli.Backend.AddModel("digits", "1.0.0");

        var result = await cli.RunAsync(
            "service", "deploy", "--name", "svc", "--model", "digits:1.0.0", "--instances", "2", "--env", "A=1", "--env", "B=x=y", "-o", "json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var create = cli.Backend.Requests.Single(r => r.Method == "POST" && r.Uri.AbsolutePath.EndsWith("/services", StringComparison.Ordinal));
        var body = JsonNode.Parse(create.Body)!;
        Assert.Equal("svc", (string?)body["service_name"]);
        Assert.Equal("real-time", (string?)body["infer_type"]);
        var config = body["config"]![0]!;
        Assert.Equal((string)model["model_id"]!, (string?)config["model_id"]);
        Assert.Equal(100, (int)config["weight"]!);
        Assert.Equal(2, (int)config["instance_count"]!);
        Assert.Equal("modelarts.vm.cpu.2u", (string?)config["specification"]);
        Assert.Equal("x=y", (string?)config["envs"]!["B"]);
        using var output = JsonDocument.Parse(result.Stdout);
        Assert.Equal("running", output.RootElement.GetProperty("status").GetString());
        Assert.Contains("deploying", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_Failed_PrintsErrorAndAbnormalEvents()
    {
        await cli.LoginAsync();
        cli.Backend.AddModel("digits", "1.0.0");
        cli.Backend.ServiceStatusSequence = ["deploying", "failed"];
        var nextServiceId = "00000000-0000-4000-8000-000000000002";
        cli.Backend.AddEvent(nextServiceId, "abnormal", "instance 0 exited with code 1");

        var result = await cli.RunAsync("service", "deploy", "--name", "svc", "--model", "digits:1.0.0");

        Assert.Equal(ExitCodes.WaitFailed, result.ExitCode);
        Assert.Contains("instance 0 exited with code 1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("is failed", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_DuplicateName_ExitsApiErrorWithCode()
    {
        await cli.LoginAsync();
        cli.Backend.AddModel("digits", "1.0.0");
        cli.Backend.AddService("svc");

        var result = await cli.RunAsync("service", "deploy", "--name", "svc", "--model", "digits:1.0.0", "--no-wait");

        Assert.Equal(ExitCodes.ApiError, result.ExitCode);
        Assert.Contains("ModelArts.3503: Service name already exists.", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Deploy_BadEnv_IsUsageError()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("service", "deploy", "--name", "svc", "--model", "m:1.0.0", "--env", "NOEQUALS");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
    }

    [Fact]
    public async Task Predict_ServiceName_PostsJsonAndPrintsBody()
    {
        await cli.LoginAsync();
        var service = cli.Backend.AddService("svc");

        var result = await cli.RunAsync("service", "predict", "svc", "--json", """{"data":{"req_data":[{"x":1}]}}""", "--path", "/sub");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("""{"echo":{"data":{"req_data":[{"x":1}]}}}""" + Environment.NewLine, result.Stdout);
        var call = cli.Backend.Requests.Single(r => r.Uri.AbsolutePath.StartsWith("/v1/infers/", StringComparison.Ordinal));
        Assert.Equal($"/v1/infers/{service["service_id"]}/sub", call.Uri.AbsolutePath);
        Assert.Equal(FakeInferaBackend.Token, call.Headers["X-Auth-Token"]);
    }

    [Fact]
    public async Task Predict_JsonFromFile_ReadsBody()
    {
        await cli.LoginAsync();
        cli.Backend.AddService("svc");
        var body = cli.CreateFile("req.json", """{"data": {"x": 1}}""");

        var result = await cli.RunAsync("service", "predict", "svc", "--json", "@" + body);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("\"x\": 1", cli.Backend.Requests.Last().BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_Files_SendsMultipartWithFieldNames()
    {
        await cli.LoginAsync();
        cli.Backend.AddService("svc");
        var image = cli.CreateFile("img.png", "PNGDATA");

        var result = await cli.RunAsync("service", "predict", "svc", "--file", $"images={image}", "-o", "json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var call = cli.Backend.Requests.Single(r => r.Uri.AbsolutePath.StartsWith("/v1/infers/", StringComparison.Ordinal));
        Assert.StartsWith("multipart/form-data", call.ContentType, StringComparison.Ordinal);
        Assert.Contains("name=images", call.BodyText, StringComparison.Ordinal);
        Assert.Contains("filename=img.png", call.BodyText, StringComparison.Ordinal);
        Assert.Contains("PNGDATA", call.BodyText, StringComparison.Ordinal);
        using var output = JsonDocument.Parse(result.Stdout);
        Assert.Equal(200, output.RootElement.GetProperty("status_code").GetInt32());
        Assert.Equal("multipart", output.RootElement.GetProperty("body").GetProperty("echo").GetString());
    }

    [Fact]
    public async Task Predict_ModelAnswers400_PrintsBodyAndExitsPredictFailed()
    {
        await cli.LoginAsync();
        cli.Backend.AddService("svc");
        cli.Backend.Infer = _ => (400, "application/json", """{"error_code":"MR.0101","error_msg":"bad input"}""");

        var result = await cli.RunAsync("service", "predict", "svc", "--json", "{}");

        Assert.Equal(ExitCodes.PredictFailed, result.ExitCode);
        Assert.Contains("bad input", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("HTTP 400", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_NeitherJsonNorFile_IsUsageError()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("service", "predict", "svc");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
    }

    [Fact]
    public async Task Stop_WaitsForStopped()
    {
        await cli.LoginAsync();
        var service = cli.Backend.AddService("svc");

        var result = await cli.RunAsync("service", "stop", "svc", "-o", "json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains(cli.Backend.Requests, r => r.Method == "PUT" && r.BodyText.Contains("\"status\":\"stopped\"", StringComparison.Ordinal));
        using var output = JsonDocument.Parse(result.Stdout);
        Assert.Equal("stopped", output.RootElement.GetProperty("status").GetString());
        Assert.Equal("stopped", (string?)service["status"]);
    }

    [Fact]
    public async Task Start_WaitsForRunning()
    {
        await cli.LoginAsync();
        cli.Backend.AddService("svc", "stopped");

        var result = await cli.RunAsync("service", "start", "svc", "-o", "json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var output = JsonDocument.Parse(result.Stdout);
        Assert.Equal("running", output.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Delete_SeveralNames_SendsCommaSeparatedIds()
    {
        await cli.LoginAsync();
        var a = cli.Backend.AddService("a");
        var b = cli.Backend.AddService("b");

        var result = await cli.RunAsync("service", "delete", "a", "b");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains(cli.Backend.Requests, r => r.Method == "DELETE" && r.Uri.AbsolutePath.EndsWith($"/services/{a["service_id"]},{b["service_id"]}", StringComparison.Ordinal));
        Assert.Empty(cli.Backend.Services);
    }

    [Fact]
    public async Task Show_UnknownName_ExitsNotFound()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("service", "show", "ghost");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("ModelArts.3502", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_Table_ListsEvents()
    {
        await cli.LoginAsync();
        var service = cli.Backend.AddService("svc");
        cli.Backend.AddEvent((string)service["service_id"]!, "normal", "deployment of service started");

        var result = await cli.RunAsync("service", "events", "svc");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("deployment of service started", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_AutoStopDefaultsToOneHourLikeTheConsole_OffSendsNoSchedule()
    {
        await cli.LoginAsync();
        cli.Backend.AddModel("digits", "1.0.0");

        var result = await cli.RunAsync("service", "deploy", "--name", "a", "--model", "digits:1.0.0", "--deploy-timeout", "30", "--tag", "team=cv", "--no-wait");
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var body = JsonNode.Parse(cli.Backend.Requests.Last(r => r.Method == "POST" && r.Uri.AbsolutePath.EndsWith("/services", StringComparison.Ordinal)).Body)!;
        Assert.Equal("HOURS", (string?)body["schedule"]![0]!["time_unit"]);
        Assert.Equal(1, (int)body["schedule"]![0]!["duration"]!);
        Assert.Equal(1800, (int)body["config"]![0]!["deploy_timeout_in_seconds"]!);
        Assert.Equal("cv", (string?)body["tags"]![0]!["value"]);

        result = await cli.RunAsync("service", "deploy", "--name", "b", "--model", "digits:1.0.0", "--auto-stop", "off", "--no-wait");
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        body = JsonNode.Parse(cli.Backend.Requests.Last(r => r.Method == "POST" && r.Uri.AbsolutePath.EndsWith("/services", StringComparison.Ordinal)).Body)!;
        Assert.Null(body["schedule"]);

        result = await cli.RunAsync("service", "deploy", "--name", "c", "--model", "digits:1.0.0", "--auto-stop", "25h");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("--auto-stop expects off or 1h-24h", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_InstancesAndMaxUnavailable_KeepsTheVersionAndSwitchesAutoStopOff()
    {
        await cli.LoginAsync();
        var service = cli.Backend.AddService("svc");
        service["config"] = new JsonArray(new JsonObject
        {
            ["model_id"] = "m-1", ["weight"] = 100, ["specification"] = "modelarts.vm.cpu.2u", ["instance_count"] = 1, ["envs"] = new JsonObject { ["A"] = "1" },
        });

        var result = await cli.RunAsync("service", "update", "svc", "--instances", "3", "--max-unavailable", "1", "--auto-stop", "off", "--no-wait");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var put = JsonNode.Parse(cli.Backend.Requests.Single(r => r.Method == "PUT").Body)!;
        var item = put["config"]![0]!;
        Assert.Equal("m-1", (string?)item["model_id"]);
        Assert.Equal(3, (int)item["instance_count"]!);
        Assert.Equal(1, (double)item["additional_properties"]!["max_unavailable"]!);
        Assert.Equal("1", (string?)item["envs"]!["A"]);
        Assert.Empty(put["schedule"]!.AsArray());
    }
}
