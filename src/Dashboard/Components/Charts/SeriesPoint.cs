using MarketSim.Dashboard.Live;
using MarketSim.Model.Policies;

namespace MarketSim.Dashboard.Components.Charts;

/// <summary>One value of one line on one tick. Key identifies the line; Name labels it; Dashed draws it as a limit (a floor).</summary>
public sealed record SeriesPoint(string Key, string Name, double? Y, bool Dashed = false);

/// <summary>
/// A session drawn on a chart, with its policy timeline (price floors are drawn from it). Label prefixes the session's lines
/// when several sessions share a chart (compare view) and is empty otherwise.
/// </summary>
public sealed record ChartSource(string Label, SessionSeries Series, IReadOnlyList<PolicySpec> Policies);
