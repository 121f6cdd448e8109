namespace MarketSim.Model.Scenario;

/// <summary>
/// What free text may look like (names, sectors, units, currency; descriptions and sources as prose): checked wherever a
/// scenario or a hub call gives one. Text is copied into every frame, table row and chart label that shows it, so a 2 MB
/// sector reused through YAML aliases made a 3-day run write 218 MB; line breaks would split CSV rows and labels.
/// </summary>
public static class TextRules
{
    /// <summary>Names, sectors, units, currency.</summary>
    public const int MaxLength = 200;
    /// <summary>Descriptions and sources: prose, shown once.</summary>
    public const int MaxProseLength = 4000;

    /// <summary>Null if the (trimmed) text is acceptable, else why not, in the user's words. Prose may hold line breaks.</summary>
    public static string? Problem(string text, bool prose = false)
    {
        var max = prose ? MaxProseLength : MaxLength;
        if (text.Length > max) return $"must be at most {max} characters long, got {text.Length}";
        for (int i = 0; i < text.Length; i++)
            if (IdRules.IsControl(text[i]) && !(prose && text[i] == '\n'))
                return $"must not contain control characters such as {(prose ? "tabs" : "line breaks or tabs")} (U+{(int)text[i]:X4} at position {i + 1})";
        return null;
    }
}
