using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests.Faults;

/// <summary>
/// A full disk (issue #20): the data folder is a 16 MiB tmpfs; an upload that does not fit answers 507
/// ModelArts.0507 naming the fault, the object it would have replaced is intact, and the server keeps serving.
/// Mounting needs root (CAP_SYS_ADMIN); elsewhere the test is skipped with the reason.
/// </summary>
public sealed class DiskFullTests
{
    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, output.Trim());
    }

    [SkippableFact]
    public async Task Upload_DataFolderFull_Answers507AndTheOldObjectIsIntact()
    {
        var data = Directory.CreateTempSubdirectory("infera-full-").FullName;
        var (code, output) = await RunAsync("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", data);
        Skip.If(code != 0, $"cannot mount a tmpfs for the data folder (needs root): {output}");
        try
        {
            await using var server = await TestServer.StartAsync(data);
            var old = Enumerable.Range(0, 1024 * 1024).Select(i => (byte)i).ToArray();
            await server.SendAsync(HttpMethod.Put, server.V1("obs/buckets/full"));
            using (var put = await server.Http.PutAsync(server.V1("obs/buckets/full/objects/model.bin"), new ByteArrayContent(old)))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            using (var tooBig = await server.Http.PutAsync(server.V1("obs/buckets/full/objects/model.bin"), new ByteArrayContent(new byte[24 * 1024 * 1024])))
            {
                var body = JsonNode.Parse(await tooBig.Content.ReadAsStringAsync())!;
                Assert.Equal((HttpStatusCode)507, tooBig.StatusCode);
                Assert.Equal("ModelArts.0507", body["error_code"]!.GetValue<string>());
                Assert.Contains("disk holding the Infera data folder is full", body["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
            }

            Assert.Equal(old, await server.Http.GetByteArrayAsync(server.V1("obs/buckets/full/objects/model.bin")));
            // Nothing of the failed upload is left behind, so the server goes on storing what fits.
            using (var small = await server.Http.PutAsync(server.V1("obs/buckets/full/objects/small.txt"), new ByteArrayContent([1, 2, 3])))
            {
                Assert.Equal(HttpStatusCode.OK, small.StatusCode);
            }

            using var ready = await server.Http.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            await RunAsync("umount", "-l", data);
            Directory.Delete(data, recursive: true);
        }
    }
}
