using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// Clients written by others against a running Infera: Huawei's own Node.js SDK core signer
/// (<c>@huaweicloud/huaweicloud-sdk-core</c>, installed by scripts/test.sh into tests/signers/node) and the seed's
/// Python examples run with Debian's python3-requests, changed only in URL and credentials.
/// </summary>
public sealed class ClientInteropTests(TenancyFixture fixture) : IClassFixture<TenancyFixture>
{
    private static readonly string NodeFolder = Path.Combine(Repository.Root, "tests", "signers", "node");

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task HuaweiNodeSdkSigner_IsAccepted_OnManagementAndInference()
    {
        var (ak, sk) = await fixture.AdminKeyAsync();
        var list = await RunNodeAsync(new JsonObject
        {
            ["ak"] = ak, ["sk"] = sk, ["method"] = "GET", ["endpoint"] = Server.BaseUrl + Server.V1("models"),
            ["queryParams"] = new JsonObject { ["model_name"] = "probe", ["limit"] = "10" },
        });
        Assert.True(200 == list["status"]!.GetValue<int>(), list.ToJsonString());
        Assert.Equal(1, JsonNode.Parse(list["body"]!.GetValue<string>())!["total_count"]!.GetValue<int>());

        var predict = await RunNodeAsync(Inference(ak, sk, tamper: null));
        Assert.True(200 == predict["status"]!.GetValue<int>(), predict.ToJsonString());
        Assert.Equal("from node", JsonNode.Parse(predict["body"]!.GetValue<string>())!["echo"]!.GetValue<string>());
        Assert.Contains("SignedHeaders=content-type;host;x-custom;x-sdk-date", predict["authorization"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("body")]
    [InlineData("path")]
    [InlineData("query")]
    [InlineData("header")]
    [InlineData("date")]
    public async Task HuaweiNodeSdkSigner_TamperedAfterSigning_IsRejected(string tamper)
    {
        var (ak, sk) = await fixture.AdminKeyAsync();
        var result = await RunNodeAsync(Inference(ak, sk, tamper));
        Assert.True(401 == result["status"]!.GetValue<int>(), result.ToJsonString());
        var error = JsonNode.Parse(result["body"]!.GetValue<string>())!;
        Assert.Equal("APIG.0301", error["error_code"]!.GetValue<string>());
        Assert.Contains(tamper == "date" ? "signature expired" : "verify aksk signature fail", error["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        // the key of a client whose requests were tampered with five times or fewer still works
        Assert.Equal(200, (await RunNodeAsync(Inference(ak, sk, tamper: null)))["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task SeedPythonExamples_TokenAndAppCode_RunUnchanged()
    {
        var accessAddress = (await Server.SendAsync(HttpMethod.Get, Server.V1($"services/{fixture.ServiceId}")))["access_address"]!.GetValue<string>();
        var image = Path.Combine(Path.GetTempPath(), "infera-seed-" + Guid.NewGuid().ToString("N")[..8] + ".bin");
        await File.WriteAllBytesAsync(image, [1, 2, 3, 4, 5]);
        try
        {
            foreach (var script in new[] { "seed_token_json.py", "seed_token_file.py" })
            {
                var (code, output) = await RunPythonAsync(script, accessAddress, Server.Token, image, null);
                Assert.True(code == 0 && output.StartsWith("200", StringComparison.Ordinal), $"{script}: {output}");
            }

            var app = (await Server.SendAsync(HttpMethod.Post, Server.V1("app-auth/apps"), new JsonObject { ["app_name"] = "app_seed" }))["app"]!;
            var appId = app["app_id"]!.GetValue<string>();
            var appCode = (await Server.SendAsync(HttpMethod.Post, Server.V1($"app-auth/apps/{appId}/app-code")))["app_code"]!["app_code"]!.GetValue<string>();
            await Server.SendAsync(HttpMethod.Post, Server.V1($"services/{fixture.ServiceId}/app-auth-api"), new JsonObject { ["apps"] = new JsonArray(new JsonObject { ["app_id"] = appId }) });
            var (appCodeExit, appCodeOutput) = await RunPythonAsync("seed_appcode_json.py", accessAddress, null, image, appCode);
            Assert.True(appCodeExit == 0 && appCodeOutput.StartsWith("200", StringComparison.Ordinal), appCodeOutput);

            var (wrongExit, wrongOutput) = await RunPythonAsync("seed_token_json.py", accessAddress, "not-a-token", image, null);
            Assert.Equal(0, wrongExit);
            Assert.StartsWith("401", wrongOutput, StringComparison.Ordinal);
            Assert.Contains("APIG.0301", wrongOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(image);
        }
    }

    private JsonObject Inference(string ak, string sk, string? tamper) => new()
    {
        ["ak"] = ak, ["sk"] = sk, ["method"] = "POST", ["endpoint"] = Server.BaseUrl + $"/v1/infers/{fixture.ServiceId}",
        ["headers"] = new JsonObject { ["content-type"] = "application/json", ["X-Custom"] = "original" },
        ["data"] = new JsonObject { ["echo"] = "from node" },
        ["tamper"] = tamper,
    };

    private static async Task<JsonNode> RunNodeAsync(JsonObject input)
    {
        Assert.True(Directory.Exists(Path.Combine(NodeFolder, "node_modules", "@huaweicloud", "huaweicloud-sdk-core")),
            "Huawei's SDK core is not installed: run scripts/test.sh (it runs npm ci in tests/signers/node)");
        var start = new ProcessStartInfo("node") { WorkingDirectory = NodeFolder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("sign_and_send.js");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(process.ExitCode == 0, await error);
        return JsonNode.Parse(await output)!;
    }

    private static async Task<(int ExitCode, string Output)> RunPythonAsync(string script, string url, string? token, string file, string? appCode)
    {
        var text = (await File.ReadAllTextAsync(Path.Combine(Repository.Root, "tests", "clients", "python", script)))
            .Replace("在线服务的调用地址", url, StringComparison.Ordinal)
            .Replace("预测文件的本地路径", file, StringComparison.Ordinal)
            .Replace("用户Token", token ?? "", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), "infera-" + Guid.NewGuid().ToString("N")[..8] + "-" + script);
        await File.WriteAllTextAsync(path, text);
        try
        {
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(path);
            if (appCode is not null)
            {
                start.Environment["HUAWEICLOUD_APP_CODE"] = appCode;
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            return (process.ExitCode, await output + await error);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
