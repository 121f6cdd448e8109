using System.Globalization;
using MarketSim.Model.Market;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Agents;

/// <summary>
/// A national stockpile is a seller that sells only to its own country's firms: to any of them while the release rule holds
/// (the country's unmet share last tick, or the price, above a threshold, or a control with release_on_control), and
/// otherwise, standing by, only to urgent bids (firms about to run out before their supply arrives); it buys to refill
/// while the price is low.
/// Its trading account is the country's fiscal cost: purchases minus sales, plus the cost of holding the stock
/// (held × reference price × carrying_cost / 365 a day).
/// </summary>
public static class StockpileRules
{
    public static CountryState Initialise(ScenarioSpec world, CountrySpec c) =>
        new() { Id = c.Id, HomeSegment = world.SegmentOf(c.Id) };

    public static double Held(CountryState s, string stockpileId) => Stock.Total(s.Holdings.GetValueOrDefault(stockpileId));

    /// <param name="unmetShare">This country's unmet share by commodity, last tick.</param>
    public static AgentPlan Plan(ScenarioSpec world, CountryState s, IReadOnlyList<Stockpile> stockpiles, TickContext ctx,
        IReadOnlyDictionary<string, double> unmetShare)
    {
        var asks = new List<Ask>();
        var bids = new List<Bid>();
        s.CarryingCostToday = 0;
        foreach (var sp in stockpiles.OrderBy(x => x.Id, StringComparer.Ordinal))
        {
            if (!s.Holdings.ContainsKey(sp.Id))
            {
                s.Holdings[sp.Id] = new();
                Stock.Add(s.Holdings[sp.Id], world.Commodity(sp.Commodity).InitialOrigin, sp.Initial);
            }
            var held = Held(s, sp.Id);
            var price = ctx.Price(sp.Commodity, s.HomeSegment);
            var reference = world.Commodity(sp.Commodity).ReferencePrice;
            s.CarryingCostToday += held * reference * sp.CarryingCost / 365;
            var unmet = unmetShare.GetValueOrDefault(sp.Commodity);
            // The release rule, and which of its triggers holds (the reason its event gives).
            var trigger = unmet > sp.ReleaseShortageShare ? Trigger.Unmet
                : sp.ReleaseOnControl && ctx.IsControlled(sp.Commodity, s.Id) ? Trigger.Control
                : sp.ReleasePriceFactor > 0 && price >= sp.ReleasePriceFactor * reference ? Trigger.Price
                : Trigger.None;
            var release = trigger != Trigger.None;
            // While its trigger holds it releases what it has, and an empty stockpile waits: it never buys during the shortage
            // it is there to ease, against its own firms (before Dec 2026 an empty one fell through to refilling).
            if (release)
            {
                if (held <= 1e-12) { Note(Empty); continue; }
                Note(Release);
                Offer(held, standby: false);
            }
            else if (sp.RefillPriceFactor > 0 && price <= sp.RefillPriceFactor * reference)
            {
                double inTransit = 0;
                foreach (var sh in s.Pipeline) if (sh.Commodity == sp.Id) inTransit += sh.Quantity;
                var q = Math.Min(sp.RefillPerDay, sp.Size - held - inTransit);
                if (q > 1e-12) bids.Add(new Bid(sp.Id, s.Id, sp.Commodity, EndUse.Civil, q, sp.RefillPriceFactor * reference));
                Note(q > 1e-12 ? Refill : Standby);
            }
            else Note(Standby);
            // Untriggered, it stands by for its firms that would run out before their supply arrives (urgent bids): a shortage
            // seen coming, not yet met. As supply it counts only what it sells (flow 0), so standing by unsold moves no price.
            if (!release && held > 1e-12) Offer(held, standby: true);

            // A change of mode is an event (reported when settling): a release or a refill moves prices and the fiscal cost, and
            // a reader of a run needs the day it began and ended and why. Standing by is the mode of a stockpile not yet seen.
            void Note(string mode)
            {
                var before = s.Modes.GetValueOrDefault(sp.Id, Standby);
                s.Modes[sp.Id] = mode;
                if (mode == before) return;
                var unit = world.Commodity(sp.Commodity).Unit;
                var holding = $"{Num(held)} {unit} held of {Num(sp.Size)}";
                s.EventsToday.Add(mode switch
                {
                    Release => $"{sp.Id} released to {s.Id}'s firms: {Why()}; {holding}",
                    Empty when before == Release => $"{sp.Id} is empty; its release trigger still holds",
                    Empty => $"{sp.Id} would be released ({Why()}) but is empty",
                    Refill => $"{sp.Id} refills at up to {Num(sp.RefillPriceFactor)}x the reference price (today {Num(price / reference)}x); {holding}",
                    _ => before == Refill ? $"{sp.Id} stops refilling; {holding}"
                        : before == Empty ? $"{sp.Id}'s release trigger no longer holds; {holding}"
                        : $"{sp.Id}'s release ends; {holding}",
                });
            }
            string Why() => trigger switch
            {
                Trigger.Unmet => $"{Pct(unmet)} of its firms' need unmet last tick (trigger {Pct(sp.ReleaseShortageShare)})",
                Trigger.Control => $"an export control on {sp.Commodity} to {s.Id}",
                _ => $"price {Num(price / reference)}x the reference (trigger {Num(sp.ReleasePriceFactor)}x)",
            };

            void Offer(double held, bool standby)
            {
                var q = Math.Min(held, sp.MaxReleasePerDay);
                foreach (var o in Stock.Keys(s.Holdings[sp.Id]))
                {
                    var share = q * s.Holdings[sp.Id][o] / held;
                    asks.Add(new Ask(sp.Id, s.Id, sp.Commodity, o, share, standby ? 0 : share, [], [s.Id]) { UrgentOnly = standby });
                }
            }
        }
        // A stockpile whose policy ended (or was removed) while it released or refilled says so once, and is forgotten: a
        // later version with the same id starts from standing by (today's diff review: its mode outlived it, and a version
        // set again 50 days later reported the old release's end then).
        if (s.Modes.Count > stockpiles.Count)
            foreach (var id in s.Modes.Keys.Order(StringComparer.Ordinal).ToList())
            {
                if (stockpiles.Any(sp => sp.Id == id)) continue;
                if (s.Modes[id] is Release or Refill or Empty)
                    s.EventsToday.Add($"{id} is no longer in force: its {(s.Modes[id] == Refill ? "refill" : "release")} ends; {Num(Held(s, id))} held");
                s.Modes.Remove(id);
            }
        return new AgentPlan(s.Id, bids, asks);
    }

