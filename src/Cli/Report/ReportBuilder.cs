using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarketSim.Cli.Report;

/// <summary>One fan chart: per variant the median line and the 5–95% band over the repetitions.</summary>
public sealed record FanChart(string Id, string Title, string YTitle, JsonArray Traces);

/// <summary>Builds report.html from a batch: fan charts of prices and losses per variant and the summary table.</summary>
public static class ReportBuilder
{
    static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string PlotlyJs()
    {
        using var s = typeof(ReportBuilder).Assembly.GetManifestResourceStream("plotly.min.js")
            ?? throw new InvalidOperationException("plotly.min.js is not embedded in marketsim.dll (see MarketSim.Cli.csproj)");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    public const int MaxPriceCharts = 4, MaxLossCharts = 3;

    /// <summary>The price keys that moved most (peak median over start) and the countries that lost most (final median).</summary>
    public static (List<string> Prices, List<string> Losses) ChooseKeys(BatchData data)
    {
        var prices = new List<string>();
        if (data.Series.TryGetValue("price", out var p))
            prices = p.Select(kv => (Key: kv.Key, Rise: kv.Value.Values.Max(byTick =>
                {
                    var medians = byTick.Values.Select(v => Median(v)).ToList();
                    return medians[0] > 0 ? medians.Max() / medians[0] : 0;
                })))
                .OrderByDescending(x => x.Rise).ThenBy(x => x.Key, StringComparer.Ordinal)
                .Where((x, i) => i == 0 || x.Rise > 1.001).Take(MaxPriceCharts).Select(x => x.Key).ToList();
        var losses = new List<string>();
        if (data.Series.TryGetValue("loss", out var l))
            losses = l.Select(kv => (Key: kv.Key, Final: kv.Value.Values.Max(byTick => Median(byTick.Values.Last()))))
                .OrderByDescending(x => x.Final).ThenBy(x => x.Key, StringComparer.Ordinal)
                .Where((x, i) => i == 0 || x.Final > 0).Take(MaxLossCharts).Select(x => x.Key).ToList();
        return (prices, losses);
    }

    static double Median(List<double> values) => BatchData.Quantile(values.Order().ToList(), 0.5);

    public static List<FanChart> Charts(BatchData data, IReadOnlyDictionary<int, string> labels)
    {
        var (prices, losses) = ChooseKeys(data);
        var currency = (string?)data.Manifest["currency"] ?? "";
        var charts = new List<FanChart>();
        // Plotly reads titles and trace names as a little HTML (<br>, <b>, <a href>): ids and labels are encoded, so they show as text.
        foreach (var k in prices) charts.Add(Fan(data, "price", k, $"Price of {E(k[(k.IndexOf('/') + 1)..])} ({E(k[..Math.Max(0, k.IndexOf('/'))])} market)", $"{E(currency)} per unit", labels, charts.Count));
        foreach (var k in losses) charts.Add(Fan(data, "loss", k, $"Cumulative loss of {E(k)}", $"{E(currency)} (value added not produced)", labels, charts.Count));
        return charts;
    }

    /// <summary>Above this many variants a chart shows one fan over all runs instead of one per variant.</summary>
    const int MaxFanVariants = 10;

    static FanChart Fan(BatchData data, string metric, string key, string title, string yTitle, IReadOnlyDictionary<int, string> labels, int n)
    {
        var traces = new JsonArray();
        IEnumerable<KeyValuePair<int, SortedDictionary<int, List<double>>>> byVariant = data.Series[metric][key].OrderBy(kv => kv.Key);
        var pooled = data.Series[metric][key].Count > MaxFanVariants;
        if (pooled)
        {
            // Too many variants for a legend (a Latin-hypercube sample): one fan over every run.
            var all = new SortedDictionary<int, List<double>>();
            foreach (var (_, byTick) in byVariant)
                foreach (var (t, v) in byTick) (all.TryGetValue(t, out var l) ? l : all[t] = new()).AddRange(v);
            byVariant = [new(0, all)];
        }
        var ci = 0;
        foreach (var (variant, byTick) in byVariant)
        {
            var color = Palette[ci++ % Palette.Length];
            var x = new JsonArray(byTick.Keys.Select(t => (JsonNode)data.Dates[t]).ToArray());
            var q = byTick.Values.Select(v => v.Order().ToList()).ToList();
            JsonArray Y(double quantile) => new(q.Select(v => (JsonNode)Math.Round(BatchData.Quantile(v, quantile), 6)).ToArray());
            var group = $"v{variant}";
            traces.Add(new JsonObject { ["x"] = x.DeepClone(), ["y"] = Y(0.05), ["mode"] = "lines", ["line"] = new JsonObject { ["width"] = 0, ["color"] = color },
                ["showlegend"] = false, ["legendgroup"] = group, ["hoverinfo"] = "skip", ["type"] = "scatter" });
            traces.Add(new JsonObject { ["x"] = x.DeepClone(), ["y"] = Y(0.95), ["mode"] = "lines", ["line"] = new JsonObject { ["width"] = 0, ["color"] = color },
                ["fill"] = "tonexty", ["fillcolor"] = Rgba(color, 0.18), ["showlegend"] = false, ["legendgroup"] = group, ["hoverinfo"] = "skip", ["type"] = "scatter" });
            traces.Add(new JsonObject { ["x"] = x, ["y"] = Y(0.5), ["mode"] = "lines", ["line"] = new JsonObject { ["width"] = 2, ["color"] = color },
                ["name"] = pooled ? $"all {labels.Count} variants, {data.Runs.Count} runs" : E(labels.GetValueOrDefault(variant, $"variant {variant}")),
                ["legendgroup"] = group, ["type"] = "scatter" });
        }
        return new FanChart($"chart-{n + 1}-{metric}-{Slug(key)}", title, yTitle, traces);
    }

    static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>JSON inside a script element: '<', '>', '&' and quotes are escaped (\u003C…), so no value can end the script.</summary>
    static readonly JsonSerializerOptions ScriptJson = new() { Encoder = JavaScriptEncoder.Default };

    static string Slug(string s) => new(s.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    static string Rgba(string hex, double a) =>
        $"rgba({Convert.ToInt32(hex[1..3], 16)},{Convert.ToInt32(hex[3..5], 16)},{Convert.ToInt32(hex[5..7], 16)},{a.ToString(Inv)})";

    public static JsonObject Layout(FanChart c) => new()
    {
        ["title"] = new JsonObject { ["text"] = c.Title },
        ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "date" } },
        ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = c.YTitle }, ["rangemode"] = "tozero" },
        ["legend"] = new JsonObject { ["orientation"] = "v" },
        ["margin"] = new JsonObject { ["t"] = 50 },
    };

    /// <summary>The whole report: plotly.js inline, the chart data as JSON, the summary table as HTML.</summary>
    public static string Html(BatchData data, List<FanChart> charts, IReadOnlyDictionary<int, string> labels, string plotly)
    {
        var m = data.Manifest;
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append($"<title>{E((string?)m["experiment"])}: batch report</title>\n");
        h.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;font-size:13px}" +
                 "th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}" +
                 ".chart{width:100%;height:480px;margin-bottom:1.5em}.note{color:#555}</style>\n");
        h.Append("<script id=\"plotly-js\">\n").Append(plotly.Replace("</script", "<\\/script")).Append("\n</script>\n</head>\n<body>\n");
        h.Append($"<h1>{E((string?)m["experiment"])}</h1>\n");
        if (((string?)m["description"])?.Length > 0) h.Append($"<p>{E((string?)m["description"])}</p>\n");
        h.Append($"<p class=\"note\">{data.Runs.Count} runs: {labels.Count} variants × {E(m["repetitions"]?.ToString())} repetitions " +
                 $"(seeds from master seed {E(m["master_seed"]?.ToString())}, {E((string?)m["seeds"])} across variants), {E(m["days"]?.ToString())} days from {E((string?)m["start_date"])}; " +
                 $"scenario {E(Path.GetFileName((string?)m["scenario_file"]))}; marketsim {E((string?)m["version"])}; batch status: {E((string?)m["status"])}.</p>\n");
        h.Append("<p class=\"note\">Each chart: per variant, the line is the median over the repetitions and the band spans the 5th to the 95th percentile. " +
                 "Click a legend entry to hide a variant, double-click to show it alone.</p>\n");
        if (charts.Count == 0) h.Append("<p>No price or loss series were recorded (metrics.series in the experiment file).</p>\n");
        foreach (var c in charts) h.Append($"<div class=\"chart\" id=\"{c.Id}\"></div>\n");
        h.Append("<h2>Summary by variant</h2>\n").Append(Table(data, charts, labels));
        h.Append(Uncertainty(data));
        var json = new JsonArray(charts.Select(c => (JsonNode)new JsonObject { ["id"] = c.Id, ["data"] = c.Traces.DeepClone(), ["layout"] = Layout(c) }).ToArray());
        h.Append("<script>\nconst CHARTS = ").Append(json.ToJsonString(ScriptJson)).Append(";\n");
        h.Append("for (const c of CHARTS) Plotly.newPlot(c.id, c.data, c.layout, {displaylogo: false, responsive: true, showLink: false});\n</script>\n");
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    /// <summary>
    /// Across every run of the batch (all variants and repetitions: with priors, the Latin-hypercube sample): each country's
    /// loss at the 5th, 50th and 95th percentile, and which parameters drive it: Spearman's rank correlation of each varied
    /// numeric parameter with the loss (a first look at sensitivity; positive = a higher value goes with a higher loss).
    /// </summary>
    static string Uncertainty(BatchData data)
    {
        var header = data.RunsHeader.ToList();
        var parameters = (data.Manifest["parameters"] as JsonArray ?? []).Select(p => (string?)p?["name"]).Where(n => n is not null && header.Contains(n!)).Select(n => n!).ToList();
        var countries = header.Where(c => c.StartsWith("loss_") && !c.StartsWith("loss_gdp_share_")).Select(c => c[5..]).ToList();
        if (data.Runs.Count < 5 || countries.Count == 0) return "";
        double? Num(string s) => double.TryParse(s, NumberStyles.Float, Inv, out var v) ? v : null;
        var sb = new StringBuilder("<h2>How sure: the spread over all runs, and what drives it</h2>\n<table>\n<tr><th class=\"l\">country, measure</th><th>5%</th><th>median</th><th>95%</th>");
        var numeric = parameters.Where(p => data.Runs.Select(r => Num(r[header.IndexOf(p)])).Where(v => v is not null).Distinct().Count() > 1).ToList();
        foreach (var p in numeric) sb.Append($"<th>rank correlation with {E(p)}</th>");
        sb.Append("</tr>\n");
        // The direct loss and, apart, the indirect loss (input-output effects), whose priors (a multiplier) move it alone.
        foreach (var (c, measure, column) in countries.SelectMany(c => new[] { (c, "loss", "loss_" + c), (c, "indirect loss", "indirect_loss_" + c) }))
        {
            var iLoss = header.IndexOf(column);
            if (iLoss < 0) continue;
            var rows = data.Runs.Where(r => Num(r[iLoss]) is not null).ToList();
            var losses = rows.Select(r => Num(r[iLoss])!.Value).ToList();
            if (losses.All(v => v == 0)) continue;
            var sorted = losses.Order().ToList();
            sb.Append($"<tr><td class=\"l\">{E(c)}, {measure}</td><td>{Money(BatchData.Quantile(sorted, .05))}</td><td>{Money(BatchData.Quantile(sorted, .5))}</td><td>{Money(BatchData.Quantile(sorted, .95))}</td>");
            foreach (var p in numeric)
            {
                var iP = header.IndexOf(p);
                var pairs = rows.Select(r => (X: Num(r[iP]), Y: Num(r[iLoss])!.Value)).Where(x => x.X is not null).Select(x => (x.X!.Value, x.Y)).ToList();
                var rho = Spearman(pairs);
                sb.Append($"<td>{(double.IsNaN(rho) ? "–" : rho.ToString("+0.00;−0.00;0.00", Inv))}</td>");
            }
            sb.Append("</tr>\n");
        }
        // Which variation the band covers: runs that share seeds share their random draws (licence approvals).
        var iSeed = header.IndexOf("seed");
        var seeds = iSeed < 0 ? 0 : data.Runs.Select(r => r[iSeed]).Distinct().Count();
        var drawNote = iSeed < 0 ? ""
            : seeds == data.Runs.Count ? " Every run has its own seed, so the band covers the random draws as well as the parameters (licence approvals are the model's only random draws: in a scenario without a licence every seed gives the same run)."
            : $" The {data.Runs.Count} runs share {seeds} seed{(seeds == 1 ? "" : "s")} (seeds: common): the band is of the parameters at those draws only, and leaves out how the random draws (licence approvals) move the result; use seeds: independent for a band that includes them.";
        return sb.Append("</table>\n<p class=\"note\">Percentiles over every run of the batch." + E(drawNote) + " Rank correlation: Spearman's ρ between a parameter's " +
            "value and the loss (direct or indirect) over all runs: an association, not a share of the spread (the |ρ| do not add up to 1, and a parameter that " +
            "cannot move the loss still shows a ρ of about ±2/√n from sampling alone, n the number of runs); on a grid with cases it mixes " +
            "their effects.</p>\n").ToString();
    }

    /// <summary>
    /// The median days to recover over runs that recovered (<paramref name="sorted"/>) and runs still short at the horizon
    /// (<paramref name="censored"/>), which took longer than any that recovered: "not recovered" when the median falls among
    /// them. Before Dec 2026 the median left them out, so runs of 198 days, not recovered and not recovered read 198.
    /// </summary>
    public static string MedianDaysToRecover(IReadOnlyList<double> sorted, int censored)
    {
        var n = sorted.Count + censored;
        if (n == 0) return "–";
        // The two middle positions (the same one when n is odd); positions past the recovered runs are the censored ones.
        int lo = (n - 1) / 2, hi = n / 2;
        if (hi >= sorted.Count) return "not recovered";
        return ((sorted[lo] + sorted[hi]) / 2).ToString("0.#", Inv);
    }

    /// <summary>Spearman's rank correlation (average ranks for ties); NaN when either side does not vary.</summary>
    public static double Spearman(IReadOnlyList<(double X, double Y)> pairs)
    {
        static double[] Ranks(IReadOnlyList<double> v)
        {
            var idx = Enumerable.Range(0, v.Count).OrderBy(i => v[i]).ToArray();
            var r = new double[v.Count];
            for (int i = 0; i < idx.Length;)
            {
                var j = i;
                while (j + 1 < idx.Length && v[idx[j + 1]] == v[idx[i]]) j++;
                for (int k = i; k <= j; k++) r[idx[k]] = (i + j) / 2.0 + 1;
                i = j + 1;
            }
            return r;
        }
        if (pairs.Count < 3) return double.NaN;
        var rx = Ranks(pairs.Select(p => p.X).ToList());
        var ry = Ranks(pairs.Select(p => p.Y).ToList());
        double mx = rx.Average(), my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < rx.Length; i++) { sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) * (rx[i] - mx); syy += (ry[i] - my) * (ry[i] - my); }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    static string Table(BatchData data, List<FanChart> charts, IReadOnlyDictionary<int, string> labels)
    {
        var header = data.RunsHeader.ToList();
        var (prices, losses) = ChooseKeys(data);
        var countries = losses.Count > 0 ? losses : header.Where(c => c.StartsWith("loss_") && !c.StartsWith("loss_gdp_share_")).Select(c => c[5..]).Take(3).ToList();
        var commodities = prices.Select(k => k[(k.IndexOf('/') + 1)..]).Distinct().ToList();
        var cols = new List<(string Title, string Column, Func<List<double>, int, string> Cell)>();
        foreach (var c in countries)
        {
            cols.Add(($"loss {E(c)}<br>median [5–95%]", $"loss_{c}", (v, _) => $"{Money(Q(v, .5))}<br><small>[{Money(Q(v, .05))} – {Money(Q(v, .95))}]</small>"));
            cols.Add(($"loss {E(c)}<br>% of GDP", $"loss_gdp_share_{c}", (v, _) => (Q(v, .5) * 100).ToString("0.000", Inv) + "%"));
            cols.Add(($"shortage days {E(c)}", $"shortage_days_{c}", (v, _) => Q(v, .5).ToString("0.#", Inv)));
            cols.Add(($"days to recover {E(c)}<br>median (not recovered)", $"days_to_recover_{c}", (v, missing) =>
                MedianDaysToRecover(v, missing) + (missing > 0 ? $" ({missing})" : "")));
            cols.Add(($"fiscal cost {E(c)}", $"fiscal_cost_{c}", (v, _) => Money(Q(v, .5))));
            cols.Add(($"indirect loss {E(c)}<br>median [5–95%]", $"indirect_loss_{c}", (v, _) => $"{Money(Q(v, .5))}<br><small>[{Money(Q(v, .05))} – {Money(Q(v, .95))}]</small>"));
        }
        foreach (var k in commodities) cols.Add(($"peak price {E(k)}<br>median", $"peak_price_{k}", (v, _) => Money(Q(v, .5))));
        cols = cols.Where(c => header.Contains(c.Column)).ToList();

        var iVariant = header.IndexOf("variant");
        var sb = new StringBuilder("<table>\n<tr><th>variant</th><th class=\"l\">case and parameters</th><th>runs</th>");
        foreach (var c in cols) sb.Append($"<th>{c.Title}</th>");
        sb.Append("</tr>\n");
        foreach (var (variant, label) in labels.OrderBy(kv => kv.Key))
        {
            var rows = data.Runs.Where(r => r[iVariant] == variant.ToString(Inv)).ToList();
            sb.Append($"<tr><td>{variant}</td><td class=\"l\">{E(label)}</td><td>{rows.Count}</td>");
            foreach (var c in cols)
            {
                var i = header.IndexOf(c.Column);
                var cells = rows.Select(r => r[i]).ToList();
                var values = cells.Where(s => s.Length > 0).Select(s => double.Parse(s, NumberStyles.Float, Inv)).Order().ToList();
                sb.Append($"<td>{c.Cell(values, cells.Count - values.Count)}</td>");
            }
            sb.Append("</tr>\n");
        }
        return sb.Append("</table>\n<p class=\"note\">Cells are medians over the repetitions; every run's values are in runs.csv. " +
            "days to recover: from the first to one past the last shortage day; in brackets, runs still short at the horizon, which " +
            "count as longer than any that recovered (\"not recovered\" where the median is one of them).</p>\n").ToString();

        static double Q(List<double> v, double q) => BatchData.Quantile(v, q);
    }

    static string Money(double v) => double.IsNaN(v) ? "–" : Math.Abs(v) switch
    {
        >= 1e9 => (v / 1e9).ToString("0.##", Inv) + " bn",
        >= 1e6 => (v / 1e6).ToString("0.##", Inv) + " m",
        _ => v.ToString("#,0", Inv),
    };
}
