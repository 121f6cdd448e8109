using System.Text.Json;
using MarketSim.Model.Agents;

namespace MarketSim.Model.Tests;

/// <summary>The pipeline is a ring of compact entries with a table of lots; it must read exactly as a list that shifted its
/// entries every time would.</summary>
public class PipelineTests
{
    [Fact]
    public void Reads_as_a_list_through_random_bookings_and_arrivals()
    {
        var rng = new Random(12345);
        var pipeline = new Pipeline();
        var list = new List<Shipment>();
        for (int tick = 0; tick < 2000; tick++)
        {
            // A few bookings at random lead times (kept in arrival order by Pipeline.Book), then the day's arrivals.
            for (int k = rng.Next(0, 4); k > 0; k--)
            {
                var sh = new Shipment(rng.Next(2) == 0 ? "oxide" : "dy", rng.Next(2) == 0 ? "CN" : "AU", rng.NextDouble(), tick + rng.Next(1, 60));
                pipeline.Book(sh);
                var i = list.FindLastIndex(x => x.ArrivalTick <= sh.ArrivalTick) + 1;
                var same = list.FindIndex(x => x.ArrivalTick == sh.ArrivalTick && x.Commodity == sh.Commodity && x.Origin == sh.Origin);
                if (same >= 0) list[same] = list[same] with { Quantity = list[same].Quantity + sh.Quantity };
                else list.Insert(i, sh);
            }
            AssertInTransit(pipeline, list); // after the bookings: the per-commodity totals a firm plans with are rebuilt
            var state = new FirmState { Pipeline = pipeline };
            Procurement.Arrive(state, tick);
            list.RemoveAll(x => x.ArrivalTick <= tick);
            AssertInTransit(pipeline, list); // and after the arrivals
            Assert.Equal(list, pipeline.ToList());
            Assert.Equal(list, pipeline.Select(x => x)); // through the enumerator, not CopyTo
            Assert.Equal(list.Count, pipeline.Count);
            // Quantity adds what a loop over the shipments adds, in the same order (the same bits), from a start.
            foreach (var (k, due) in new[] { ("oxide", int.MaxValue), ("dy", tick + 20), ("ore", int.MaxValue) })
            {
                var sum = 0.5;
                foreach (var x in list) if (x.Commodity == k && x.ArrivalTick <= due) sum += x.Quantity;
                Assert.Equal(sum, pipeline.Quantity(k, due, start: 0.5));
            }
            if (list.Count > 0) Assert.Equal(list[^1], pipeline[pipeline.Count - 1]);
        }
    }

    /// <summary>All of a commodity in transit (Quantity with no due day and no start, served from totals kept between changes)
    /// is the loop's sum from 0 in arrival order, to the bit, for each commodity asked in turn.</summary>
    static void AssertInTransit(Pipeline pipeline, List<Shipment> list)
    {
        foreach (var k in new[] { "oxide", "dy", "ore", "oxide" })
        {
            double sum = 0;
            foreach (var x in list) if (x.Commodity == k) sum += x.Quantity;
            Assert.Equal(sum, pipeline.Quantity(k));
        }
    }

    [Fact]
    public void A_batch_books_as_its_shipments_one_by_one()
    {
        var rng = new Random(777);
        var batched = new Pipeline();
        var single = new Pipeline();
        for (int tick = 0; tick < 1000; tick++)
        {
            // A tick's fills: several on the same days and lots (they merge), on days before and after those already booked.
            var batch = new Shipment[rng.Next(0, 40)];
            for (int k = 0; k < batch.Length; k++)
                batch[k] = new Shipment(rng.Next(3) == 0 ? "oxide" : "dy", rng.Next(3) == 0 ? "CN" : "AU", rng.NextDouble(), tick + rng.Next(1, 12) * 5);
            batched.Book(batch);
            foreach (var sh in batch) single.Book(sh);
            Assert.Equal(single.ToList(), batched.ToList()); // record equality: the same quantities, merged in the same order
            var state = new FirmState { Pipeline = batched };
            Procurement.Arrive(state, tick);
            Procurement.Arrive(new FirmState { Pipeline = single }, tick);
        }
        Assert.True(single.Count > 50);
    }

    [Fact]
    public void Round_trips_through_json_and_removes_an_entry()
    {
        var p = new Pipeline();
        for (int i = 0; i < 10; i++) p.Add(new Shipment("oxide", "CN", i, i));
        p.RemoveFirst(4);
        var back = JsonSerializer.Deserialize<FirmState>(JsonSerializer.Serialize(new FirmState { Pipeline = p }))!;
        Assert.Equal(p.ToList(), back.Pipeline.ToList());
        Assert.True(back.Pipeline.Remove(new Shipment("oxide", "CN", 6, 6)));
        Assert.Equal([4, 5, 7, 8, 9], back.Pipeline.Select(s => s.ArrivalTick));
        Assert.True(p.Remove(new Shipment("oxide", "CN", 5, 5))); // with arrivals gone from the front (an offset)
        Assert.Equal([4, 6, 7, 8, 9], p.Select(s => s.ArrivalTick));
        var copy = new Shipment[7];
        p.CopyTo(copy, 2);
        Assert.Equal([4, 6, 7, 8, 9], copy.Skip(2).Select(s => s.ArrivalTick));
        Assert.Throws<ArgumentOutOfRangeException>(() => p.RemoveFirst(6));
    }

    [Fact]
    public void Reads_removes_and_copies_across_the_end_of_the_ring()
    {
        var p = new Pipeline();
        for (int i = 0; i < 6; i++) p.Add(new Shipment("oxide", "CN", i, i)); // the ring grows 4 -> 6 and is full
        p.RemoveFirst(4); // the two left sit at the array's end
        for (int i = 6; i < 9; i++) p.Add(new Shipment("dy", "AU", i, i)); // these wrap to its start
        Assert.Equal([4, 5, 6, 7, 8], p.Select(s => s.ArrivalTick));
        Assert.Equal(6 + 7, p.Quantity("dy", dueBy: 7));
        p.Book(new Shipment("dy", "AU", 0.5, 7)); // merges into the day's entry of its lot
        Assert.Equal(new Shipment("dy", "AU", 7.5, 7), p[3]);
        Assert.Equal(5, p.Count);
        Assert.Equal(6 + 7.5 + 8, p.Quantity("dy")); // all in transit, from the totals kept between changes
        Assert.True(p.Remove(new Shipment("dy", "AU", 6, 6)));
        Assert.Equal(7.5 + 8, p.Quantity("dy")); // a removal changes them
        Assert.Equal([4, 5, 7, 8], p.Select(s => s.ArrivalTick));
        var copy = new Shipment[5];
        p.CopyTo(copy, 1);
        Assert.Equal(["oxide", "oxide", "dy", "dy"], copy.Skip(1).Select(s => s.Commodity));
        Assert.Equal([4.0, 5.0, 7.5, 8.0], copy.Skip(1).Select(s => s.Quantity));
        Assert.Throws<ArgumentException>(() => p.CopyTo(new Shipment[4], 1));
        Assert.Equal(4 + 5, p.Quantity("oxide"));
        p.Clear();
        Assert.Equal(0, p.Quantity("oxide"));
        p.Add(new Shipment("oxide", "CN", 2, 3));
        Assert.Equal(2, p.Quantity("oxide"));
    }
}
