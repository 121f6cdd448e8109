using System.Diagnostics;
using System.Globalization;
using MarketSim.Cli.Batch;

// Runs per minute of `marketsim batch` for N runs of the default scenario over a year, at 1 and 2 parallel runs per core,
// with the process's CPU use. Usage: dotnet run -c Release --project bench/MarketSim.Bench.Batch [-- --runs 100 --days 365 --per-core 1,2 --checkpoint-every N]
// (--checkpoint-every is passed to the batch; without it the batch's default: none in process.)
var runs = 100;
string? checkpointEvery = null;
var days = 365;
int[] perCore = [1, 2];
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--days": days = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--per-core": perCore = args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--checkpoint-every": checkpointEvery = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]} (--runs N, --days N, --per-core 1,2, --checkpoint-every N)"); return 2;
    }
}

var root = FindRoot();
var scenario = Path.Combine(root, "scenarios", "china-japan-2026.yaml").Replace('\\', '/');
var work = Directory.CreateTempSubdirectory("marketsim-bench-batch-");
try
{
    string Experiment(string name, int n, int horizon)
    {
        var path = Path.Combine(work.FullName, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            description: {n} repetitions of the default scenario (china-japan-2026) over {horizon} days, independent seeds
            scenario: {scenario}
            horizon: {horizon}
            master_seed: 1
            repetitions: {n}
            seeds: independent
            """);
        return path;
    }

    var cores = Environment.ProcessorCount;
    Console.Error.WriteLine($"warm-up: 4 runs of 30 days");
    await Batch(Experiment("warmup", 4, 30), "warmup", 2 * cores);

    var rows = new List<string>();
    foreach (var k in perCore)
    {
        var parallel = k * cores;
        Console.Error.WriteLine($"{runs} runs of {days} days, --parallel {parallel} ({k} per core)");
        var (wall, cpu) = await Batch(Experiment($"bench-{k}", runs, days), $"out-{k}", parallel);
        var rpm = runs / wall.TotalMinutes;
        var use = cpu.TotalSeconds / (wall.TotalSeconds * cores);
        rows.Add($"| {k} | {parallel} | {runs} | {wall.TotalSeconds:0.0} | {rpm:0.0} | {cpu.TotalSeconds:0.0} | {use:P0} |");
    }

    Console.WriteLine($"date {DateTime.Now:yyyy-MM-dd HH:mm zzz}; {cores} cores; .NET {Environment.Version}; " +
        $"{(Debugger.IsAttached ? "debugger attached; " : "")}configuration {Configuration()}; " +
        $"checkpoint every {checkpointEvery ?? "(batch default)"}; load average at the end (1, 5, 15 min): {LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("| runs per core | --parallel | runs | wall s | runs/min | CPU s | CPU use (of all cores) |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var r in rows) Console.WriteLine(r);
    return 0;
}
finally
{
    try { work.Delete(recursive: true); } catch (IOException) { }
}

async Task<(TimeSpan Wall, TimeSpan Cpu)> Batch(string experiment, string outName, int parallel)
{
    var me = Process.GetCurrentProcess();
    me.Refresh();
    var cpu0 = me.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    string[] extra = checkpointEvery is null ? [] : ["--checkpoint-every", checkpointEvery];
    var code = await BatchCommand.RunAsync([experiment, "--out", Path.Combine(work.FullName, outName), "--parallel", parallel.ToString(CultureInfo.InvariantCulture), .. extra]);
    clock.Stop();
    me.Refresh();
    if (code != 0) throw new InvalidOperationException($"batch exited with {code}");
    return (clock.Elapsed, me.TotalProcessorTime - cpu0);
}

static string FindRoot()
{
    for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "MarketSim.sln"))) return d.FullName;
    throw new InvalidOperationException("run from inside the repository (MarketSim.sln not found above the current directory)");
}

static string Configuration() =>
#if DEBUG
    "Debug";
#else
    "Release";
#endif

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
