namespace Infera.Gateway.Forwarding;

/// <summary>Limits of the inference gateway (seed 003 §3.1.4.1).</summary>
public sealed class GatewayOptions
{
    /// <summary>Largest request body accepted, in bytes. Default 12 MB (12 × 1024 × 1024).</summary>
    public long MaxRequestBodyBytes { get; set; } = 12L * 1024 * 1024;

    /// <summary>Longest a call may take end to end. Default 40 s (the APIG limit).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(40);
}
