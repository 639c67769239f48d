using Xunit;

namespace Infera.Packaging.Tests;

public sealed class ModelConfigReaderHealthTests
{
    private static ConfigReadResult ReadHealth(string health) => ConfigAssert.Read($"\"health\": {{ {health} }}", "Image");

    [Fact]
    public void Read_HttpHealthWithStrings_IsParsed()
    {
        var result = ReadHealth("\"check_method\": \"HTTP\", \"url\": \"/health\", \"protocol\": \"https\", \"initial_delay_seconds\": \"12\", \"timeout_seconds\": \"3\", \"period_seconds\": \"10\", \"failure_threshold\": \"3\"");

        ConfigAssert.Valid(result);
        Assert.Equal(new HealthCheck("HTTP", "/health", null, "https", 12, 3, 10, 3), result.Config!.Health);
    }

    [Fact]
    public void Read_ExecHealthWithNumbers_IsParsed()
    {
        var result = ReadHealth("\"check_method\": \"exec\", \"command\": \"cat /tmp/ready\", \"period_seconds\": 5, \"failure_threshold\": 2147483647");

        ConfigAssert.Valid(result);
        Assert.Equal(new HealthCheck("EXEC", null, "cat /tmp/ready", null, null, null, 5, int.MaxValue), result.Config!.Health);
    }

    [Fact]
    public void Read_HttpHealthWithoutProtocol_DefaultsToHttp()
    {
        var result = ReadHealth("\"check_method\": \"HTTP\", \"url\": \"/health\", \"period_seconds\": 5, \"failure_threshold\": 3");

        ConfigAssert.Valid(result);
        Assert.Equal("http", result.Config!.Health!.Protocol);
    }

    [Fact]
    public void Read_ProcotolTypo_IsReadAsProtocolWithWarning()
    {
        var result = ReadHealth("\"check_method\": \"HTTP\", \"url\": \"/health\", \"procotol\": \"https\", \"period_seconds\": 5, \"failure_threshold\": 3");

        ConfigAssert.Valid(result);
        Assert.Equal("https", result.Config!.Health!.Protocol);
        ConfigAssert.Warning(result.Warnings, "$.health.procotol", "\"procotol\" is a known misspelling of \"protocol\"");
    }

    [Fact]
    public void Read_MissingCheckMethod_ReportsRequired()
    {
        var result = ReadHealth("\"period_seconds\": 5, \"failure_threshold\": 3");

        ConfigAssert.SingleError(result, "$.health.check_method", "check_method is required and must be HTTP or EXEC.");
    }

    [Fact]
    public void Read_UnknownCheckMethod_ReportsValue()
    {
        var result = ReadHealth("\"check_method\": \"TCP\", \"period_seconds\": 5, \"failure_threshold\": 3");

        ConfigAssert.SingleError(result, "$.health.check_method", "check_method \"TCP\" is not supported; use HTTP or EXEC.");
    }

    [Fact]
    public void Read_HttpWithoutUrl_ReportsRequired()
    {
        var result = ReadHealth("\"check_method\": \"HTTP\", \"period_seconds\": 5, \"failure_threshold\": 3");

        ConfigAssert.SingleError(result, "$.health.url", "url is required when check_method is HTTP");
    }

    [Fact]
    public void Read_HttpUrlWithoutSlash_ReportsValue()
    {
        var result = ReadHealth("\"check_method\": \"HTTP\", \"url\": \"health\", \"period_seconds\": 5, \"failure_threshold\": 3");

        ConfigAssert.SingleError(result, "$.health.url", "url \"health\" must start with \"/\".");
    }

    [Fact]
    public void Read_UnknownProtocol_ReportsValue()
    {
        var result = ReadHealth("\"check_method\": \"HTTP\", \"url\": \"/h\", \"protocol\": \"grpc\", \"period_seconds\": 5, \"failure_threshold\": 3");

        ConfigAssert.SingleError(result, "$.health.protocol", "protocol \"grpc\" is not supported; use http or https.");
    }

    [Fact]
    public void Read_ExecWithoutCommand_ReportsRequired()
    {
        var result = ReadHealth("\"check_method\": \"EXEC\", \"period_seconds\": 5, \"failure_threshold\": 3");

        ConfigAssert.SingleError(result, "$.health.command", "command is required when check_method is EXEC.");
    }

    [Fact]
    public void Read_MissingPeriodAndThreshold_ReportsBoth()
    {
        var result = ReadHealth("\"check_method\": \"EXEC\", \"command\": \"true\"");

        Assert.Equal(2, result.Errors.Count);
        ConfigAssert.Error(result.Errors, "$.health.period_seconds", "period_seconds is required and must be a whole number of seconds from 1 to 2147483647.");
        ConfigAssert.Error(result.Errors, "$.health.failure_threshold", "failure_threshold is required");
    }

    [Theory]
    [InlineData("\"period_seconds\": 0", "$.health.period_seconds", "period_seconds 0 is out of range; use a whole number from 1 to 2147483647.")]
    [InlineData("\"period_seconds\": \"2147483648\"", "$.health.period_seconds", "period_seconds 2147483648 is out of range")]
    [InlineData("\"period_seconds\": 1.5", "$.health.period_seconds", "period_seconds must be a whole number from 1 to 2147483647, not 1.5.")]
    [InlineData("\"period_seconds\": \"ten\"", "$.health.period_seconds", "not the string \"ten\".")]
    [InlineData("\"period_seconds\": true", "$.health.period_seconds", "not true.")]
    [InlineData("\"period_seconds\": 5, \"initial_delay_seconds\": -1", "$.health.initial_delay_seconds", "initial_delay_seconds -1 is out of range; use a whole number from 0 to 2147483647.")]
    [InlineData("\"period_seconds\": 5, \"timeout_seconds\": \"x\"", "$.health.timeout_seconds", "timeout_seconds must be a whole number from 0 to 2147483647")]
    public void Read_InvalidHealthNumber_ReportsRange(string numbers, string path, string fragment)
    {
        var result = ReadHealth($"\"check_method\": \"EXEC\", \"command\": \"true\", \"failure_threshold\": 1, {numbers}");

        ConfigAssert.SingleError(result, path, fragment);
    }

    [Fact]
    public void Read_ZeroDelayAndTimeout_AreAccepted()
    {
        var result = ReadHealth("\"check_method\": \"EXEC\", \"command\": \"true\", \"initial_delay_seconds\": 0, \"timeout_seconds\": \"0\", \"period_seconds\": 1, \"failure_threshold\": 1");

        ConfigAssert.Valid(result);
        Assert.Equal(0, result.Config!.Health!.InitialDelaySeconds);
        Assert.Equal(0, result.Config.Health.TimeoutSeconds);
    }
}
