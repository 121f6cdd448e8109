using MarketSim.Model.Output;

namespace MarketSim.Model.Attribution;

/// <summary>How a value of vs_baseline.csv is written (as in summary.csv).</summary>
public enum ValueKind { Money, Share, Days, Price }

/// <summary>One row of vs_baseline.csv: a country's metric (for peak_import_price, per commodity) in the run, in its baseline,
/// and run − baseline. Null = not applicable (the country is in one world only, or imported nothing of the commodity).</summary>
public sealed record BaselineRow(string Country, string Metric, string Commodity, ValueKind Kind, double? Run, double? Baseline)
{
    public double? Difference => Run is { } r && Baseline is { } b ? r - b : null;
}

/// <summary>
/// A run against its counterfactual (the same seed and horizon, another scenario or the same one with policies removed).
/// Pure: outcomes in, rows and CSV text out.
/// </summary>
public static class BaselineComparison
{
    public const string FileName = "vs_baseline.csv";
    public static readonly IReadOnlyList<string> Header = ["country", "metric", "commodity", "run", "baseline", "difference"];

    /// <summary>Per country (union of both worlds, ordinal order) the metrics of <see cref="CountryOutcome"/>, then the peak import
    /// price of each commodity the country imported in either run (ordinal order).</summary>
    public static IReadOnlyList<BaselineRow> Compare(IReadOnlyList<CountryOutcome> run, IReadOnlyList<CountryOutcome> baseline)
    {
        var r = run.ToDictionary(o => o.Country, StringComparer.Ordinal);
        var b = baseline.ToDictionary(o => o.Country, StringComparer.Ordinal);
        var rows = new List<BaselineRow>();
        foreach (var c in r.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var x = r.GetValueOrDefault(c);
            var y = b.GetValueOrDefault(c);
            void Add(string metric, ValueKind kind, Func<CountryOutcome, double> get) =>
                rows.Add(new BaselineRow(c, metric, "", kind, x is null ? null : get(x), y is null ? null : get(y)));
            Add("cumulative_loss", ValueKind.Money, o => o.Loss);
            Add("loss_gdp_share", ValueKind.Share, o => o.LossGdpShare);
            Add("fiscal_cost", ValueKind.Money, o => o.FiscalCost);
            Add("export_revenue", ValueKind.Money, o => o.ExportRevenue);
            Add("export_rent", ValueKind.Money, o => o.ExportRent);
            Add("value_added", ValueKind.Money, o => o.ValueAdded);
            Add("indirect_loss", ValueKind.Money, o => o.IndirectLoss);
            Add("tariff_revenue", ValueKind.Money, o => o.TariffRevenue);
            Add("extra_input_cost", ValueKind.Money, o => o.ExtraInputCost);
            Add("floor_subsidy", ValueKind.Money, o => o.FloorSubsidy);
            Add("peak_unmet_share", ValueKind.Share, o => o.PeakUnmetShare);
            Add("shortage_days", ValueKind.Days, o => o.ShortageDays);
            var commodities = (x?.PeakImportPrice.Keys ?? []).Union(y?.PeakImportPrice.Keys ?? []).Order(StringComparer.Ordinal);
            foreach (var k in commodities)
                rows.Add(new BaselineRow(c, "peak_import_price", k, ValueKind.Price,
                    x is not null && x.PeakImportPrice.TryGetValue(k, out var pr) ? pr : null,
                    y is not null && y.PeakImportPrice.TryGetValue(k, out var pb) ? pb : null));
        }
        return rows;
    }

    public static string Format(double? value, ValueKind kind) => value switch
    {
        null => "",
        double v => kind switch
        {
            ValueKind.Share => CsvFormat.Share(v),
            ValueKind.Days => CsvFormat.Integer((int)Math.Round(v)),
            _ => CsvFormat.Number(v),
        },
    };

    /// <summary>The whole of vs_baseline.csv.</summary>
    public static string ToCsv(IEnumerable<BaselineRow> rows)
    {
        var sb = new System.Text.StringBuilder(CsvFormat.Line(Header));
        foreach (var row in rows)
            sb.Append(CsvFormat.Line([row.Country, row.Metric, row.Commodity, Format(row.Run, row.Kind), Format(row.Baseline, row.Kind), Format(row.Difference, row.Kind)]));
        return sb.ToString();
    }
}
