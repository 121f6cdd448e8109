using MarketSim.Model.Policies;

namespace MarketSim.Model.Simulation;

/// <summary>What the session (the clock) carries between ticks, besides the agents' and markets' own state.</summary>
public sealed class SessionState
{
    /// <summary>The next tick to run.</summary>
    public int Tick { get; set; }
    /// <summary>"commodity@segment" → price for the next tick.</summary>
    public Dictionary<string, double> Prices { get; set; } = new();
    /// <summary>"country|commodity" → unmet share last tick (the stockpile release rule reads it).</summary>
    public Dictionary<string, double> LastUnmetShare { get; set; } = new();
    /// <summary>"country|sector" → cumulative production loss.</summary>
    public Dictionary<string, double> CumulativeLoss { get; set; } = new();
    public Dictionary<string, double> CumulativeFiscal { get; set; } = new();
    /// <summary>"country|sector" → cumulative value added made at reference prices.</summary>
    public Dictionary<string, double> CumulativeValueAdded { get; set; } = new();
    /// <summary>"country|sector" → cumulative indirect loss.</summary>
    public Dictionary<string, double> CumulativeIndirect { get; set; } = new();
    /// <summary>The timeline: the scenario's policies plus any changed while the session runs.</summary>
    public List<PolicySpec> Policies { get; set; } = new();
}