    const string Standby = "standby", Release = "release", Empty = "empty", Refill = "refill";
    enum Trigger { None, Unmet, Control, Price }
    static string Num(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
    static string Pct(double x) => (100 * x).ToString(x < 0.01 ? "0.###" : "0.#", CultureInfo.InvariantCulture) + "%";

    public static AgentReport Settle(CountryState s, AgentSettlement st)
    {
        double fiscal = s.CarryingCostToday;
        s.CarryingCostToday = 0;
        foreach (var f in st.Sold)
        {
            Stock.Take(s.Holdings[f.SellerId], f.Origin, f.Quantity);
            fiscal -= f.Quantity * f.Price;
        }
        foreach (var f in st.Bought)
        {
            s.Pipeline.Add(new Shipment(f.BuyerId, f.Origin, f.Quantity, f.ArrivalTick));
            // At the price before the tariff: the tariff a state's stockpile pays is its own state's (a tariff is the importer's),
            // a transfer within the state, not a cost of the measure; tariff revenue leaves it out too (SessionRules.Accounts).
            // Before Dec 2026 a Japanese stockpile buying Chinese Dy across a 100% Japanese tariff cost $22.1 m for $10.6 m of Dy.
            fiscal += f.Quantity * f.Price;
        }
        var keep = new List<Shipment>();
        foreach (var sh in s.Pipeline)
        {
            if (sh.ArrivalTick <= st.Tick)
            {
                if (!s.Holdings.TryGetValue(sh.Commodity, out var h)) s.Holdings[sh.Commodity] = h = new();
                Stock.Add(h, sh.Origin, sh.Quantity);
            }
            else keep.Add(sh);
        }
        s.Pipeline = keep;
        var events = s.EventsToday.Count == 0 ? [] : s.EventsToday.ToArray();
        s.EventsToday.Clear();
        return new AgentReport(s.Id, s.Id, "government", 0, 0, [], [], fiscal) { Events = events };
    }
}
