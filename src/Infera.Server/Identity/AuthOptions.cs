namespace Infera.Server.Identity;

/// <summary>The policy switches of spec/auth.md; each default is the spec's [choice] unless noted.</summary>
public sealed class AuthOptions
{
    /// <summary>Allowed distance between <c>X-Sdk-Date</c> and server time, both directions (spec §4.8). Default 15 minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Include the server's canonical request (newlines as <c>|</c>) in signature failure messages (spec §2). Default on.</summary>
    public bool ShowCanonicalRequest { get; set; } = true;

    /// <summary>
    /// Consecutive failed signature checks for one AK/AppKey from one client address before that pair is locked
    /// (spec §4.9: Huawei locks after more than 5). Default 5; 0 switches throttling off.
    /// </summary>
    public int SignatureFailureLimit { get; set; } = 5;

    /// <summary>How long a locked AK/address pair is refused with <c>AK access failed to reach the limit,forbidden</c>. Default 5 minutes.</summary>
    public TimeSpan SignatureLockout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Accept <c>apikey: &lt;AppKey&gt;</c> simple authentication (spec §6.2). Default on.</summary>
    public bool AllowApiKey { get; set; } = true;

    /// <summary>
    /// Allow AppCode/apikey simple authentication over plain HTTP from non-loopback clients (spec §6: Huawei allows it
    /// only over HTTPS). Set it when a TLS-terminating proxy forwards to Infera. Default off; loopback is always allowed.
    /// </summary>
    public bool TrustedTlsProxy { get; set; }

    /// <summary>Most AppCodes per app (spec §9: 5).</summary>
    public int MaxAppCodes { get; set; } = 5;

    /// <summary>Most apps per user (spec §9: Huawei's default quota 5). Default 20.</summary>
    public int MaxAppsPerUser { get; set; } = 20;

    /// <summary>Most access keys per user (Huawei IAM: 2).</summary>
    public int MaxAccessKeysPerUser { get; set; } = 2;
}
