using MarketSim.Model.Simulation;

namespace MarketSim.Grains.Interfaces;

/// <summary>
/// Receives a session's frames as they are made, pushed by the session grain (no polling). One-way calls: a slow or gone
/// observer never holds up the clock. Delivery order is not guaranteed, so a receiver orders by <see cref="Frame.Tick"/>
/// and fills gaps from <see cref="ISessionGrain.GetFramesAsync"/>. Subscriptions expire (see
/// <see cref="ISessionGrain.SubscribeAsync"/>): subscribe again periodically.
/// </summary>
public interface ISessionObserver : IGrainObserver
{
    /// <summary>A tick has finished; its frame is already in the session's history.</summary>
    void OnFrame(string sessionId, Immutable<Frame> frame);

    /// <summary>The session was (re)started at tick 0: every frame received before is void.</summary>
    void OnRestarted(string sessionId);
}
