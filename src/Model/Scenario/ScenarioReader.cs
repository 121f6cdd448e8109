using MarketSim.Model.Policies;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenario;

/// <summary>Turns the YAML tree into a ScenarioSpec, checking every field and every cross-reference.</summary>
internal sealed partial class ScenarioReader(ErrorSink sink)
{
    readonly HashSet<string> _countries = new(StringComparer.Ordinal);
    // Commodity ids read so far, each with its reference price (a manufacturer's inputs are valued at it).
    readonly Dictionary<string, double> _commodities = new(StringComparer.Ordinal);
    IReadOnlyDictionary<string, IReadOnlyList<string>> _groups = new Dictionary<string, IReadOnlyList<string>>();
    readonly HashSet<string> _producers = new(StringComparer.Ordinal);
    /// <summary>Every io_multipliers entry read: (country, sector), checked against the sectors the country has once they are read.</summary>
    readonly List<(string Country, string Sector, YamlMap Map, YamlNode Node)> _ioSectors = new();
    const double MaxIoMultiplier = 10;
    DateOnly? _start;
    int _days;

    public ScenarioSpec? Read(YamlMap root)
    {
        var name = root.Text("name");
        var description = root.Text("description", required: false, fallback: "", prose: true);
        _start = root.Date("start_date");
        _days = root.Int("days", fallback: 365, min: 1) ?? 365;
        var currency = root.Text("currency");
        var seed = (ulong)(root.Num("seed", required: false, fallback: 0, min: 0, max: ulong.MaxValue) ?? 0); // as before the 1e15 bound
        var demand = ReadDemand(root.Sub("demand"));
        var buyers = ReadBuyers(root.Sub("buyers"));
        var contentOrigin = root.Bool("content_origin");
        var investment = ReadInvestment(root.Sub("investment"));
        var transport = ReadTransport(root.Sub("transport"));

        var countries = root.Items("countries", required: true).Select(ReadCountry).Where(c => c is not null).Select(c => c!).ToList();
        var commodityMaps = root.Items("commodities", required: true);
        var readCommodities = commodityMaps.Select(m => (Map: m, Spec: ReadCommodity(m))).ToList();
        var commodities = readCommodities.Where(c => c.Spec is not null).Select(c => c.Spec!).ToList();
        _groups = CommodityGroups.Of(commodities);
        foreach (var (m, c) in readCommodities)
            if (c is not null) CheckCountry(m, c.InitialOrigin, "initial_origin", NodeOf(m, "initial_origin"));
        if (countries.Count == 0) root.Error("countries", "needs at least one country");
        if (commodities.Count == 0) root.Error("commodities", "needs at least one commodity");
        CheckTransport(root, transport);
        var segments = ReadSegments(root);
        var producerMaps = root.Items("producers");
        var producers = producerMaps.Select(ReadProducer).Where(p => p is not null).Select(p => p!).ToList();
        var manufacturerMaps = root.Items("manufacturers");
        var manufacturers = manufacturerMaps.SelectMany(ReadManufacturers).ToList();
        // Ids an entity list may name: producers, manufacturer firms and their groups (the rule the hubs apply too).
        _buyers = PolicyContext.EndUserIds(producers.Select(p => p.Id), manufacturers.Select(mf => mf.Id));
        var sectors = producers.Select(p => (p.Country, p.Sector)).Concat(manufacturers.Select(mf => (mf.Country, mf.Sector))).ToHashSet();
        foreach (var (country, sector, m, node) in _ioSectors)
            if (!sectors.Contains((country, sector)))
                sink.Add(node, m.Path + ".io_multipliers." + sector, $"country '{country}' has no producer or manufacturer in sector '{sector}'");
        var policyMaps = root.Items("policies");
        var readPolicies = policyMaps.Select(m => (Map: m, Spec: ReadPolicy(m))).ToList();
        var policies = readPolicies.Where(p => p.Spec is not null).Select(p => p.Spec!).ToList();
        Versions(readPolicies);
        CheckPolicyRules(readPolicies, commodities); // the rules the hubs apply too (src/Model/Policies/PolicyRules.cs)
        // Fills are routed by id: countries, producers, manufacturer firms and policies share one id space (ScenarioIds.cs).
        CheckIdSpace(root, producerMaps, manufacturerMaps, policyMaps);
        CheckHorizon(root);
        root.RejectUnknown();

        if (sink.Errors.Count > 0) return null;
        return new ScenarioSpec
        {
            Name = name!, Description = description!, StartDate = _start!.Value, Days = _days, Currency = currency!, Seed = seed,
            Demand = demand, Buyers = buyers, ContentOrigin = contentOrigin, Investment = investment, Transport = transport, Commodities = commodities, Segments = segments, Countries = countries,
            Producers = producers, Manufacturers = manufacturers, Policies = policies,
            SpinUpDays = Math.Max(0, -policies.Select(p => p is ExportControl e ? e.NewsFrom : p.Start).DefaultIfEmpty(0).Min()),
        };
    }

