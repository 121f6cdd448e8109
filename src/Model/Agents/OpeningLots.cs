using System.Runtime.CompilerServices;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Agents;

/// <summary>
/// What the material in a firm's opening stock and pipeline is made of: the lots its suppliers sold it in the steady state
/// before any policy (docs/MODEL.md, "Origin of the opening stock"). A producer without inputs (a mine) makes material of its
/// own country. A producer with inputs makes one lot per origin of its primary input's lots, in their proportions, and with
/// content tracking each carries the value mix of all its inputs' lots plus its own value added, as it does every tick
/// (ProducerRules.Produce). A buyer's lots of an input are its open suppliers' lots, weighted as Procurement.OpenSuppliers
/// weighs the suppliers. Before Dec 2026 every opening lot carried the commodity's `initial_origin` (CN), whoever supplied
/// it: Lynas's NdPr, separated from Mt Weld concentrate, opened as Chinese, and a content rule read it so until it was used.
/// </summary>
public static class OpeningLots
{
    /// <summary>A lot's key (Provenance) and its share of the material.</summary>
    public readonly record struct Lot(string Key, double Share);

    /// <summary>One supplier's part of a buyer's opening purchases: its lead time, share and lots.</summary>
    public readonly record struct Source(double Days, double Share, IReadOnlyList<Lot> Lots);

    // Every producer's opening output lots, built once per world (a world is shared by the grains of a silo, and read only; Lazy,
    // so grains starting together on several threads do not each build it).
    static readonly ConditionalWeakTable<ScenarioSpec, Lazy<Table>> Tables = new();

    static Table For(ScenarioSpec world) => Tables.GetValue(world, static w => new Lazy<Table>(() =>
    {
        var t = new Table(w, []);
        foreach (var p in w.Producers.OrderBy(p => p.Id, StringComparer.Ordinal)) t.Of(p);
        return t;
    }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>The opening lots of <paramref name="commodity"/> a buyer holds, by supplier (Procurement.OpenSuppliers' weights and order;
    /// a buyer with its own lead time has one source, every supplier's lots mixed; an input no producer makes, its initial origin).</summary>
    public static IReadOnlyList<Source> Supply(ScenarioSpec world, string commodity, string buyerId, string buyerCountry, double? leadTimeDays)
    {
        var t = For(world);
        return Supply(world, commodity, buyerId, buyerCountry, leadTimeDays, p => t.Done[p.Id]);
    }

    /// <summary>The lots of a producer's opening output (one the world does not list, as rule tests make, or a changed copy of one
    /// it lists, is worked out alone).</summary>
    public static IReadOnlyList<Lot> Output(ScenarioSpec world, ProducerSpec p)
    {
        var t = For(world);
        if (t.Done.TryGetValue(p.Id, out var lots) && world.Producers.Any(x => ReferenceEquals(x, p))) return lots;
        var alone = new Dictionary<string, Lot[]>(t.Done, StringComparer.Ordinal);
        alone.Remove(p.Id);
        return new Table(world, alone).Of(p);
    }

    static IReadOnlyList<Source> Supply(ScenarioSpec world, string commodity, string buyerId, string buyerCountry, double? leadTimeDays,
        Func<ProducerSpec, IReadOnlyList<Lot>> lotsOf)
    {
        var suppliers = Procurement.OpenSuppliers(world, commodity, buyerId, buyerCountry);
        if (suppliers.Count == 0)
        {
            var origin = world.Commodity(commodity).InitialOrigin;
            return [new(leadTimeDays ?? world.Transport.DaysBetween(origin, buyerCountry), 1, [new(origin, 1)])];
        }
        var sources = suppliers.Select(x => new Source(x.Days, x.Share, lotsOf(x.Producer))).ToList();
        // A firm with its own lead time has one supplier in the opening pipeline: all of them, mixed, at that lead time.
        return leadTimeDays is { } own ? [new(own, 1, Mix(sources))] : sources;
    }

    /// <summary>The sources' lots weighted by their shares, one entry per key, in ordinal key order.</summary>
    public static IReadOnlyList<Lot> Mix(IEnumerable<Source> sources)
    {
        var byKey = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in sources)
            foreach (var l in s.Lots) byKey[l.Key] = byKey.GetValueOrDefault(l.Key) + s.Share * l.Share;
        return byKey.Select(x => new Lot(x.Key, x.Value)).ToArray();
    }

    sealed class Table(ScenarioSpec world, Dictionary<string, Lot[]> done)
    {
        readonly HashSet<string> _making = new(StringComparer.Ordinal);
        public Dictionary<string, Lot[]> Done => done;

        public Lot[] Of(ProducerSpec p)
        {
            if (done.TryGetValue(p.Id, out var known)) return known;
            var primary = ProducerRules.Primary(p);
            // A cycle of producers (each another's supplier) has no steady state to read: the lots its start would have had before.
            if (!_making.Add(p.Id)) return [new(primary is null ? p.Country : world.Commodity(primary).InitialOrigin, 1)];
            var lots = primary is null ? [new(p.Country, 1)] : Made(p, primary);
            _making.Remove(p.Id);
            return done[p.Id] = lots;
        }

        Lot[] Made(ProducerSpec p, string primary)
        {
            var inputs = p.InputOrder().ToDictionary(k => k, k => Mix(Supply(world, k, p.Id, p.Country, p.LeadTimeDays, Of)), StringComparer.Ordinal);
            if (!world.ContentOrigin) return inputs[primary].ToArray();
            var used = new List<(string Key, double Quantity, double Price)>();
            foreach (var k in p.InputOrder())
                foreach (var l in inputs[k]) used.Add((l.Key, p.Inputs[k] * l.Share, world.Commodity(k).ReferencePrice));
            var value = ProducerRules.OutputValue(world, p, 1);
            var byOrigin = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var l in inputs[primary])
            {
                var o = Provenance.Origin(l.Key);
                byOrigin[o] = byOrigin.GetValueOrDefault(o) + l.Share;
            }
            return byOrigin.Select(x => new Lot(Provenance.Make(x.Key, p.Country, used, value, world.ContentCountries()), x.Value)).ToArray();
        }
    }
}
