namespace Infera.Core.Identity;

/// <summary>A token just issued by <c>POST /v3/auth/tokens</c>: the secret value (shown once) and its scope.</summary>
/// <param name="Value">The opaque token for <c>X-Auth-Token</c>; only its SHA-256 is stored.</param>
/// <param name="Caller">The identity and project scope the token carries.</param>
/// <param name="IssuedAt">Issue time (UTC).</param>
/// <param name="ExpiresAt">Expiry (UTC), 24 h after issue.</param>
public sealed record IssuedToken(string Value, CallerIdentity Caller, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
