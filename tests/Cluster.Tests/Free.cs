using System.Reflection;

namespace MarketSim.Cluster.Tests;

static class Free
{
    public static string RepoRoot => typeof(Free).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;
}