    /// <summary>
    /// A policy id may repeat only as later versions of one policy (a live edit in an exported timeline): same type, each
    /// version ending before the next starts. Anything else is a repeated id, reported at the repeat.
    /// </summary>
    static void Versions(IEnumerable<(YamlMap Map, PolicySpec? Spec)> policies)
    {
        var last = new Dictionary<string, PolicySpec>(StringComparer.Ordinal);
        foreach (var (m, p) in policies)
        {
            if (p is null) continue;
            if (last.TryGetValue(p.Id, out var before)
                && (before.GetType() != p.GetType() || before.End is not { } end || end > p.Start))
                m.Error("id", $"policy id '{p.Id}' is used more than once (a repeated id must be a later version of the same policy: same type, starting at or after the earlier one's end)");
            last[p.Id] = p;
        }
    }

    DemandSettings ReadDemand(YamlMap? m)
    {
        if (m is null) return new DemandSettings();
        var d = new DemandSettings
        {
            Elasticity = m.Num("elasticity", false, 0.1, 0, 5) ?? 0.1,
            LagDays = m.Num("lag_days", false, 365, 1) ?? 365,
            Floor = m.Num("floor", false, 0.7, 0.01, 1) ?? 0.7,
            LeadTimeLearning = m.Num("lead_time_learning", false, 0.1, 0, 1) ?? 0.1,
            Persistence = m.Num("persistence", false, 0, 0, 1) ?? 0,
        };
        m.RejectUnknown();
        return d;
    }

    BuyerSettings ReadBuyers(YamlMap? m)
    {
        var d = new BuyerSettings();
        if (m is null) return d;
        d = new BuyerSettings
        {
            PriceBand = m.Num("price_band", false, d.PriceBand, 0, 1) ?? d.PriceBand,
            RiskLearningDays = m.Num("risk_learning_days", false, d.RiskLearningDays, 1, 36500) ?? d.RiskLearningDays,
            RiskMemoryDays = m.Num("risk_memory_days", false, d.RiskMemoryDays, 1, 36500) ?? d.RiskMemoryDays,
            SecurityPremium = m.Num("security_premium", false, d.SecurityPremium, 0, 10) ?? d.SecurityPremium,
            QualificationDays = m.Num("qualification_days", false, d.QualificationDays, 0, 36500) ?? d.QualificationDays,
            QualifyAtRisk = m.Num("qualify_at_risk", false, d.QualifyAtRisk, 0, 1) ?? d.QualifyAtRisk,
            PrecautionMaxCoverDays = m.Num("precaution_max_cover_days", false, d.PrecautionMaxCoverDays, 0, 3650) ?? d.PrecautionMaxCoverDays,
            PrecautionBuildDays = m.Num("precaution_build_days", false, d.PrecautionBuildDays, 1, 36500) ?? d.PrecautionBuildDays,
            PrecautionReleaseDays = m.Num("precaution_release_days", false, d.PrecautionReleaseDays, 1, 36500) ?? d.PrecautionReleaseDays,
            EndUseUpstream = m.Bool("end_use_upstream"),
            NeedsFirst = m.Bool("needs_first"),
            RationByValue = m.Bool("ration_by_value"),
            EndUseLagDays = m.Num("end_use_lag_days", false, d.EndUseLagDays, 1, 36500) ?? d.EndUseLagDays,
        };
        m.RejectUnknown();
        return d;
    }

    InvestmentSettings ReadInvestment(YamlMap? m)
    {
        var d = new InvestmentSettings();
        if (m is null) return d;
        d = new InvestmentSettings
        {
            Step = m.Num("step", false, d.Step, 0, 10) ?? d.Step,
            MarginThreshold = m.Num("margin_threshold", false, d.MarginThreshold, 0, 100) ?? d.MarginThreshold,
            SustainDays = m.Num("sustain_days", false, d.SustainDays, 1, 36500) ?? d.SustainDays,
            LeadDays = m.Num("lead_days", false, d.LeadDays, 0, 36500) ?? d.LeadDays,
            RampDays = m.Num("ramp_days", false, d.RampDays, 1, 36500) ?? d.RampDays,
        };
        m.RejectUnknown();
        return d;
    }

