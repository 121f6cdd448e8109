using System.Security.Cryptography;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>Join codes and tokens from the OS's cryptographic generator: nothing about them can be predicted.</summary>
public static class Tokens
{
    /// <summary>No 0/O or 1/I: codes are read off a projector. 32 symbols, 6 of them: about a billion codes.</summary>
    public const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public const int CodeLength = 6;

    public static string NewCode() => RandomNumberGenerator.GetString(CodeAlphabet, CodeLength);

    /// <summary>128 random bits, URL-safe.</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What a person typed, as a code: upper case, without spaces or dashes.</summary>
    public static string NormaliseCode(string? typed) =>
        new string((typed ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();
}
