using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests.Onnx;

/// <summary>The ONNX samples of expected.json and the requests clients send them.</summary>
internal static class OnnxSamples
{
    public static JsonNode Iris(SamplesFixture samples) => samples.Expected["onnx"]!["onnx_iris"]!;

    public static JsonNode Digits(SamplesFixture samples) => samples.Expected["onnx"]!["onnx_digits"]!;

    public static float[] Floats(JsonNode? array) => [.. array!.AsArray().Select(v => (float)v!.GetValue<double>())];

    /// <summary>Every value of <paramref name="actual"/> within 1e-5 of <paramref name="expected"/> (the PyTorch outputs).</summary>
    public static void Near(IReadOnlyList<float> expected, IReadOnlyList<float> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} values, expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"{what}[{i}]: {actual[i]} differs from PyTorch's {expected[i]} by more than 1e-5");
        }
    }

    /// <summary>A v2 JSON request with one FP32 input of the given rows.</summary>
    public static string V2Json(string input, long[] rowShape, IReadOnlyList<float[]> rows, string? id = null)
    {
        var request = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = input,
                ["shape"] = new JsonArray([JsonValue.Create((long)rows.Count), .. rowShape.Select(d => (JsonNode?)JsonValue.Create(d))]),
                ["datatype"] = "FP32",
                ["data"] = new JsonArray([.. rows.SelectMany(r => r).Select(v => (JsonNode?)JsonValue.Create(v))]),
            }),
        };
        if (id is not null)
        {
            request["id"] = id;
        }

        return request.ToJsonString();
    }

    /// <summary>A v2 request in the binary-tensor extension: JSON header, then the raw FP32 rows; the answer asked in binary too.</summary>
    public static HttpContent V2Binary(string input, long[] rowShape, IReadOnlyList<float[]> rows, string output)
    {
        var values = rows.SelectMany(r => r).ToArray();
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = input,
                ["shape"] = new JsonArray([JsonValue.Create((long)rows.Count), .. rowShape.Select(d => (JsonNode?)JsonValue.Create(d))]),
                ["datatype"] = "FP32",
                ["parameters"] = new JsonObject { ["binary_data_size"] = values.Length * 4 },
            }),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = output, ["parameters"] = new JsonObject { ["binary_data"] = true } }),
        };
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var content = new ByteArrayContent([.. headerBytes, .. MemoryMarshal.AsBytes(values.AsSpan()).ToArray()]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", headerBytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return content;
    }

    /// <summary>The FP32 data of output 0 of a v2 answer, JSON or binary.</summary>
    public static async Task<(JsonNode Header, float[] Data)> ReadV2Async(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        if (response.Headers.TryGetValues("Inference-Header-Content-Length", out var values)
            || response.Content.Headers.TryGetValues("Inference-Header-Content-Length", out values))
        {
            var length = int.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture);
            var header = JsonNode.Parse(body.AsSpan(0, length))!;
            Assert.Equal(body.Length - length, header["outputs"]![0]!["parameters"]!["binary_data_size"]!.GetValue<int>());
            return (header, MemoryMarshal.Cast<byte, float>(body.AsSpan(length)).ToArray());
        }

        var json = JsonNode.Parse(body)!;
        return (json, Floats(json["outputs"]![0]!["data"]));
    }
}
