using MarketSim.Model.Agents;
using MarketSim.Model.Market;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Simulation;

/// <summary>
/// Steps a whole world in one thread with the same rules the grains call. It is the yardstick: the Orleans run of a scenario
/// must give byte-identical output.
/// </summary>
public sealed class ReferenceRunner
{
    readonly ScenarioSpec _world;
    readonly ulong _seed;
    readonly SessionState _session;
    readonly List<(ProducerSpec Spec, FirmState State)> _producers;
    readonly List<(ManufacturerSpec Spec, FirmState State)> _manufacturers;
    readonly List<(CountrySpec Spec, CountryState State)> _countries;
    readonly List<MarketState> _markets;

    public ReferenceRunner(ScenarioSpec world, ulong seed)
    {
        _world = world;
        _seed = seed;
        _session = SessionRules.Initialise(world);
        _producers = world.Producers.Select(p => (p, ProducerRules.Initialise(world, p))).ToList();
        _manufacturers = world.Manufacturers.Select(m => (m, ManufacturerRules.Initialise(world, m))).ToList();
        _countries = world.Countries.Select(c => (c, StockpileRules.Initialise(world, c))).ToList();
        _markets = world.Commodities.Select(c => MarketClearing.Initialise(world, c)).ToList();
        // The spin-up: the days before tick 0 run with the same rules, and their frames are not output (ScenarioSpec.SpinUpDays).
        while (_session.Tick < 0) Step();
    }

    public int Tick => _session.Tick;

    /// <summary>The firms' (producers, then manufacturers), countries' and markets' state as of now: to inspect, not to change.</summary>
    public (IReadOnlyList<FirmState> Firms, IReadOnlyList<CountryState> Countries, IReadOnlyList<MarketState> Markets) States =>
        (_producers.Select(p => p.State).Concat(_manufacturers.Select(m => m.State)).ToList(), _countries.Select(c => c.State).ToList(), _markets);

    /// <summary>Set by a test to audit each step: every agent's settlement and report, in settling order (countries, producers,
    /// manufacturers), replaced by each step's (ConservationTests). Null: nothing is kept.</summary>
    internal List<(string AgentId, AgentSettlement Settlement, AgentReport Report)>? Audit { get; set; }

    public Frame Step()
    {
        var plan = SessionRules.Begin(_world, _session);
        var plans = new List<AgentPlan>();
        foreach (var (c, s) in _countries)
            plans.Add(StockpileRules.Plan(_world, s, SessionRules.StockpilesOf(plan, c.Id), plan.Context, SessionRules.UnmetShareOf(_session, c.Id)));
        foreach (var (p, s) in _producers) plans.Add(ProducerRules.Plan(_world, p, s, plan.Context));
        foreach (var (m, s) in _manufacturers) plans.Add(ManufacturerRules.Plan(_world, m, s, plan.Context));

        var orders = SessionRules.Gather(_world, plans);
        var results = _markets.Select(m => MarketClearing.Clear(_world, m, plan.Tick, orders[m.Commodity].Asks, orders[m.Commodity].Bids, plan.InForce, _seed)).ToList();
        var routed = SessionRules.Route(results, SessionRules.Owners(_session), plans.Count);

        var reports = new ReportTotals();
        Audit?.Clear();
        AgentSettlement For(string id) => SessionRules.SettlementFor(plan, routed, id);
        void Add(string id, AgentSettlement st, AgentReport r)
        {
            Audit?.Add((id, st, r));
            reports.Add(r);
        }
        foreach (var (c, s) in _countries) { var st = For(c.Id); Add(c.Id, st, StockpileRules.Settle(s, st)); }
        foreach (var (p, s) in _producers) { var st = For(p.Id); Add(p.Id, st, ProducerRules.Settle(_world, p, s, st, plan.Context)); }
        foreach (var (m, s) in _manufacturers) { var st = For(m.Id); Add(m.Id, st, ManufacturerRules.Settle(_world, m, s, st, plan.Context)); }
        return SessionRules.Finish(_world, _session, plan, results, reports);
    }

    public IEnumerable<Frame> Run(int days)
    {
        for (int i = 0; i < days; i++) yield return Step();
    }
}
