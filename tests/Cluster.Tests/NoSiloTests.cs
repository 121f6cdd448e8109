using System.Diagnostics;
using System.Text;
using MarketSim.Hosting.Local;

namespace MarketSim.Cluster.Tests;

/// <summary>
/// `marketsim run --cluster` against a Redis that answers but where no silo of the cluster has registered (the silos not
/// started yet, or a wrong cluster id): before Dec 2026 the command waited 3 minutes, printing the Orleans client's "could
/// not find any gateway" warning seventeen times, before its error line.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class NoSiloTests
{
    [Fact]
    public void A_cluster_with_Redis_up_and_no_silo_is_one_clear_line_within_the_join_timeout_and_writes_nothing()
    {
        using var redis = new RedisProcess();
        redis.Start();
        var dir = Directory.CreateTempSubdirectory("marketsim-nosilo-").FullName;
        try
        {
            var log = new StringBuilder();
            var clock = Stopwatch.StartNew();
            using var cli = BatchTests.StartCli(dir, new Dictionary<string, string>(), log, null, "run",
                Path.Combine(Free.RepoRoot, "scenarios", "baseline.yaml"), "--days", "5", "--out", "results", "--cluster", redis.ConnectionString);
            Assert.True(cli.WaitForExit(TimeSpan.FromSeconds(90)), "still waiting after 90 s:\n" + log);
            cli.WaitForExit(); // the output readers finish
            var all = log.ToString();
            Assert.True(cli.ExitCode == 1, all);
            Assert.InRange(clock.Elapsed.TotalSeconds, 25, 60); // the 30 s join timeout, not Orleans' 3 minutes
            Assert.Contains($"cannot join the cluster at Redis {redis.ConnectionString}", all);
            Assert.Contains("no silo took it as a client within 30 s", all);
            Assert.Contains("check that the cluster's silos are running", all);
            Assert.DoesNotContain("Could not find any gateway", all);
            Assert.DoesNotContain("   at ", all);
            Assert.False(Directory.Exists(Path.Combine(dir, "results")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The dashboard as a client (docker-compose's dashboard) where no silo listens at its gateway: before Dec 2026
    /// it retried for ever, answering nothing, not even /healthz, with a warning and stack trace every few seconds.</summary>
    [Fact]
    public void The_dashboard_as_a_client_with_no_silo_says_so_in_one_line_and_exits_1_within_its_join_timeout()
    {
        var gateway = MarketSim.Hosting.FreePorts.Next(); // nothing listens there
        var web = MarketSim.Hosting.FreePorts.Next();
        var clock = Stopwatch.StartNew();
        using var dashboard = DashboardProcess.Start(new Dictionary<string, string>
        {
            ["MarketSim__Cluster__Mode"] = "Client", ["MarketSim__Cluster__GatewayPort"] = gateway.ToString(),
            ["MarketSim__Cluster__JoinTimeoutSeconds"] = "5", ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{web}",
        });
        var (exited, code) = dashboard.WaitForExit(TimeSpan.FromSeconds(60));
        var log = dashboard.Log;
        Assert.True(exited, "still running after 60 s:\n" + log);
        Assert.True(code == 1, $"exit code {code}:\n{log}");
        Assert.InRange(clock.Elapsed.TotalSeconds, 4, 40); // its 5 s, not for ever
        Assert.Contains($"cannot join the cluster's gateway at 127.0.0.1:{gateway}", log);
        Assert.Contains("no silo took it as a client within 5 s", log);
        Assert.DoesNotContain("   at ", log); // no stack trace
        Assert.DoesNotContain("Unhandled exception", log);
    }

    /// <summary>A join timeout out of range is said in one line naming the setting, before anything starts.</summary>
    [Fact]
    public void A_dashboard_client_with_a_join_timeout_out_of_range_says_which_setting_and_exits_1()
    {
        using var dashboard = DashboardProcess.Start(new Dictionary<string, string>
        {
            ["MarketSim__Cluster__Mode"] = "Client", ["MarketSim__Cluster__JoinTimeoutSeconds"] = "0",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{MarketSim.Hosting.FreePorts.Next()}",
        });
        var (exited, code) = dashboard.WaitForExit(TimeSpan.FromSeconds(60));
        var log = dashboard.Log;
        Assert.True(exited, "still running after 60 s:\n" + log);
        Assert.True(code == 1, $"exit code {code}:\n{log}");
        Assert.Contains("MarketSim:Cluster:JoinTimeoutSeconds is 0: give a number of seconds from 1 to 86400", log);
        Assert.DoesNotContain("   at ", log);
    }
}
