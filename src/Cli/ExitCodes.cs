namespace MarketSim.Cli;

/// <summary>Process exit codes, documented in the help text so scripts can tell a bad call from a bad scenario.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The scenario is invalid, or the run failed (e.g. the output directory cannot be written).</summary>
    public const int Failed = 1;
    /// <summary>The command line itself is wrong: unknown command or option, missing or malformed value.</summary>
    public const int Usage = 2;
}
