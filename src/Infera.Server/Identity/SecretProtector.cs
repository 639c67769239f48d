using System.Security.Cryptography;
using System.Text;

namespace Infera.Server.Identity;

/// <summary>
/// Encrypts secrets the server must be able to read back (AK secrets, AppSecrets, AppCodes) with AES-256-GCM under a
/// key kept in a file outside the database (<see cref="Hosting.InferaServerOptions.SecretsKeyFile"/>). Each value is
/// bound to its purpose (e.g. <c>ak:&lt;AK&gt;</c>) as associated data, so a ciphertext copied to another row does not
/// decrypt. Stored form: <c>v1:</c> + base64(12-byte nonce ‖ ciphertext ‖ 16-byte tag).
/// </summary>
public sealed class SecretProtector
{
    private const string Prefix = "v1:";
    private readonly byte[] _key;

    /// <summary>Uses a raw 32-byte key.</summary>
    /// <param name="key">The AES-256 key.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public SecretProtector(byte[] key)
    {
        _key = key.Length == 32 ? key : throw new ArgumentException("the key must be 32 bytes", nameof(key));
    }

    /// <summary>
    /// Loads the key from <paramref name="path"/> (base64 of 32 bytes), creating it with random bytes and mode 0600
    /// when it does not exist.
    /// </summary>
    /// <param name="path">The key file.</param>
    /// <returns>The protector.</returns>
    /// <exception cref="InvalidOperationException">The file exists but holds no valid key.</exception>
    public static SecretProtector FromFile(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var fresh = RandomNumberGenerator.GetBytes(32);
            var temp = path + ".tmp";
            File.WriteAllText(temp, Convert.ToBase64String(fresh) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temp, path, overwrite: false);
        }

        try
        {
            return new SecretProtector(Convert.FromBase64String(File.ReadAllText(path).Trim()));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"The secrets key file {path} does not hold a base64 256-bit key.", e);
        }
    }

    /// <summary>Encrypts <paramref name="plaintext"/> for <paramref name="purpose"/>.</summary>
    /// <param name="plaintext">The secret.</param>
    /// <param name="purpose">What the secret belongs to, e.g. <c>ak:ABC…</c>; needed again to decrypt.</param>
    /// <returns>The stored form.</returns>
    public string Protect(string plaintext, string purpose)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[12 + data.Length + 16];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, data, output.AsSpan(12, data.Length), output.AsSpan(12 + data.Length), Encoding.UTF8.GetBytes(purpose));
        return Prefix + Convert.ToBase64String(output);
    }

    /// <summary>Decrypts a value made by <see cref="Protect"/> with the same purpose.</summary>
    /// <param name="stored">The stored form.</param>
    /// <param name="purpose">The purpose given to <see cref="Protect"/>.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="CryptographicException">Wrong key, wrong purpose or tampered value.</exception>
    public string Unprotect(string stored, string purpose)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("unknown secret format");
        }

        var input = Convert.FromBase64String(stored[Prefix.Length..]);
        if (input.Length < 28)
        {
            throw new CryptographicException("truncated secret");
        }

        var plain = new byte[input.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(input.AsSpan(0, 12), input.AsSpan(12, plain.Length), input.AsSpan(12 + plain.Length), plain, Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(plain);
    }
}