    TransportSpec ReadTransport(YamlMap? m)
    {
        if (m is null) return new TransportSpec();
        var routes = m.Items("routes").Select(r =>
        {
            var route = new RouteSpec(r.Str("from") ?? "", r.Str("to") ?? "", r.Num("days", min: 1) ?? 1);
            r.RejectUnknown();
            return (route, r);
        }).ToList();
        var t = new TransportSpec
        {
            DomesticDays = m.Num("domestic_days", false, 7, 1) ?? 7,
            InternationalDays = m.Num("international_days", false, 35, 1) ?? 35,
            Routes = routes.Select(x => x.route).ToList(),
        };
        _routeMaps = routes;
        m.RejectUnknown();
        return t;
    }

    List<(RouteSpec route, YamlMap map)> _routeMaps = new();

    void CheckTransport(YamlMap root, TransportSpec t)
    {
        foreach (var (r, m) in _routeMaps)
        {
            CheckCountry(m, r.From, "from", m.Node.Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == "from").Value);
            CheckCountry(m, r.To, "to", m.Node.Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == "to").Value);
        }
    }

    List<SegmentSpec> ReadSegments(YamlMap root)
    {
        var items = root.Items("segments");
        if (items.Count == 0) return [new SegmentSpec("world", [])];
        var list = new List<SegmentSpec>();
        var seen = new HashSet<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in items)
        {
            var id = m.Str("id") ?? "?";
            if (!ids.Add(id)) m.Error("id", $"segment '{id}' is defined twice");
            var countries = m.StrList("countries");
            foreach (var (c, node) in countries)
            {
                CheckCountry(m, c, "countries", node);
                if (!seen.Add(c)) sink.Add(node, m.Path + ".countries", $"country '{c}' is in more than one segment");
            }
            list.Add(new SegmentSpec(id, countries.Select(c => c.Value).ToList()));
            m.RejectUnknown();
        }
        if (list.Count(s => s.Countries.Count == 0) > 1) root.Error("segments", "only one segment may leave out its countries (it takes all the others)");
        if (list.All(s => s.Countries.Count > 0) && _countries.Any(c => !seen.Contains(c)))
            root.Error("segments", $"countries in no segment: {ErrorLimits.Known(_countries.Where(c => !seen.Contains(c)))}; add a segment without countries to take the rest");
        return list;
    }

    CountrySpec? ReadCountry(YamlMap m)
    {
        var id = m.Str("id");
        // A country id is one part of the keys licences and lots are kept by ("buyer|exporter|application", "CN|…"), read back
        // after a checkpoint from the right: a '|' in it, or digits alone, would be read as another part.
        if (id is not null && id.Contains('|')) m.Error("id", $"a country id must not contain '|' (it separates the parts of licence and origin keys), got '{id}'");
        else if (id is not null && id.Contains('>')) m.Error("id", $"a country id must not contain '>' (it joins a state and a destination in a re-export licence's id, \"CN>US\"), got '{id}'");
        else if (id is { Length: > 0 } && id.All(char.IsAsciiDigit)) m.Error("id", $"a country id must not be digits alone (a licence key's last part numbers an application), got '{id}'");
        var multipliers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (sector, v, node) in m.NumberMap("io_multipliers", min: 1))
        {
            if (v > MaxIoMultiplier) sink.Add(node, m.Path + ".io_multipliers." + sector, $"must be at most {MaxIoMultiplier} (national tables give about 1 to 4), got {v}");
            else multipliers[sector] = v;
            _ioSectors.Add((id ?? "", sector, m, node));
        }
        var source = m.Text("io_source", required: multipliers.Count > 0, fallback: "", prose: true) ?? "";
        var c = new CountrySpec
        {
            Id = id ?? "", Name = m.Text("name", false, id) ?? "", Gdp = m.Num("gdp", min: 1) ?? 1, // losses are shares of it: a gdp of 1e-300 made them Infinity
            IoMultipliers = multipliers, IoSource = source,
        };
        if (id is not null && !_countries.Add(id)) m.Error("id", $"country '{id}' is defined twice");
        m.RejectUnknown();
        return id is null ? null : c;
    }

    CommoditySpec? ReadCommodity(YamlMap m)
    {
        var id = m.Str("id");
        if (id is not null && _commodities.ContainsKey(id)) m.Error("id", $"commodity '{id}' is defined twice");
        var c = new CommoditySpec
        {
            Id = id ?? "",
            Name = m.Text("name", false, id) ?? "",
            Unit = m.Text("unit", false, "t") ?? "t",
            Stage = m.Text("stage", false, "") ?? "",
            Groups = m.TextList("groups").Select(g => g.Value).ToList(),
            ReferencePrice = m.Num("reference_price", min: 1e-9) ?? 1,
            PriceAdjustment = m.Num("price_adjustment", false, 0.02, 0, 1) ?? 0.02,
            PriceReversion = m.Num("price_reversion", false, 0, 0, 1) ?? 0,
            PriceWindowDays = m.Int("price_window_days", false, 1, 1, 365) ?? 1,
            MinPriceFactor = m.Num("min_price_factor", false, 0.2, 0) ?? 0.2,
            MaxPriceFactor = m.Num("max_price_factor", false, 40, 1) ?? 40,
            InitialOrigin = m.Str("initial_origin") ?? "",
        };
        if (id is not null) _commodities.TryAdd(id, c.ReferencePrice);
        if (c.MinPriceFactor > c.MaxPriceFactor) m.Error("min_price_factor", $"must not exceed max_price_factor ({c.MaxPriceFactor})");
        m.RejectUnknown();
        return id is null ? null : c;
    }

    void CheckCountry(YamlMap m, string? id, string field, YamlNode? node = null)
    {
        if (id is null || _countries.Contains(id)) return;
        sink.Add(node ?? m.Node, m.Path.Length == 0 ? field : m.Path + "." + field, $"unknown country '{id}' (countries: {ErrorLimits.Known(_countries)})");
    }

    void CheckCommodity(YamlMap m, string? id, string field, YamlNode? node = null)
    {
        if (id is null || _commodities.ContainsKey(id)) return;
        sink.Add(node ?? m.Node, m.Path + "." + field, $"unknown commodity '{id}' (commodities: {ErrorLimits.Known(_commodities.Keys)})");
    }

    YamlNode? NodeOf(YamlMap m, string key) => m.Node.Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == key).Value;

    /// <summary>The smallest daily need of an input the market trades: bids and stocks below ≈10⁻⁹ are rounded away, so an input
    /// needed in smaller amounts would never be bought, and its firm would lose all its output with no shortage reported.</summary>
    const double MinDailyNeed = 1e-6;

    /// <param name="scale">The rate the ratios multiply (a producer's capacity, a manufacturer's planned output) and its field.</param>
    Dictionary<string, double> ReadInputs(YamlMap m, (double Rate, string Field) scale, string? output = null)
    {
        var d = new Dictionary<string, double>();
        foreach (var (k, v, node) in m.NumberMap("inputs", min: 1e-15))
        {
            CheckCommodity(m, k, "inputs", node);
            if (k == output) sink.Add(node, m.Path + ".inputs", $"a producer cannot use its own output '{k}' as an input");
            else if (scale.Rate > 0 && v * scale.Rate < MinDailyNeed)
                sink.Add(node, m.Path + ".inputs." + k, $"{v:g6} × {scale.Field} {scale.Rate:g6} = {v * scale.Rate:g3} a day is below the smallest quantity "
                    + $"the market trades ({MinDailyNeed:g1} a day): give the input in a smaller unit, or leave it out");
            d[k] = v;
        }
        return d;
    }

    /// <summary>`dependent_share`: for some inputs, the share of output that needs them (0 &lt; σ ≤ 1; docs/MODEL.md, Manufacturers).</summary>
    Dictionary<string, double> ReadDependentShare(YamlMap m, IReadOnlyDictionary<string, double> inputs)
    {
        var d = new Dictionary<string, double>();
        foreach (var (k, v, node) in m.NumberMap("dependent_share", min: MinDependentShare))
        {
            if (!inputs.ContainsKey(k)) sink.Add(node, m.Path + ".dependent_share." + k, $"'{k}' is not one of this firm's inputs");
            else if (v > 1) sink.Add(node, m.Path + ".dependent_share." + k, $"must be at most 1 (a share of output), got {v:g6}");
            else d[k] = v;
        }
        return d;
    }

    /// <summary>The smallest share of output an input may be needed by: its use per unit of that output is aₖ/σ.</summary>
    const double MinDependentShare = 1e-6;

    Dictionary<string, ThriftSpec> ReadThrift(YamlMap m, IReadOnlyDictionary<string, double> inputs)
    {
        var d = new Dictionary<string, ThriftSpec>();
        var t = m.Sub("thrift");
        if (t is null) return d;
        foreach (var (k, _) in t.Node.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            var sub = t.Sub(key);
            if (sub is null) continue;
            if (!inputs.ContainsKey(key)) sink.Add(k, t.Path + "." + key, $"'{key}' is not one of this firm's inputs");
            d[key] = new ThriftSpec(sub.Num("floor", min: 0.01, max: 1) ?? 1, sub.Num("elasticity", false, null, 0, 5), sub.Num("lag_days", false, null, 1));
            sub.RejectUnknown();
        }
        return d;
    }

    ProducerSpec? ReadProducer(YamlMap m)
    {
        var id = m.Str("id");
        var country = m.Str("country");
        CheckCountry(m, country, "country", NodeOf(m, "country"));
        var output = m.Str("output");
        CheckCommodity(m, output, "output", NodeOf(m, "output"));
        var capacity = m.Num("capacity", min: 0) ?? 0;
        var inputs = ReadInputs(m, (capacity, "capacity"), output);
        var originFrom = m.Str("origin_from", required: false);
        if (originFrom is not null && !inputs.ContainsKey(originFrom)) m.Error("origin_from", $"'{originFrom}' is not one of this producer's inputs");
        var coProducts = new Dictionary<string, double>();
        foreach (var (k, v, node) in m.NumberMap("co_products", min: 1e-15))
        {
            CheckCommodity(m, k, "co_products", node);
            if (k == output) sink.Add(node, m.Path + ".co_products", $"'{k}' is already the main output");
            coProducts[k] = v;
        }
        var reservedFor = m.StrList("reserved_for");
        foreach (var (c, node) in reservedFor) CheckCountry(m, c, "reserved_for", node);
        var reservedShare = m.Num("reserved_share", false, 0, 0, 1) ?? 0;
        if (reservedShare > 0 && reservedFor.Count == 0) m.Error("reserved_share", "needs reserved_for: the countries the share is reserved for");
        var priority = m.StrList("priority_buyers");
        foreach (var (c, node) in priority) CheckCountry(m, c, "priority_buyers", node);
        var p = new ProducerSpec
        {
            Id = id ?? "", Country = country ?? "", Sector = m.Text("sector", false, "producer") ?? "producer", Output = output ?? "",
            Capacity = capacity, UnitCost = m.Num("unit_cost", min: 0) ?? 0, Inputs = inputs,
            OriginFrom = originFrom ?? inputs.Keys.FirstOrDefault(),
            CoProducts = coProducts, ReservedFor = reservedFor.Select(x => x.Value).ToList(), ReservedShare = reservedShare,
            InputCoverDays = m.Num("input_cover_days", false, 30, 0) ?? 30,
            LeadTimeDays = m.Num("lead_time_days", false, null, 1),
            RampRate = m.Num("ramp_rate", false, 0.01, 0, 1) ?? 0.01,
            SupplyElasticity = m.Num("supply_elasticity", false, 1, 0, 50) ?? 1,
            VariableCostShare = m.Num("variable_cost_share", false, 0.5, 0, 1) ?? 0.5,
            InventoryCapDays = m.Num("inventory_cap_days", false, 30, 0) ?? 30,
            MinInventoryDays = m.Num("min_inventory_days", false, 5, 0) ?? 5,
            InitialInventoryDays = m.Num("initial_inventory_days", false, null, 0),
            SalesLearning = m.Num("sales_learning", false, 0.1, 0, 1) ?? 0.1,
            PriorityBuyers = priority.Select(x => x.Value).ToList(),
            MilitaryShare = m.Num("military_share", false, 0, 0, 1) ?? 0,
            Thrift = ReadThrift(m, inputs),
            InvestmentLeadDays = m.Num("investment_lead_days", false, null, 0, 36500),
        };
        if (id is not null) _producers.Add(id);
        m.RejectUnknown();
        return id is null ? null : p;
    }

    /// <summary>A sector group of a country expands into one firm per entry of `firms` (share of planned output, cover days).</summary>
    IEnumerable<ManufacturerSpec> ReadManufacturers(YamlMap m)
    {
        var id = m.Str("id");
        var country = m.Str("country");
        CheckCountry(m, country, "country", NodeOf(m, "country"));
        var planned = m.Num("planned_output", min: 0) ?? 0;
        var inputs = ReadInputs(m, (planned, "planned_output"));
        if (inputs.Count == 0 && m.Has("inputs") == false) m.Error("inputs", "is required (the bill of materials per unit of output)");
        var value = m.Num("output_value", min: 0) ?? 0;
        var va = m.Num("value_added", min: 0) ?? 0;
        // Value added is the output's value less what its inputs are worth (at reference prices): the inputs' value is the value
        // added of the stages that make them, and a magnet is counted once (at the magnet maker), not again at the car maker.
        // Before Dec 2026 only va ≤ value was checked, so a file could count a car maker's magnets in its value added too.
        var inputsValue = inputs.Sum(kv => kv.Value * _commodities.GetValueOrDefault(kv.Key));
        if (va > value - inputsValue + 1e-9 * value)
            m.Error("value_added", inputsValue > 0
                ? $"value added per unit ({va}) cannot exceed output value per unit ({value}) less its inputs at reference prices ({inputsValue:0.######}): "
                  + "the inputs' value is counted at the stages that make them"
                : $"value added per unit ({va}) cannot exceed output value per unit ({value})");
        var template = new ManufacturerSpec
        {
            Id = id ?? "", Country = country ?? "", Sector = m.Text("sector") ?? "", OutputUnit = m.Text("output_unit", false, "unit") ?? "unit",
            PlannedOutput = planned, OutputValue = value, ValueAdded = va, Inputs = inputs, CoverDays = 0,
            LeadTimeDays = m.Num("lead_time_days", false, null, 1),
            MilitaryShare = m.Num("military_share", false, 0, 0, 1) ?? 0,
            Thrift = ReadThrift(m, inputs),
            DependentShare = ReadDependentShare(m, inputs),
        };
        var firms = m.Items("firms");
        var list = new List<ManufacturerSpec>();
        if (firms.Count == 0)
        {
            list.Add(template with { CoverDays = m.Num("cover_days", min: 0) ?? 0 });
        }
        else
        {
            double total = 0;
            foreach (var f in firms)
            {
                var fid = f.Str("id") ?? "?";
                var share = f.Num("share", min: 0, max: 1) ?? 0;
                total += share;
                // Each firm buys its share of the group's need: the smallest daily quantity applies to it, not to the group.
                foreach (var (k, a) in inputs)
                    if (share > 0 && a * planned >= MinDailyNeed && a * planned * share < MinDailyNeed)
                        f.Error("share", $"{share:g6} × planned_output {planned:g6} × inputs.{k} {a:g6} = {a * planned * share:g3} a day is below the "
                            + $"smallest quantity the market trades ({MinDailyNeed:g1} a day): give the input in a smaller unit");
                list.Add(template with { Id = $"{id}/{fid}", PlannedOutput = planned * share, CoverDays = f.Num("cover_days", min: 0) ?? 0 });
                f.RejectUnknown();
            }
            if (Math.Abs(total - 1) > 1e-6) m.Error("firms", $"firm shares must add up to 1, they add up to {total:0.######}");
        }
        m.RejectUnknown();
        return id is null ? [] : list;
    }

    List<string> Commodities(YamlMap m, string key)
    {
        var listed = m.StrList(key, required: true);
        foreach (var (v, node) in listed)
            if (!v.StartsWith(CommodityGroups.Prefix, StringComparison.Ordinal)) CheckCommodity(m, v, key, node);
        return CommodityGroups.Expand(listed, _groups, (message, node) => sink.Add(node, m.Path + "." + key, message));
    }

    List<string> Countries(YamlMap m, string key, bool required = false)
    {
        var list = m.StrList(key, required);
        foreach (var (c, node) in list) CheckCountry(m, c, key, node);
        return list.Select(x => x.Value).ToList();
    }

    PolicySpec? ReadPolicy(YamlMap m)
    {
        var id = m.Str("id") ?? "?";
        var type = m.Str("type");
        var start = m.Tick("start", _start, required: true) ?? 0;
        var end = m.Tick("end", _start, required: false);
        // A start before the start date (a negative tick) puts the policy in force on day 0 as it stands after running since
        // then: the world is stepped from the earliest such start (the spin-up, ScenarioSpec.SpinUpDays), bounded.
        if (start > _days) m.Error("start", $"tick {start} is outside the horizon 0..{_days}");
        else if (start < -QuantityLimits.MaxSpinUpDays)
            m.Error("start", $"tick {start} ({_start?.AddDays(Math.Max(start, -_start.Value.DayNumber)):yyyy-MM-dd}) is more than {QuantityLimits.MaxSpinUpDays} days (3 years) before start_date: a policy may start before the start date, and the world is stepped from then, up to 3 years");
        else if (start < 0 && _start is { } s0 && s0.DayNumber + start < 0) m.Error("start", $"tick {start} is before {DateOnly.MinValue:yyyy-MM-dd}");
        if (end > _days) m.Error("end", $"tick {end} is outside the horizon 0..{_days}");
        else if (end < -QuantityLimits.MaxSpinUpDays) m.Error("end", $"tick {end} is more than {QuantityLimits.MaxSpinUpDays} days before start_date");
        if (end is not null && end <= start) m.Error("end", $"must come after start ({start}), got {end}");
        PolicySpec? p = type switch
        {
            "export_control" => ReadExportControl(m, id, start, end),
            "tariff" => new Tariff
            {
                Id = id, Start = start, End = end, Importer = Country(m, "importer"), Commodities = Commodities(m, "commodities"),
                Origins = Countries(m, "origins"), Rate = m.Num("rate", min: 0, max: 100) ?? 0,
            },
            "price_floor" => ReadFloor(m, id, start, end),
            "stockpile" => ReadStockpile(m, id, start, end),
            "capacity_project" => ReadProject(m, id, start, end),
            null => null,
            _ => Unknown(m, type),
        };
        if (p is not null) m.RejectUnknown(); // with an unknown type, its other fields cannot be judged
        return p;
    }

    PolicySpec? Unknown(YamlMap m, string type)
    {
        m.Error("type", $"unknown policy type '{type}' (export_control, tariff, price_floor, stockpile, capacity_project)");
        return null;
    }

    string Country(YamlMap m, string key)
    {
        var c = m.Str(key);
        CheckCountry(m, c, key, NodeOf(m, key));
        return c ?? "";
    }

    PolicySpec ReadExportControl(YamlMap m, string id, int start, int? end)
    {
        var exporter = Country(m, "exporter");
        var modeText = m.Str("mode", false, "ban");
        var mode = modeText switch { "ban" => ControlMode.Ban, "quota" => ControlMode.Quota, "license" => ControlMode.License, _ => (ControlMode?)null };
        if (mode is null) m.Error("mode", $"unknown mode '{modeText}' (ban, quota, license)");
        var useText = m.Str("end_use", false, "all");
        var use = useText switch { "all" => EndUseScope.All, "civil" => EndUseScope.Civil, "military" => EndUseScope.Military, _ => (EndUseScope?)null };
        if (use is null) m.Error("end_use", $"unknown end use '{useText}' (all, civil, military)");
        // The announcement: news to firms from then (precaution), in force only from the start; it may lie in the spin-up.
        var announced = m.Tick("announced", _start, required: false);
        if (announced < -QuantityLimits.MaxSpinUpDays)
            m.Error("announced", $"tick {announced} ({_start?.AddDays(Math.Max(announced.Value, -_start.Value.DayNumber)):yyyy-MM-dd}) is more than {QuantityLimits.MaxSpinUpDays} days (3 years) before start_date: the world is stepped from the announcement, up to 3 years");
        else if (announced < 0 && _start is { } s0 && s0.DayNumber + announced < 0) m.Error("announced", $"tick {announced} is before {DateOnly.MinValue:yyyy-MM-dd}");
        var c = new ExportControl
        {
            Id = id, Start = start, End = end, Announced = announced, Exporter = exporter, Commodities = Commodities(m, "commodities"),
            Destinations = Countries(m, "destinations"), EndUse = use ?? EndUseScope.All, Mode = mode ?? ControlMode.Ban,
            ReExport = m.Bool("re_export"),
            DeMinimis = m.Num("de_minimis", false, null, 0, 1),
            EndUsers = EndUsers(m),
            Sectors = m.TextList("sectors").Select(x => x.Value).ToList(),
            Applications = mode == ControlMode.License ? m.Int("applications", false, 10, 1, PolicyRules.MaxApplications) ?? 10 : 10,
            RefusedCarryover = mode == ControlMode.License ? m.Num("refused_carryover", false, 1, 0, 1) ?? 1 : 1,
            RentToState = RentHolder(m),
            QuotaQuantity = mode == ControlMode.Quota ? m.Num("quota", min: 0) ?? 0 : 0,
            QuotaPeriodDays = mode == ControlMode.Quota ? m.Int("quota_period_days", false, 30, 1) ?? 30 : 30,
            ApprovalRate = mode == ControlMode.License ? m.Num("approval_rate", min: 0, max: 1) ?? 1 : 1,
            DelayMinDays = mode == ControlMode.License ? m.Num("delay_min_days", min: 0) ?? 0 : 0,
            DelayMaxDays = mode == ControlMode.License ? m.Num("delay_max_days", min: 0) ?? 0 : 0,
        };
        if (c.DelayMaxDays < c.DelayMinDays) m.Error("delay_max_days", $"must be at least delay_min_days ({c.DelayMinDays})");
        if (c.DeMinimis is not null && !c.ReExport) m.Error("de_minimis", "applies to the re-export clause: set re_export: true too");
        if (c.Destinations.Contains(exporter)) m.Error("destinations", $"the exporter '{exporter}' cannot be a destination of its own export control");
        return c;
    }

    HashSet<string> _buyers = new(StringComparer.Ordinal);

    List<string> EndUsers(YamlMap m)
    {
        var list = m.StrList("end_users");
        foreach (var (id, node) in list)
            if (!_buyers.Contains(id))
                sink.Add(node, m.Path + ".end_users", PolicyRules.UnknownEndUser(id));
        return list.Select(x => x.Value).ToList();
    }

    bool RentHolder(YamlMap m)
    {
        var text = m.Str("rent_to", false, "exporter");
        if (text is not ("exporter" or "state")) m.Error("rent_to", $"unknown rent holder '{text}' (exporter, state)");
        return text == "state";
    }

    PolicySpec ReadFloor(YamlMap m, string id, int start, int? end)
    {
        var floors = new Dictionary<string, double>();
        foreach (var (k, v, node) in m.NumberMap("floors", min: 1e-9))
        {
            CheckCommodity(m, k, "floors", node);
            floors[k] = v;
        }
        if (floors.Count == 0) m.Error("floors", "is required: commodity: minimum price");
        return new PriceFloor { Id = id, Start = start, End = end, Club = Countries(m, "club", required: true), Excluded = Countries(m, "excluded"), Floors = floors };
    }

    PolicySpec ReadStockpile(YamlMap m, string id, int start, int? end)
    {
        var commodity = m.Str("commodity");
        CheckCommodity(m, commodity, "commodity", NodeOf(m, "commodity"));
        var size = m.Num("size", min: 0) ?? 0;
        var initial = m.Num("initial", false, size, 0) ?? size;
        if (initial > size) m.Error("initial", $"cannot exceed size ({size})");
        return new Stockpile
        {
            Id = id, Start = start, End = end, Country = Country(m, "country"), Commodity = commodity ?? "", Size = size, Initial = initial,
            ReleaseShortageShare = m.Num("release_unmet_share", false, 0.01, 0, 1) ?? 0.01,
            ReleasePriceFactor = m.Num("release_price_factor", false, 0, 0) ?? 0,
            MaxReleasePerDay = m.Num("max_release_per_day", min: 0) ?? 0,
            RefillPriceFactor = m.Num("refill_price_factor", false, 0, 0) ?? 0,
            RefillPerDay = m.Num("refill_per_day", false, 0, 0) ?? 0,
            ReleaseOnControl = m.Bool("release_on_control"),
            CarryingCost = m.Num("carrying_cost", false, Stockpile.DefaultCarryingCost, 0, 1) ?? Stockpile.DefaultCarryingCost,
        };
    }

    PolicySpec ReadProject(YamlMap m, string id, int start, int? end)
    {
        var producer = m.Str("producer");
        if (producer is not null && !_producers.Contains(producer))
            m.Error("producer", $"unknown producer '{producer}' (define it under producers, with capacity 0 if it does not exist yet)");
        var payer = m.Str("payer", required: false);
        if (payer is not null) CheckCountry(m, payer, "payer", NodeOf(m, "payer"));
        return new CapacityProject
        {
            Id = id, Start = start, End = end, Producer = producer ?? "", AddedCapacity = m.Num("added_capacity", min: 0) ?? 0,
            LeadTimeDays = m.Int("lead_time_days", min: 0) ?? 0, Cost = m.Num("cost", false, 0, 0) ?? 0, Payer = payer,
        };
    }
}
