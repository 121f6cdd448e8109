namespace MarketSim.Cli.Tests;

/// <summary>A wrong command line exits with 2 and names the argument at fault.</summary>
public class ArgumentTests
{
    static string Small => CliProcess.Fixture("small.yaml");

    [Theory]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("--days", "option --days needs a value")]
    [InlineData("--days=abc", "--days must be a whole number")]
    [InlineData("--days=0", "--days must be a whole number of days, at least 1; got '0'")]
    [InlineData("--days=5000000", "--days must be at most 36500 (100 years); got '5000000'")]
    [InlineData("--seed=-1", "--seed must be a whole number")]
    [InlineData("--engine=spark", "--engine must be 'orleans' or 'reference'; got 'spark'")]
    [InlineData("extra.yaml", "unexpected argument 'extra.yaml'")]
    public void Bad_run_arguments_name_the_argument(string arg, string message)
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "run", Small, arg);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
        Assert.Contains("marketsim help run", r.StdErr);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Run_without_a_file_says_so()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "run", "--days", "5");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("missing the scenario FILE", r.StdErr);
    }

    [Fact]
    public void An_unknown_command_is_named()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "simulate", Small);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown command 'simulate'", r.StdErr);
    }

    [Fact]
    public void Help_lists_the_commands_and_the_output_tables()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("marketsim validate FILE", r.StdOut);
        Assert.Contains("marketsim run FILE", r.StdOut);
        Assert.Contains("summary.csv", r.StdOut);
    }
}
