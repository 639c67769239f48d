using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Infera.Server.Hosting.Background;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.Functional.Tests.Faults;

/// <summary>
/// A busy metadata store (issue #20): another process (the <c>sqlite3</c> shell) holds the database with
/// <c>BEGIN EXCLUSIVE</c> for 60 s. Meanwhile inference keeps answering (token lookups are WAL reads), writes and
/// logins answer 503 ModelArts.0501 with <c>Retry-After</c> after the bounded busy wait, <c>/readyz</c> reports the
/// failing loops and <c>/healthz</c> stays up; after the release the server is ready again by itself and no call
/// counted during the lock is lost.
/// </summary>
public sealed class StoreBusyTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ExclusiveLockFor60Seconds_InferenceAnswersWritesAnswerBusyAndTheServerRecovers()
    {
        await using var server = await TestServer.StartAsync(configure: services =>
            services.AddSingleton(new BackgroundLoopOptions { FirstRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(3) }));
        await server.UploadFolderAsync(Path.Combine(Repository.Root, "samples", "custom_echo"), "busy", "echo");
        var model = await server.ImportAsync("echo", "1.0.0", "obs://busy/echo/model/");
        var service = await server.DeployAsync("echo", model["model_id"]!.GetValue<string>());
        Assert.Equal("running", service["status"]!.GetValue<string>());
        var address = service["access_address"]!.GetValue<string>();
        var serviceId = service["service_id"]!.GetValue<string>();
        using var probe = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };

        using var holder = Process.Start(new ProcessStartInfo("sqlite3", [Path.Combine(server.DataDirectory, "infera.db")])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        await holder.StandardInput.WriteLineAsync("BEGIN EXCLUSIVE; SELECT 'locked';");
        await holder.StandardInput.FlushAsync();
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        var lockedUntil = DateTime.UtcNow + Hold;

        var answered = 0;
        var sawNotReady = false;
        var writeChecked = false;
        while (DateTime.UtcNow < lockedUntil)
        {
            var started = Stopwatch.StartNew();
            var (status, body) = await server.PredictJsonAsync(address, """{"text": "during the lock"}""");
            Assert.True(status == HttpStatusCode.OK, $"inference answered {(int)status} while the store was locked: {body}");
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"inference waited {started.Elapsed} for the store");
            answered++;

            if (!writeChecked)
            {
                // A write (create a bucket) and a login wait the bounded busy time, then answer 503 with Retry-After.
                started.Restart();
                using var write = await server.Http.PutAsync(server.V1("obs/buckets/written-while-locked"), null);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"the write waited {started.Elapsed}");
                Assert.Equal("ModelArts.0501", JsonNode.Parse(await write.Content.ReadAsStringAsync())!["error_code"]!.GetValue<string>());
                Assert.Equal("2", write.Headers.GetValues("Retry-After").Single());

                var password = (await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "admin-password"))).Trim();
                using var login = await probe.PostAsync("/v3/auth/tokens", TestServer.Json(TestServer.TokenBody(password)));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
                Assert.Contains("ModelArts.0501", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                writeChecked = true;
            }

            using (var alive = await probe.GetAsync("/healthz"))
            {
                Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            }

            using (var ready = await probe.GetAsync("/readyz"))
            {
                if (ready.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    var text = await ready.Content.ReadAsStringAsync();
                    Assert.Contains("background-loops", text, StringComparison.Ordinal);
                    Assert.Contains("Failing", text, StringComparison.Ordinal);
                    sawNotReady = true;
                }
            }

            await Task.Delay(500);
        }

        Assert.True(sawNotReady, "/readyz never reported the loops that could not write");
        await holder.StandardInput.WriteLineAsync("ROLLBACK;");
        await holder.StandardInput.WriteLineAsync(".quit");
        await holder.StandardInput.FlushAsync();
        await holder.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // Ready again by itself (each loop's next retry is at most 3 s away), writes work, and no call was lost.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var ready = await probe.GetAsync("/readyz");
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "not ready 60 s after the lock was released: " + await ready.Content.ReadAsStringAsync());
            await Task.Delay(200);
        }

        await server.SendAsync(HttpMethod.Put, server.V1("obs/buckets/written-after-the-lock"));
        var counted = await server.WaitAsync(server.V1($"services/{serviceId}"), s => s["invocation_times"]!.GetValue<long>() >= answered);
        Assert.Equal(answered, counted["invocation_times"]!.GetValue<long>());
        var events = (await server.SendAsync(HttpMethod.Get, server.V1("server/events?order=asc")))["events"]!.AsArray();
        Assert.Contains(events, e => e!["event_type"]!.GetValue<string>() == "abnormal" && e["event_info"]!.GetValue<string>().Contains("is failing", StringComparison.Ordinal));
        Assert.Contains(events, e => e!["event_type"]!.GetValue<string>() == "normal" && e["event_info"]!.GetValue<string>().Contains("recovered", StringComparison.Ordinal));
    }
}
