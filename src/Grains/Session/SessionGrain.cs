using System.Diagnostics;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Agents;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Utilities;

namespace MarketSim.Grains.Session;

[GenerateSerializer]
public sealed class SessionGrainState
{
    [Id(0)] public ScenarioSpec? World { get; set; }
    [Id(1)] public ulong Seed { get; set; }
    [Id(2)] public SessionSettings Settings { get; set; } = SessionSettings.Default;
    [Id(3)] public SessionState? Clock { get; set; }
    /// <summary>In memory only: the committed ones are stored in append-only blocks (SessionGrain.Checkpoints.cs).</summary>
    [field: NonSerialized] public List<Frame> Frames { get; set; } = new();
    /// <summary>The number of the committed checkpoint; its members' state is in slot Seq % 2.</summary>
    [Id(5)] public int Seq { get; set; }
    /// <summary>The tick each frame block ends at (exclusive); the last is the committed tick.</summary>
    [Id(6)] public List<int> BlockEnds { get; set; } = new();
    /// <summary>A fresh id per StartAsync: names this run's frame blocks, so a restart never reads an older run's.</summary>
    [Id(7)] public string Generation { get; set; } = "";
}

/// <summary>
/// The clock. Each tick mirrors <see cref="ReferenceRunner.Step"/> call for call: Begin; countries and shards plan (in
/// parallel); Gather; every market clears (in parallel); Route; countries and shards settle; Finish. Lists are assembled in the
/// reference runner's order (countries, producers, manufacturers; markets in scenario order), so every rule sees the same input.
/// </summary>
public sealed partial class SessionGrain(
    [PersistentState("session", Persistence.StorageName)] IPersistentState<SessionGrainState> store,
    ILogger<SessionGrain> logger)
    : Grain, ISessionGrain
{
    // Observers are in-memory only: after a deactivation the web hosts' periodic re-subscription brings them back.
    readonly ObserverManager<ISessionObserver> _observers = new(SessionObservers.Expiry, logger);
    SessionTopology? _topology;
    readonly List<PolicyChange> _pending = new();
    readonly SemaphoreSlim _timelineWrites = new(1, 1);
    bool _inTick, _dirty;

    string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        if (store.State.World is { } world)
        {
            _topology = SessionTopology.Build(GrainFactory, Id, world, store.State.Settings);
            await LoadCommittedAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        // The "session" record is the commit record: only CommitAsync writes it. Ticks since then go to the live record.
        if (_dirty && !Persistence.StorageLeavesWithSilo(ServiceProvider, reason)) await WriteLiveAsync();
        await base.OnDeactivateAsync(reason, ct);
    }

    (ScenarioSpec World, SessionState Clock, SessionTopology Topology) Started()
    {
        if (store.State is { World: { } w, Clock: { } c } && _topology is { } t) return (w, c, t);
        // Asking a grain activates it: a lookup of an id nobody started (a web host of the cluster looking for a session it
        // does not know) must not keep an activation in memory for the idle collection age.
        if (store.State.World is null) DeactivateOnIdle();
        throw new InvalidOperationException($"Session \"{Id}\" has not been started.");
    }

    public async Task StartAsync(Immutable<ScenarioSpec> scenario, ulong seed, SessionSettings settings)
    {
        GrainKeys.ValidateSessionId(Id);
        var world = scenario.Value;
        _pending.Clear();
        _fault = null;
        _suspect = null;
        var (oldGeneration, oldBlocks) = (store.State.Generation, store.State.BlockEnds.Count);
        _topology = SessionTopology.Build(GrainFactory, Id, world, settings);
        store.State = new SessionGrainState
        {
            World = world, Seed = seed, Settings = settings, Clock = SessionRules.Initialise(world), Generation = Guid.NewGuid().ToString("N"),
        };
        _restoreMembers = false;
        await ClearRecordsAsync(oldGeneration, oldBlocks);

        // Checkpoint #0 is the scenario itself: the members initialise in memory and write nothing; this write commits it.
        await InitialiseMembersAsync();
        await store.WriteStateAsync();
        _dirty = false;
        using (Scope()) logger.LogInformation("Session {SessionId} started: {Agents} agents in {Shards} shards, seed {Seed}, checkpoint every {Every} ticks",
            Id, world.Producers.Count + world.Manufacturers.Count, _topology.Shards.Count, seed, settings.CheckpointEvery);
        _observers.Notify(o => o.OnRestarted(Id));
    }

    public async Task<int> StepAsync(int ticks)
    {
        if (ticks < 0) throw new ArgumentOutOfRangeException(nameof(ticks), ticks, "Cannot step a negative number of ticks.");
        // A target, not a count: a rollback mid-way recomputes ticks, and the caller still gets the ticks it asked for. Counted
        // from day 0 while a spin-up remains: its days are not the caller's ticks.
        var target = Math.Max(0, Started().Clock.Tick) + ticks;
        ThrowIfFaulted();
        while (Started().Clock.Tick < target && !Leaving()) await TickWithRecoveryAsync();
        return Started().Clock.Tick;
    }

    public async Task<int> RunToAsync(int tick)
    {
        ThrowIfFaulted();
        while (Started().Clock.Tick < tick && !Leaving()) await TickWithRecoveryAsync();
        return Started().Clock.Tick;
    }

    async Task TickAsync()
    {
        var (world, clock, topology) = Started();
        foreach (var change in _pending) PolicyTimeline.Apply(clock.Policies, change, clock.Tick);
        _pending.Clear();

        _worldBytes = null; // a serialised world is kept only while silos are fetching it (GetWorldPartAsync)
        _inTick = true;
        _runningTick = clock.Tick;
        Frame frame;
        try
        {
            if (ServiceProvider.GetService(typeof(SessionFaults)) is SessionFaults { AtTick: { } inject } && inject(Id, clock.Tick) is { } injected)
                throw injected;
            var wall = Stopwatch.StartNew();
            var serial = Stopwatch.StartNew();
            var plan = SessionRules.Begin(world, clock);
            var context = plan.Context.AsImmutable();

            var countryPlans = world.Countries.Select((c, i) => topology.Countries[i].PlanAsync(context,
                SessionRules.StockpilesOf(plan, c.Id).AsImmutable(), SessionRules.UnmetShareOf(clock, c.Id).AsImmutable())).ToArray();
            var shardPlans = new AgentPlan[topology.Shards.Count][];
            serial.Stop();
            // Both awaited whatever fails, so no call is left running into the rollback that follows a failed tick.
            await Task.WhenAll(BoundedFanOut.RunAsync(shardPlans.Length, ShardCallsAtOnce,
                async i => shardPlans[i] = (await topology.Shards[i].Grain.PlanAsync(context)).Value), Task.WhenAll(countryPlans));
            var plans = new List<AgentPlan>();
            serial.Start();
            foreach (var p in countryPlans) plans.Add(p.Result.Value);
            foreach (var s in shardPlans) plans.AddRange(s);

            var orders = SessionRules.Gather(world, plans);
            var inForce = plan.InForce.AsImmutable();
            var clearing = world.Commodities.Select((c, i) =>
                topology.Markets[i].ClearAsync(plan.Tick, orders[c.Id].Asks.AsImmutable(), orders[c.Id].Bids.AsImmutable(), inForce)).ToArray();
            serial.Stop();
            var clear = Stopwatch.StartNew();
            var results = (await Task.WhenAll(clearing)).Select(r => r.Value).ToList();
            clear.Stop();
            serial.Start();
            var routed = SessionRules.Route(results, SessionRules.Owners(clock), plans.Count);

            var countrySettle = world.Countries.Select((c, i) =>
                topology.Countries[i].SettleAsync(SessionRules.SettlementFor(plan, routed, c.Id).AsImmutable())).ToArray();
            var settlements = topology.Shards.Select(s => s.Agents.Select(a => SessionRules.SettlementFor(plan, routed, a.Id)).ToArray()).ToArray();
            var shardSettle = new ReportTotals[topology.Shards.Count];
            serial.Stop();
            await Task.WhenAll(BoundedFanOut.RunAsync(shardSettle.Length, ShardCallsAtOnce,
                async i => shardSettle[i] = (await topology.Shards[i].Grain.SettleAsync(settlements[i].AsImmutable(), context)).Value),
                Task.WhenAll(countrySettle));
            // Shards fold their agents' reports; exact sums make the total the reference runner's whatever the sharding.
            var reports = new ReportTotals();
            serial.Start();
            foreach (var r in countrySettle) reports.Add(r.Result.Value);
            foreach (var s in shardSettle) reports.Add(s);

            frame = SessionRules.Finish(world, clock, plan, results, reports);
            _timings = new SessionTimings(_timings.Ticks + 1, _timings.Serial + serial.Elapsed.TotalSeconds,
                _timings.Clear + clear.Elapsed.TotalSeconds, _timings.Wall + wall.Elapsed.TotalSeconds);
        }
        finally
        {
            _inTick = false;
        }
        // A day of the spin-up (ScenarioSpec.SpinUpDays, ticks below 0) moves the state and makes no frame: no observer hears of
        // it and no checkpoint is taken in it (a rollback goes to checkpoint #0, the scenario, and steps it again).
        if (frame.Tick < 0)
        {
            _dirty = true;
            return;
        }
        store.State.Frames.Add(frame);
        if (_suspect is { } suspect && frame.Tick >= suspect.Tick) _suspect = null; // recomputing fixed it
        _dirty = true;
        _observers.Notify(o => o.OnFrame(Id, frame.AsImmutable()));
        if (Persistence.IsCheckpoint(frame.Tick, store.State.Settings.CheckpointEvery))
        {
            await CommitAsync();
            _dirty = false;
        }
    }

    SessionTimings _timings = new(0, 0, 0, 0);

    public Task<SessionTimings> GetTimingsAsync() => Task.FromResult(_timings);

    public Task<int> GetTickAsync() => Task.FromResult(Started().Clock.Tick);

    public Task<Immutable<IReadOnlyList<Frame>>> GetFramesAsync(int fromTick)
    {
        var frames = store.State.Frames;
        var from = Math.Clamp(fromTick, 0, frames.Count);
        // A copy: the caller may hold it while later ticks append to ours.
        IReadOnlyList<Frame> slice = frames.GetRange(from, frames.Count - from);
        return Task.FromResult(slice.AsImmutable());
    }

    public Task<Immutable<IReadOnlyList<Frame>>> GetFramePageAsync(int fromTick, int maxCount)
    {
        var frames = store.State.Frames;
        var from = Math.Clamp(fromTick, 0, frames.Count);
        IReadOnlyList<Frame> page = frames.GetRange(from, Math.Min(Math.Max(maxCount, 0), frames.Count - from));
        return Task.FromResult(page.AsImmutable());
    }

    public Task<Immutable<ScenarioSpec>> GetScenarioAsync() => Task.FromResult(Started().World.AsImmutable());

    public Task<WorldPart> GetWorldPartAsync(string generation, int part)
    {
        // "" is a record written before members kept their run: it can only be restored into the current one.
        if (store.State is not { World: { } world } || !(store.State.Generation == generation || generation == ""))
            throw new Checkpoints.MemberStateLostException($"Session \"{Id}\" is not running generation {generation}.");
        // Serialised once for all the parts and silos that ask (calls interleave, but this runs without awaiting); let go of
        // once the members are initialised and at every tick's start (a silo that asks later serialises it again, under a
        // new token: a fetch that straddles the two starts over).
        if (_worldBytes?.Generation != store.State.Generation)
            _worldBytes = (store.State.Generation, ServiceProvider.GetRequiredService<Serializer>().SerializeToArray(world), Guid.NewGuid());
        var (_, bytes, token) = _worldBytes.Value;
        return Task.FromResult(SessionWorlds.Part(bytes, part, token));
    }

    (string Generation, byte[] Bytes, Guid Token)? _worldBytes;

    /// <summary>
    /// Every member at tick 0 from the scenario, in memory (at start, and as the rollback to checkpoint #0). Members fetch the
    /// world from their silo's copy (<see cref="SessionWorlds"/>): only shard ranges and ids cross to other silos here.
    /// </summary>
    async Task InitialiseMembersAsync()
    {
        var (world, _, topology) = Started();
        var generation = store.State.Generation;
        ServiceProvider.GetRequiredService<SessionWorlds>().Put(Id, generation, world);
        var tasks = new List<Task>();
        tasks.AddRange(world.Countries.Select((c, i) => topology.Countries[i].InitialiseAsync(generation, c.AsImmutable())));
        tasks.AddRange(world.Commodities.Select((c, i) => topology.Markets[i].InitialiseAsync(generation, c.Id, store.State.Seed)));
        // A bounded number of shards at a time. The bound dates from when each shard activated a grain per firm (100,000
        // directory registrations in flight made a loaded 3-silo cluster time out); now each builds its firms' opening state,
        // CPU work that eight at a time still spreads over the silos (a 100k start on three silos: 11.4 s, Dec 2026).
        await Task.WhenAll(BoundedFanOut.RunAsync(topology.Shards.Count, ShardsInitialisingAtOnce,
            i => topology.Shards[i].Grain.InitialiseAsync(generation, topology.Shards[i].Agents.AsImmutable())), Task.WhenAll(tasks));
        _worldBytes = null; // every silo holding a member has its copy now
    }

    const int ShardsInitialisingAtOnce = 8;

    /// <summary>Shards called at once in a tick (BoundedFanOut): 64 answers of ≈256 firms' plans are a few MB in flight, and
    /// keep three silos of two cores busy.</summary>
    const int ShardCallsAtOnce = 64;

    /// <summary>The first tick a change made now would reach: the running tick has already read the timeline.</summary>
    // A live change lands on day 0 at the earliest: one sent while the spin-up runs (ticks below 0) would otherwise rewrite the
    // days before the start, which stand for what already happened (ScenarioSpec.SpinUpDays).
    int NextTick(SessionState clock) => Math.Max(0, _inTick ? clock.Tick + 1 : clock.Tick);

    List<PolicySpec> Preview(SessionState clock)
    {
        var timeline = clock.Policies.ToList();
        foreach (var change in _pending) PolicyTimeline.Apply(timeline, change, NextTick(clock));
        return timeline;
    }

    public Task<Immutable<IReadOnlyList<PolicySpec>>> GetPoliciesAsync()
    {
        IReadOnlyList<PolicySpec> timeline = Preview(Started().Clock);
        return Task.FromResult(timeline.AsImmutable());
    }

    public Task<int> SetPolicyAsync(PolicySpec policy) => SetPolicyWithinAsync(policy, PolicyTimeline.MaxVersions);

    public async Task<int> SetPolicyWithinAsync(PolicySpec policy, int maxPolicies)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var from = await ChangeAsync([new PolicyChange(policy, null)], Math.Min(maxPolicies, PolicyTimeline.MaxVersions));
        return Math.Max(policy.Start, from); // a start in the future is kept (PolicyTimeline.Apply moves only earlier ones)
    }

    public Task<int> RemovePolicyAsync(string policyId) =>
        ChangePoliciesAsync([new PolicyChange(null, policyId ?? throw new ArgumentNullException(nameof(policyId)))]);

    public Task<int> ChangePoliciesAsync(IReadOnlyList<PolicyChange> changes) => ChangeAsync(changes, PolicyTimeline.MaxVersions);

    // Checked and applied before the first await: calls interleave only at awaits, so no other change lands between the
    // check of the limit and the change.
    async Task<int> ChangeAsync(IReadOnlyList<PolicyChange> changes, int limit)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Any(c => c is null)) throw new ArgumentException("A change is missing.", "policy");
        var (world, clock, _) = Started();
        var preview = Preview(clock);
        var next = NextTick(clock);
        foreach (var change in changes)
        {
            PolicyTimeline.Validate(world, preview, change, next);
            PolicyTimeline.Apply(preview, change, next);
        }
        if (preview.Count > limit)
            throw new ArgumentException($"the session would hold {preview.Count} policies (versions included), more than the {limit} a session may hold", "policy");
        // Mid-tick the changes wait, so a tick never sees its timeline move under it; between ticks they wait too while earlier
        // ones still do (a tick's commit lets calls in before the next tick applies them), so no change overtakes an earlier
        // one. Otherwise the timeline becomes the preview whole: a batch lands entirely or, refused above, not at all.
        if (_inTick || _pending.Count > 0) _pending.AddRange(changes);
        else
        {
            clock.Policies.Clear();
            clock.Policies.AddRange(preview);
        }
        _dirty = true;
        // Stored at once, so a crash before the next checkpoint loses no change (recovery replays with this timeline). Calls
        // interleave, so writes go one at a time and each takes the timeline as it is when its turn comes: the last write to
        // land always holds every change made before it.
        await _timelineWrites.WaitAsync();
        try { await SaveTimelineAsync(Preview(Started().Clock)); }
        finally { _timelineWrites.Release(); }
        return next;
    }

    public Task SubscribeAsync(ISessionObserver observer)
    {
        _observers.Subscribe(observer ?? throw new ArgumentNullException(nameof(observer)), observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ISessionObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task<SessionReplay> GetReplayAsync()
    {
        var (world, clock, _) = Started();
        return Task.FromResult(new SessionReplay(world with { Policies = Preview(clock) }, store.State.Seed, clock.Tick, store.State.Settings));
    }

    public Task<string> GetSiloAsync() => Task.FromResult(RuntimeIdentity);

    public async Task<IReadOnlyList<string>> GetSilosAsync()
    {
        var (_, _, topology) = Started();
        var silos = await Task.WhenAll(topology.All.Select(g => g.GetSiloAsync()));
        return silos.Append(RuntimeIdentity).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public async Task EndAsync()
    {
        if (_topology is { } topology) await Task.WhenAll(topology.All.Select(g => g.EndAsync()));
        _topology = null;
        _pending.Clear();
        _dirty = false;
        await ClearRecordsAsync(store.State.Generation, store.State.BlockEnds.Count);
        await store.ClearStateAsync();
        ServiceProvider.GetRequiredService<SessionWorlds>().Forget(Id);
        DeactivateOnIdle();
    }
}
