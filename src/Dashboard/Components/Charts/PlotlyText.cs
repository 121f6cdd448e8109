namespace MarketSim.Dashboard.Components.Charts;

/// <summary>
/// Text handed to Plotly. Plotly renders a subset of HTML in titles, legend names, labels and hover text (links, bold,
/// line breaks), so a name from an uploaded scenario such as <c>&lt;a href=…&gt;Japan&lt;/a&gt;</c> became a link: every
/// name is encoded here, and only markup the dashboard writes itself (&lt;br&gt;) stays. Only &amp;, &lt; and &gt;: without
/// a tag nothing else is markup, Plotly decodes just a few named entities (not &amp;quot;), and names such as
/// "magnets · Dy oxide" stay as they are in the chart's data.
/// </summary>
public static class PlotlyText
{
    public static string Encode(string? text) => (text ?? "").Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
