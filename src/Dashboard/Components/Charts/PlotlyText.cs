using System.Net;

namespace MarketSim.Dashboard.Components.Charts;

/// <summary>
/// Text handed to Plotly. Plotly renders a subset of HTML in titles, legend names, labels and hover text (links, bold,
/// line breaks), so a name from an uploaded scenario such as <c>&lt;a href=…&gt;Japan&lt;/a&gt;</c> became a link: every
/// name is encoded here (&lt;, &gt;, &amp;, quotes), and only markup the dashboard writes itself (&lt;br&gt;) stays.
/// </summary>
public static class PlotlyText
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
