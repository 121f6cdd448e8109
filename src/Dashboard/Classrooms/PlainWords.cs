using System.Text;
using System.Text.RegularExpressions;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>
/// An event or decision as a student reads it: the scenario's names for its country and commodity ids ("China", "Dysprosium
/// oxide", not "CN", "dy_oxide"), "a+b" lists as "a, b", and a policy's start, end or arrival said in words instead of its
/// internal id ("start cn-licensing-jp-tight: CN export license on dy_oxide+tb_oxide+magnet_ht to JP" became a student's news
/// line as written: a review). Firms keep their ids: a scenario names none. The CSV exports keep the ids.
/// </summary>
public static partial class PlainWords
{
    public static string Of(string text, ScenarioSpec world)
    {
        foreach (var (prefix, words) in Openings)
            if (text.StartsWith(prefix, StringComparison.Ordinal) && text.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon
                && text.IndexOf(' ', prefix.Length) == colon + 1) // "start ID: …": the id has no space
            {
                text = words + text[(colon + 2)..];
                break;
            }
        var sb = new StringBuilder(text.Length + 32);
        int last = 0;
        foreach (Match m in Token().Matches(text))
        {
            sb.Append(text, last, m.Index - last);
            last = m.Index + m.Length;
            var name = world.Countries.FirstOrDefault(c => c.Id == m.Value)?.Name is { Length: > 0 } country ? Live.DisplayNames.Short(country)
                : world.Commodities.FirstOrDefault(c => c.Id == m.Value)?.Name is { Length: > 0 } commodity ? commodity
                : m.Value;
            // "a+b" between two names reads as a list.
            if (name != m.Value && sb.Length > 0 && sb[^1] == '+') { sb.Length--; sb.Append(", "); }
            sb.Append(name);
        }
        sb.Append(text, last, text.Length - last);
        return sb.ToString();
    }

    static readonly (string Prefix, string Words)[] Openings = [("start ", "Starts: "), ("end ", "Ends: "), ("online ", "Online now: "), ("in force ", "In force: ")];

    [GeneratedRegex(@"[A-Za-z0-9_\-]+")]
    private static partial Regex Token();
}
