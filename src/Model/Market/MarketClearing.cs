using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Market;

/// <summary>
/// Clears one commodity for one tick. Each seller asks its segment's price, except across an export control into another segment,
/// where it sells at the buyer's segment price and earns the difference as an export rent. Each buyer is served by the allowed
/// sellers in order of perceived delivered cost (tariff and security premium included), spread over offers within a price band.
/// An oversubscribed seller serves its priority countries first, then the rest; within each, buyers with no other offer in
/// their price band first, then those whose others are full, then those with one that has room; each tier needs first, then
/// pro rata. Policies decide each link: banned,
/// quota-limited, or licensed (one draw per application decides approval; nothing ships before an application's first decision;
/// a refusal blocks that application for a drawn processing delay, an approval opens it as long, shipments arriving after transport). Each segment's price then answers to the supply that can reach
/// its buyers and the demand of those buyers. The result depends only on the inputs as sets: both lists are sorted first.
/// </summary>
public static partial class MarketClearing
{
    const double Eps = 1e-9;
    /// <summary>The least quantity that counts, as a share of the market's size: a millionth of a millionth, far above float
    /// rounding (≈1e-16 of it per operation) and far below any trade. japan-2010's losses move with it (docs/MODEL.md, known
    /// limitations): at 1e-9 to 1e-14 of the size Japan's loss is $30.6–56.1 m.</summary>
    const double SizeTolerance = 1e-12;
    /// <summary>The classes an oversubscribed seller serves in turn (Tier): its priority buyers, then the rest; within each,
    /// requests with no other offer at the same cost, then those whose others are full, then those with one that has room.</summary>
    const int Tiers = 6;

    sealed class Candidate
    {
        public int Ask;
        /// <summary>Price per unit before tariff: the seller's home price, or the buyer's segment price across a control.</summary>
        public double Price;
        /// <summary>The segment whose price this sale is at (and whose supply and demand it counts in): its index in the
        /// world's list, so sums per segment are kept in arrays.</summary>
        public int PriceSegment;
        public double Delivered;
        public double TariffRate;
        /// <summary>The controls that bind the link (ClearingRun.NewLinks sets it; links none binds share one empty list, never
        /// added to).</summary>
        public List<ExportControl> Controls = null!;
        /// <summary>Each control's slot (its id's index among the market's controls), parallel to Controls.</summary>
        public int[] Slots = [];
        /// <summary>Some control on the link is a licence (ClearingRun.UnderLicence), read per request and fill.</summary>
        public bool Licensed;
        // What depends only on the link (seller's ask, buyer country), worked out once per link rather than per fill or request:
        /// <summary>Days in transit to the buyer country (at least 1).</summary>
        public int Transport;
        /// <summary>Whether the buyer country is among the seller's priority buyers.</summary>
        public bool Priority;
        public double Tariff, Subsidy, Rent;
        public string? SubsidyPayer, RentHolder;
        /// <summary>What its fills share (ClearingRun.TermsOf), once the first is made.</summary>
        public FillTerms? Terms;
    }

    /// <summary>One licence application of an order (the whole order when it is not split): the parts of an order share
    /// everything but their licence state and their share of the quantities.</summary>
    readonly record struct Part(int Order, int Application, double Quantity, double Normal);

    sealed class LinkSet
    {
        public List<Candidate> Candidates = new();
        /// <summary>Seller countries a ban closes to this buyer country and end use.</summary>
        public List<string> Banned = new();
        /// <summary>The most applications any licence on these links splits an order into.</summary>
        public int Applications = 1;
        /// <summary>The buyer country's segment.</summary>
        public string Segment = "";
        /// <summary>Links of a buyer an entity list restricts where no control that separates segments restricts it: a control on
        /// named buyers separates none, so the buyer's segment is pooled with the exporter's.</summary>
        public bool Named;
        /// <summary>The states whose licence some seller on these links needs (a licence's id is its state's).</summary>
        public List<string> Licensing = new();
    }

    public static MarketState Initialise(ScenarioSpec world, CommoditySpec c) => new()
    {
        Commodity = c.Id,
        Prices = world.Segments.ToDictionary(s => s.Id, _ => c.ReferencePrice),
    };

    public static ClearingResult Clear(ScenarioSpec world, MarketState state, int tick, IEnumerable<Ask> askInput, IEnumerable<Bid> bidInput,
        IReadOnlyList<PolicySpec> inForce, ulong seed)
        => new ClearingRun(world, state, tick, askInput, bidInput, inForce, seed).Run(); // the rules: ClearingRun.*.cs
}
