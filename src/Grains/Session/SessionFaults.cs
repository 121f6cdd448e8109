namespace MarketSim.Grains.Session;

/// <summary>
/// Test-only fault injection: registered as a singleton in a silo's services (never by the shipped hosts), it may throw
/// inside a session's tick, as a bug in the model would. <see cref="AtTick"/> gets the session id and the tick being
/// computed and returns an exception to throw there, or null. Used to show that a tick recomputing cannot fix ends the
/// session with a clear error instead of rolling back forever.
/// </summary>
public sealed class SessionFaults
{
    public Func<string, int, Exception?>? AtTick { get; set; }
}

/// <summary>
/// The session ended on an error that recomputing did not fix: the same tick failed again after a rollback to the last
/// checkpoint and one recomputation (a deterministic bug or a state the model cannot handle, not a lost silo). Every
/// later Step/RunTo is refused with the same message until the session is reset or ended.
/// </summary>
[GenerateSerializer]
public sealed class SessionFaultedException : Exception
{
    public SessionFaultedException() { }
    public SessionFaultedException(string message) : base(message) { }
    public SessionFaultedException(string message, Exception inner) : base(message, inner) { }
}
