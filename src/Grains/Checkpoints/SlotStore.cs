using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MarketSim.Grains.Checkpoints;

/// <summary>Where in the tick a session member stands: the next tick, and whether it next plans or settles.</summary>
public enum TickPhase { Plan = 0, Settle = 1 }

/// <summary>A grain's Model state as of a position in the run. Runs are deterministic, so (tick, phase) names it exactly.</summary>
[GenerateSerializer]
public sealed class Checkpointed<T>
{
    [Id(0)] public int Tick { get; set; }
    [Id(1)] public TickPhase Phase { get; set; }
    [Id(2)] public T? State { get; set; }
    /// <summary>The session run (generation) the state belongs to: names the world it needs.</summary>
    [Id(3)] public string Generation { get; set; } = "";
}

/// <summary>
/// Named records of one grain in the "marketsim" storage, written and read on demand (not loaded at activation): the two
/// checkpoint slots "0" and "1", and "live" (written at deactivation). Each record is its own key, so a checkpoint writes
/// one slot and never touches the other: the slot of the last committed checkpoint stays intact while the next is written.
/// ETags are tracked per record; a record left by an earlier activation is read once to learn its ETag, then overwritten.
/// </summary>
public sealed class SlotStore<T>(IGrainStorage storage, GrainId grain, string name)
{
    readonly Dictionary<string, string?> _etags = new();

    public static SlotStore<T> For(IServiceProvider services, GrainId grain, string name) =>
        new(services.GetRequiredKeyedService<IGrainStorage>(Persistence.StorageName), grain, name);

    string StateName(string record) => name + "." + record;

    public async Task<T?> ReadAsync(string record)
    {
        var state = new GrainState<T>();
        await storage.ReadStateAsync(StateName(record), grain, state);
        _etags[record] = state.ETag;
        return state.RecordExists ? state.State : default;
    }

    public async Task WriteAsync(string record, T value)
    {
        var state = new GrainState<T>(value) { ETag = _etags.GetValueOrDefault(record) };
        try
        {
            await storage.WriteStateAsync(StateName(record), grain, state);
        }
        catch (InconsistentStateException)
        {
            // Written by an earlier activation (or a write whose answer was lost): learn the current ETag and write again.
            var current = new GrainState<T>();
            await storage.ReadStateAsync(StateName(record), grain, current);
            state.ETag = current.ETag;
            await storage.WriteStateAsync(StateName(record), grain, state);
        }
        _etags[record] = state.ETag;
    }

    public async Task ClearAsync(string record)
    {
        var state = new GrainState<T>();
        await storage.ReadStateAsync(StateName(record), grain, state);
        if (state.RecordExists) await storage.ClearStateAsync(StateName(record), grain, state);
        _etags.Remove(record);
    }
}

/// <summary>A member grain was asked for a step its state is not at: its silo died, or the session rolled back.</summary>
[GenerateSerializer]
public sealed class MemberStateLostException : Exception
{
    public MemberStateLostException() { }
    public MemberStateLostException(string message) : base(message) { }
}
