using System.Security.Cryptography;

namespace Infera.Core;

/// <summary>Identifier formats used across the platform.</summary>
public static class Ids
{
    /// <summary>A new UUID in the 8-4-4-4-12 lower-case form (models, services, instances).</summary>
    public static string NewUuid() => Guid.NewGuid().ToString("D");

    /// <summary>A new 32-hex id (accounts, projects, users), as IAM ids look.</summary>
    public static string NewHex32() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
