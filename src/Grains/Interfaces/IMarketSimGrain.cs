namespace MarketSim.Grains.Interfaces;

/// <summary>What every grain of a session offers besides its own work: where it runs (for tests and operators) and an end.</summary>
public interface IMarketSimGrain : IGrainWithStringKey
{
    /// <summary>The identity of the silo hosting this activation.</summary>
    Task<string> GetSiloAsync();

    /// <summary>Clears the persisted state and lets the activation go.</summary>
    Task EndAsync();
}
