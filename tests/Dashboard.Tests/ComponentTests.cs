using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MarketSim.Dashboard.Components.Charts;
using MarketSim.Dashboard.Components.Panels;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Live;
using MarketSim.Model.Policies;
using MarketSim.Model.Simulation;

namespace MarketSim.Dashboard.Tests;

/// <summary>The components alone (bUnit): what they show for given frames, and what they send when used.</summary>
public sealed class ComponentTests : BunitContext
{
    public ComponentTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose; // Plotly's calls are not under test here
        Services.AddScoped<ChartCircuit>();
    }

    static readonly SessionInfo Info = new("s1", "test session", "test", new DateOnly(2026, 1, 1), 365, "USD", 7,
        [new CountryInfo("CN", "China", 18e12), new CountryInfo("JP", "Japan", 4e12)],
        [new CommodityInfo("dy_oxide", "Dysprosium oxide", "t", 250000, 1e7), new CommodityInfo("ndpr_oxide", "NdPr oxide", "t", 55000, 2.2e6)],
        [new MarketInfo("china", "in China"), new MarketInfo("world", "outside China")], null, null);

    static Frame Frame(int tick, double jpDyUnmet = 0, double jpLoss = 0, double fiscal = 0, params string[] events) => new(
        tick, Info.StartDate.AddDays(tick),
        [new PriceRow("china", "dy_oxide", 250000 + tick), new PriceRow("world", "dy_oxide", 260000 + tick)],
        [new FlowRow("CN", "CN", "JP", "dy_oxide", 1, 250000)],
        [new ShortageRow("JP", "magnets", "dy_oxide", 1, jpDyUnmet)],
        [new LossRow("JP", "automotive", jpLoss, jpLoss * (tick + 1), jpLoss * (tick + 1) / 4e12)],
        [new FiscalRow("JP", fiscal, fiscal * (tick + 1))],
        [new CoverRow("JP", "magnets", "dy_oxide", 30)],
        [],
        events);

    static SessionSeries Series(params Frame[] frames)
    {
        var s = new SessionSeries(Info);
        s.Add(frames);
        return s;
    }

    [Fact]
    public void Headline_tiles_show_the_date_Japans_loss_the_largest_shortage_and_the_fiscal_cost()
    {
        var series = Series(Frame(0), Frame(1, jpDyUnmet: 0.4, jpLoss: 2e9, fiscal: 5e6));
        var cut = Render<HeadlineTiles>(p => p.Add(x => x.H, Headlines.Of(series)).Add(x => x.StartDate, Info.StartDate).Add(x => x.Info, Info));
        Assert.Equal("2026-01-02", cut.Find("[data-testid=tile-date]").TextContent);
        Assert.Equal("4.00 bn USD", cut.Find("[data-testid=tile-loss]").TextContent); // cumulative 2e9 × 2 ticks
        Assert.Contains("Japan GDP loss so far", cut.Markup);
        Assert.Equal("40.0 %", cut.Find("[data-testid=tile-shortage]").TextContent);
        Assert.Contains("of need unmet: Japan, magnets, Dysprosium oxide", cut.Markup);
        Assert.Equal("10.0 m USD", cut.Find("[data-testid=tile-fiscal]").TextContent);
        Assert.Contains("stockpile sales are netted", cut.Markup);
    }

    [Fact]
    public void Before_the_first_tick_the_date_tile_shows_the_start_date_and_says_nothing_has_run()
    {
        var cut = Render<HeadlineTiles>(p => p.Add(x => x.H, Headlines.Of(Series())).Add(x => x.StartDate, Info.StartDate));
        Assert.Equal("2026-01-01", cut.Find("[data-testid=tile-date]").TextContent);
        Assert.Contains("not started", cut.Markup);
    }

    [Fact]
    public void Headline_tiles_say_none_when_every_need_is_met()
    {
        var cut = Render<HeadlineTiles>(p => p.Add(x => x.H, Headlines.Of(Series(Frame(0)))).Add(x => x.StartDate, Info.StartDate));
        Assert.Equal("none", cut.Find("[data-testid=tile-shortage]").TextContent);
    }

    [Fact]
    public void The_loss_table_names_countries_and_writes_money_and_shares_with_units()
    {
        var cut = Render<LossTable>(p => p.Add(x => x.Series, Series(Frame(0, jpLoss: 2e9), Frame(1, jpLoss: 2e9))));
        var row = cut.Find("tbody tr").TextContent;
        Assert.Contains("Japan (JP)", row);
        Assert.Contains("4.00 bn USD", row);
        Assert.Contains("0.1 %", row); // 4e9 of 4e12
        Assert.Contains("% of its annual GDP", cut.Find("thead").TextContent);
    }

    [Fact]
    public void The_event_log_lists_events_and_live_changes_newest_first()
    {
        var series = Series(Frame(0, events: "start a: something"), Frame(1), Frame(2, events: "end a: something"));
        series.MarkLiveChange(2, "set dy-ban-jp: CN export ban on dy_oxide to JP");
        var cut = Render<EventLog>(p => p.Add(x => x.Series, series));
        var items = cut.FindAll("li").Select(li => li.TextContent).ToList();
        Assert.Equal(3, items.Count);
        Assert.Contains("dy-ban-jp", items[0]);
        Assert.Contains("end a", items[1]);
        Assert.Contains("start a", items[2]);
        Assert.Contains("live", cut.FindAll("li")[0].ClassName);
    }

    [Fact]
    public void The_policy_panel_sends_an_export_ban_built_from_its_fields()
    {
        PolicySpec? sent = null;
        var cut = Render<PolicyPanel>(p => p
            .Add(x => x.Policies, [])
            .Add(x => x.Tick, 40)
            .Add(x => x.StartDate, new DateOnly(2026, 1, 1))
            .Add(x => x.Submit, spec => { sent = spec; return Task.FromResult<string?>(null); })
            .Add(x => x.Remove, _ => Task.FromResult<string?>(null)));
        cut.Find("[data-testid=policy-id]").Change("dy-ban-jp");
        cut.Find("[data-testid=policy-commodities]").Change("dy_oxide");
        cut.Find("[data-testid=policy-destinations]").Change("JP");
        cut.Find("[data-testid=policy-submit]").Click();

        var ban = Assert.IsType<ExportControl>(sent);
        Assert.Equal(("dy-ban-jp", 40, "CN", ControlMode.Ban), (ban.Id, ban.Start, ban.Exporter, ban.Mode));
        Assert.Equal(["dy_oxide"], ban.Commodities);
        Assert.Equal(["JP"], ban.Destinations);
        // One clock: the day it applies from, dated as every view dates tick 40 (2026-01-01 + 40), with the tick beside it.
        Assert.Contains("applies from 2026-02-10 (tick 40)", cut.Find("[data-testid=policy-ok]").TextContent);
    }

    [Fact]
    public void The_policy_panel_dates_each_policys_first_and_last_day_in_force()
    {
        var ban = new ExportControl { Id = "dy-ban-jp", Start = 5, End = 100, Exporter = "CN", Commodities = ["dy_oxide"], Mode = ControlMode.Ban };
        var cut = Render<PolicyPanel>(p => p
            .Add(x => x.Policies, [ban])
            .Add(x => x.Tick, 40)
            .Add(x => x.StartDate, new DateOnly(2026, 1, 1))
            .Add(x => x.Submit, _ => Task.FromResult<string?>(null))
            .Add(x => x.Remove, _ => Task.FromResult<string?>(null)));
        var cells = cut.Find("[data-testid=policy-row-dy-ban-jp]").QuerySelectorAll("td").Select(c => c.TextContent).ToList();
        Assert.Equal(("2026-01-06", "2026-04-10"), (cells[2], cells[3])); // ticks 5 and 99: in force before its End tick 100
    }

    [Fact]
    public void The_policy_panel_shows_the_servers_error_and_keeps_the_form()
    {
        var cut = Render<PolicyPanel>(p => p
            .Add(x => x.Policies, [])
            .Add(x => x.Submit, _ => Task.FromResult<string?>("policy.floors.dy_oxide: NaN is not a finite number"))
            .Add(x => x.Remove, _ => Task.FromResult<string?>(null)));
        cut.Find("[data-testid=policy-kind]").Change("price_floor");
        cut.Find("[data-testid=policy-commodities]").Change("dy_oxide");
        cut.Find("[data-testid=policy-submit]").Click();
        Assert.Equal("policy.floors.dy_oxide: NaN is not a finite number", cut.Find("[data-testid=policy-error]").TextContent);
        Assert.Equal("dy_oxide", cut.Find("[data-testid=policy-commodities]").GetAttribute("value"));
    }

    [Fact]
    public void The_policy_panel_lists_the_timeline_and_ends_a_policy()
    {
        string? removed = null;
        var floor = new PriceFloor { Id = "g7-floor", Start = 10, Club = ["JP"], Excluded = ["CN"], Floors = new Dictionary<string, double> { ["ndpr_oxide"] = 80000 } };
        var cut = Render<PolicyPanel>(p => p
            .Add(x => x.Policies, [floor])
            .Add(x => x.Tick, 20)
            .Add(x => x.Submit, _ => Task.FromResult<string?>(null))
            .Add(x => x.Remove, id => { removed = id; return Task.FromResult<string?>(null); }));
        Assert.Contains("price floor by JP on ndpr_oxide", cut.Find("[data-testid=policy-row-g7-floor]").TextContent);
        cut.Find("[data-testid=policy-remove-g7-floor]").Click();
        Assert.Equal("g7-floor", removed);
    }

    [Fact]
    public void The_control_bar_offers_play_when_paused_and_sends_the_hub_method()
    {
        var calls = new List<(string, object?[])>();
        var cut = Render<ControlBar>(p => p
            .Add(x => x.Status, new SessionStatus("s1", 12, false, 10, null, 365))
            .Add(x => x.StartDate, Info.StartDate)
            .Add(x => x.Latest, Frame(11))
            .Add(x => x.Invoke, (m, a) => { calls.Add((m, a)); return Task.FromResult<string?>(null); })
            .Add(x => x.OnFork, () => Task.CompletedTask));
        Assert.Empty(cut.FindAll("[data-testid=pause]"));
        cut.Find("[data-testid=play]").Click();
        cut.Find("[data-testid=step]").Click();
        cut.Find("[data-testid=speed]").Change("50");
        cut.Find("[data-testid=run-to]").Click();
        Assert.Equal(["Play", "Step", "SetSpeed", "RunTo"], calls.Select(c => c.Item1));
        Assert.Equal(50.0, calls[2].Item2[0]);
        Assert.Equal("2026-02-11", calls[3].Item2[0]); // by default 30 days after the last day run (tick 11, 2026-01-12)
        // The status line shows the last day run, as the Date tile does: tick 11, not the next tick to run (12).
        Assert.Equal("2026-01-12", cut.Find("[data-testid=status-date]").TextContent);
        Assert.Equal("11", cut.Find("[data-testid=tick]").TextContent);
        Assert.Equal("/sessions/s1/export/csv.zip", cut.Find("[data-testid=export-csv]").GetAttribute("href"));
    }

    [Fact]
    public void The_compare_table_shows_each_sessions_headlines_and_the_difference()
    {
        var a = Series(Frame(0, jpLoss: 1e9));
        var b = new SessionSeries(Info with { SessionId = "s2" });
        b.Add([Frame(0, jpLoss: 3e9)]);
        var cut = Render<CompareHeadlines>(p => p.Add(x => x.Sessions, [a, b]));
        Assert.Equal(["", "s1", "s2"], cut.FindAll("th").Select(th => th.TextContent));
        Assert.Contains("3.00 bn USD (+2.00 bn USD)", cut.Markup);
    }

    [Fact]
    public void The_compare_table_reads_a_session_ahead_on_the_last_day_both_have_run()
    {
        var a = Series(Frame(0, jpLoss: 1e9), Frame(1, jpLoss: 1e9));
        var b = new SessionSeries(Info with { SessionId = "s2" });
        b.Add([Frame(0, jpLoss: 1e9), Frame(1, jpLoss: 1e9), Frame(2, jpLoss: 1e9), Frame(3, jpLoss: 1e9)]);
        var cut = Render<CompareHeadlines>(p => p.Add(x => x.Sessions, [a, b]));
        var caption = cut.Find("[data-testid=compare-date]").TextContent;
        Assert.Contains("All on 2026-01-02", caption);
        Assert.Contains("s2 is at 2026-01-04", caption);
        // Both read on 2026-01-02 (2 days of 1 bn each): no difference made of two dates.
        Assert.Contains("2.00 bn USD (0 USD)", cut.Markup);
        Assert.Contains("Japan GDP loss so far", cut.Markup);
    }

    [Fact]
    public void The_price_chart_offers_every_commodity_and_starts_on_dysprosium()
    {
        var series = Series(Frame(0), Frame(1));
        var cut = Render<PriceChart>(p => p.Add(x => x.Sources, [new ChartSource("", series, [])]));
        var options = cut.FindAll("[data-testid=price-commodity] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(["dy_oxide", "ndpr_oxide"], options);
        Assert.Equal("Price of Dysprosium oxide", cut.FindComponent<TimeSeriesChart>().Instance.Title);
        Assert.Equal("USD per t", cut.FindComponent<TimeSeriesChart>().Instance.YTitle);
        // Two markets, one point each per tick.
        Assert.Equal(4, cut.FindComponent<TimeSeriesChart>().Instance.PointCount);
    }

    [Fact]
    public void A_country_has_the_same_colour_whichever_countries_a_chart_shows()
    {
        // The session page shows every country with a loss, the compare page only some: Japan's line kept its colour by first
        // appearance and changed between the two (a review).
        static Frame Two(int tick) => Frame(tick) with
        {
            Losses = [new LossRow("CN", "automotive", 1, tick + 1, (tick + 1) / 18e12), new LossRow("JP", "automotive", 2, 2 * (tick + 1), 2 * (tick + 1) / 4e12)],
        };
        string JapanColour(IReadOnlyCollection<string>? countries)
        {
            var cut = Render<LossChart>(p => p.Add(x => x.Sources, [new ChartSource("", Series(Two(0), Two(1)), [])]).Add(x => x.Countries, countries));
            return cut.FindComponent<TimeSeriesChart>().Instance.LineColours["Japan"];
        }
        var all = JapanColour(null);
        Assert.Equal(all, JapanColour(["JP"]));
        Assert.NotEqual("", all);
    }

    [Fact]
    public void Where_a_tariff_is_in_force_the_price_chart_shows_what_its_importer_paid_duty_included()
    {
        // Japan bought 1 t of Chinese Dy at 250,000 plus 50,000 of duty and 1 t at home at 300,000 (the price inside its wall):
        // 300,000 a tonne paid, above both segments' prices. Before the tariff starts (tick 0) there is no such line.
        static Frame Walled(int tick) => Frame(tick) with
        {
            Flows = [new FlowRow("CN", "CN", "JP", "dy_oxide", 1, 250000) { Duty = 50000 }, new FlowRow("JP", "JP", "JP", "dy_oxide", 1, 300000)],
        };
        var tariff = new Tariff { Id = "jp-tariff", Start = 1, Importer = "JP", Commodities = ["dy_oxide"], Origins = ["CN"], Rate = 0.2 };
        var cut = Render<PriceChart>(p => p.Add(x => x.Sources, [new ChartSource("", Series(Walled(0), Walled(1)), [tariff])]));
        var chart = cut.FindComponent<TimeSeriesChart>().Instance;
        Assert.Equal(6, chart.PointCount); // three lines over two days (Japan's without a value before the tariff: below)
        Assert.Contains("paid in Japan, duty incl.", chart.LineNames);
        var paid = Assert.Single(chart.Select(new ChartSource("", Series(Walled(1)), [tariff]), Walled(1)), p => p.Key == "paid|JP");
        Assert.Equal(300000, paid.Y!.Value, 6);
        Assert.Empty(chart.Select(new ChartSource("", Series(Walled(0)), [tariff]), Walled(0)).Where(p => p.Key.StartsWith("paid|")));
    }

    [Fact]
    public void A_long_commodity_name_is_a_two_line_title_each_line_escaped()
    {
        // One line of "Price of NdFeB magnet (high-temperature, Dy/Tb-bearing)" ran off a phone's screen at both ends.
        var info = Info with { Commodities = [new CommodityInfo("magnet_ht", "NdFeB magnet (high-temperature, Dy/Tb-bearing) <x>", "t", 80000, 1e6)] };
        var series = new SessionSeries(info);
        series.Add([Frame(0)]);
        var cut = Render<PriceChart>(p => p.Add(x => x.Sources, [new ChartSource("", series, [])]));
        Assert.Equal("Price of NdFeB magnet<br>(high-temperature, Dy/Tb-bearing) &lt;x&gt;", cut.FindComponent<TimeSeriesChart>().Instance.PlotTitle);
        // A short one stays on one line.
        var plain = Render<PriceChart>(p => p.Add(x => x.Sources, [new ChartSource("", Series(Frame(0)), [])]));
        Assert.Equal("Price of Dysprosium oxide", plain.FindComponent<TimeSeriesChart>().Instance.PlotTitle);
    }

    [Fact]
    public void Events_of_one_day_are_collapsed_into_one_mark_with_every_event_in_its_hover_text_escaped()
    {
        var series = Series(Frame(0, events: ["ban: China bans Dy exports", "<b>quota</b> & more"]), Frame(1), Frame(2, events: ["ban ends"]));
        series.MarkLiveChange(2, "tariff set by a viewer");
        var days = TimeSeriesChart.EventDays([new ChartSource("", series, [])]);
        Assert.Equal(["2026-01-01", "2026-01-03"], days.Select(d => d.Date));
        Assert.False(days[0].Live);
        Assert.True(days[1].Live); // a live change that day colours the mark
        Assert.Contains("ban: China bans Dy exports<br>&lt;b&gt;quota&lt;/b&gt; &amp; more", days[0].Text);
        Assert.Contains("ban ends<br>✎ tariff set by a viewer", days[1].Text);

        var many = Series(Frame(0, events: Enumerable.Range(1, TimeSeriesChart.EventsPerDay + 3).Select(i => $"decision {i}").ToArray()));
        var crowded = TimeSeriesChart.EventDays([new ChartSource("", many, [])]).Single().Text;
        Assert.Contains($"decision {TimeSeriesChart.EventsPerDay}<br>… and 3 more", crowded);
        Assert.DoesNotContain($"decision {TimeSeriesChart.EventsPerDay + 1}", crowded);

        // The chart offers a switch for its events; a chart without events has none.
        var withEvents = Render<PriceChart>(p => p.Add(x => x.Sources, [new ChartSource("", series, [])]));
        Assert.Single(withEvents.FindAll("[data-testid=price-chart-events]"));
        var without = Render<PriceChart>(p => p.Add(x => x.Sources, [new ChartSource("", Series(Frame(0)), [])]));
        Assert.Empty(without.FindAll("[data-testid=price-chart-events]"));
    }

    [Fact]
    public void A_chart_with_more_lines_than_its_limit_hides_the_smallest_in_the_legend()
    {
        // Twelve shortage lines in Japan, line i peaking at i %: the eight largest stay, the four smallest are hidden.
        var rows = Enumerable.Range(1, 12).Select(i => new ShortageRow("JP", $"sector{i:00}", "dy_oxide", 1, i / 100.0)).ToList();
        var series = Series(Frame(0) with { Shortages = rows });
        var chart = Render<ShortageChart>(p => p.Add(x => x.Sources, [new ChartSource("", series, [])])).FindComponent<TimeSeriesChart>().Instance;
        Assert.Equal(4, chart.HiddenLines);
        Assert.Equal(["sector01", "sector02", "sector03", "sector04"], chart.HiddenLineNames.Select(n => n.Split(' ')[0]).Order());

        // Days of cover: the lowest matter, so the four largest are hidden.
        var cover = Enumerable.Range(1, 12).Select(i => new CoverRow("JP", $"sector{i:00}", "dy_oxide", i * 10)).ToList();
        var covers = Render<CoverChart>(p => p.Add(x => x.Sources, [new ChartSource("", Series(Frame(0) with { Cover = cover }), [])])).FindComponent<TimeSeriesChart>().Instance;
        Assert.Equal(["sector09", "sector10", "sector11", "sector12"], covers.HiddenLineNames.Select(n => n.Split(' ')[0]).Order());
    }

    [Fact]
    public void Chart_titles_follow_their_drop_down_and_use_the_scenarios_names()
    {
        var series = Series(Frame(0), Frame(1));
        var prices = Render<PriceChart>(p => p.Add(x => x.Sources, [new ChartSource("", series, [])]));
        prices.Find("[data-testid=price-commodity]").Change("ndpr_oxide");
        Assert.Equal("Price of NdPr oxide", prices.FindComponent<TimeSeriesChart>().Instance.Title);

        var shortages = Render<ShortageChart>(p => p.Add(x => x.Sources, [new ChartSource("", series, [])]));
        Assert.StartsWith("Shortages in Japan", shortages.FindComponent<TimeSeriesChart>().Instance.Title);
        shortages.Find("[data-testid=shortage-country]").Change("CN");
        Assert.StartsWith("Shortages in China", shortages.FindComponent<TimeSeriesChart>().Instance.Title);
    }

    [Fact]
    public void Names_from_a_scenario_reach_plotly_encoded_so_markup_in_them_stays_text()
    {
        // Plotly renders a subset of HTML: a country named like this drew a clickable link in the charts.
        const string Link = "<a href=\"https://attacker.example/login\">Japan</a>";
        var info = Info with
        {
            Countries = [new CountryInfo("CN", "China", 18e12), new CountryInfo("JP", Link, 4e12)],
            Commodities = [new CommodityInfo("dy_oxide", "<b>Dy</b> & co", "t", 250000, 1e7)],
        };
        var series = new SessionSeries(info);
        series.Add([Frame(0) with { Shortages = [new ShortageRow("JP", "<i>magnets</i>", "dy_oxide", 1, 0.5)] }]);

        var chart = Render<ShortageChart>(p => p.Add(x => x.Sources, [new ChartSource("", series, [])])).FindComponent<TimeSeriesChart>().Instance;
        Assert.Contains("&lt;a href=", chart.PlotTitle);
        Assert.NotEmpty(chart.LineNames);
        Assert.All(chart.LineNames.Append(chart.PlotTitle), n => Assert.DoesNotContain("<", n));

        var sankey = Render<FlowSankey>(p => p.Add(x => x.Source, series)).Instance;
        Assert.Contains("&lt;a href=\"https://attacker.example/login\"&gt;Japan&lt;/a&gt;", sankey.NodeLabels.Cast<string>());
        Assert.All(sankey.NodeLabels.Cast<string>(), l => Assert.DoesNotContain("<", l));
        Assert.StartsWith("Flows of &lt;b&gt;Dy&lt;/b&gt; &amp; co (t)<br>", sankey.PlotTitle);
    }

    [Fact]
    public void The_sankey_sums_flows_origin_to_destination_over_its_window()
    {
        var series = Series(Frame(0), Frame(1), Frame(2));
        var flows = FlowSankey.Flows(series, "dy_oxide", window: 2);
        Assert.Equal([("CN", "JP", 2.0)], flows);
    }

    [Fact]
    public void The_sankey_title_says_the_days_it_sums_before_a_whole_window_has_run()
    {
        // A review (Dec 2026): three days into a session the title said "30 days to …".
        var series = Series(Frame(0), Frame(1), Frame(2));
        var sankey = Render<FlowSankey>(p => p.Add(x => x.Source, series)).Instance;
        Assert.Contains("<br>3 days to ", sankey.PlotTitle);
    }
}
