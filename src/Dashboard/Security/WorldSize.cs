using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Security;

/// <summary>
/// How large a world the start page runs. The YAML limits bound a file's size and shape, not the work it asks for: a valid
/// 500 KB file with 209 countries and 3,266 agents takes about half a minute of CPU a tick and most of a gigabyte, and a shared
/// server would give both cores to it. The command line has no such limit (an analyst's own machine).
/// </summary>
public static class WorldSize
{
    /// <summary>Null when the world is within the limits, else what is over, in the user's words.</summary>
    public static string? Problem(ScenarioSpec world, DashboardLimits limits)
    {
        if (world.Countries.Count > limits.MaxUploadCountries)
            return $"countries: {world.Countries.Count}, more than the {limits.MaxUploadCountries} a session on this server may have (MaxUploadCountries); run it with the command line (marketsim run)";
        var agents = world.Producers.Count + world.Manufacturers.Count;
        if (agents > limits.MaxUploadAgents)
            return $"producers and manufacturers' firms: {agents}, more than the {limits.MaxUploadAgents} a session on this server may have (MaxUploadAgents); run it with the command line (marketsim run)";
        var segments = Math.Max(1, world.Segments.Count);
        if (world.Commodities.Count * (long)segments > limits.MaxUploadMarkets)
            return $"markets (commodities × price segments): {world.Commodities.Count * (long)segments} ({world.Commodities.Count} commodities in {segments} segments), more than the {limits.MaxUploadMarkets} a session on this server may have (MaxUploadMarkets); run it with the command line (marketsim run)";
        if (world.Policies.Count > limits.MaxUploadPolicies)
            return $"policies: {world.Policies.Count}, more than the {limits.MaxUploadPolicies} a session on this server may have (MaxUploadPolicies); run it with the command line (marketsim run)";
        if (world.Days > limits.MaxUploadDays)
            return $"days: {world.Days}, more than the {limits.MaxUploadDays} a session on this server may run (MaxUploadDays); run it with the command line (marketsim run)";
        return null;
    }
}
