using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using MarketSim.Cli.Batch;

namespace MarketSim.Cli.Report;

/// <summary>`marketsim report DIR [--no-png]`: report.html from a batch directory, and PNGs if a headless Chromium is there.</summary>
public static class ReportCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["-h" or "--help"]) return Usage.PrintCommand("report");
        string? dir = null;
        var png = true;
        foreach (var a in args)
        {
            if (a == "--no-png") png = false;
            else if (a.StartsWith('-')) return Usage.Fail($"unknown option '{a}' (options: --no-png)", "report");
            else if (dir is not null) return Usage.Fail($"unexpected argument '{a}' (report takes one DIR)", "report");
            else dir = a;
        }
        if (dir is null) return Usage.Fail("missing the batch DIR to report on", "report");
        if (!Directory.Exists(dir)) { Console.Error.WriteLine($"marketsim report: error: '{dir}' is not a directory"); return ExitCodes.Failed; }

        try
        {
            var data = await BatchData.ReadAsync(dir);
            var labels = Labels(dir, data.Manifest);
            var charts = ReportBuilder.Charts(data, labels);
            var plotly = ReportBuilder.PlotlyJs();
            var html = ReportBuilder.Html(data, charts, labels, plotly);
            var path = Path.Combine(dir, "report.html");
            File.WriteAllText(path + ".tmp", html, new UTF8Encoding(false));
            File.Move(path + ".tmp", path, overwrite: true);
            Console.Out.WriteLine($"wrote {path}: {charts.Count} charts, {labels.Count} variants, {data.Runs.Count} runs");
            if (png) WritePngs(dir, charts, plotly);
            return ExitCodes.Ok;
        }
        catch (BatchException e)
        {
            Console.Error.WriteLine($"marketsim report: error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"marketsim report: error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true)
        {
            Console.Error.WriteLine($"marketsim report: error: '{dir}': a Parquet file of the batch is not readable ({e.Message}); the batch's output is damaged");
            return ExitCodes.Failed;
        }
    }

    /// <summary>Variant → label from the manifest; a manifest without a readable list of variants is refused by name.</summary>
    static Dictionary<int, string> Labels(string dir, JsonObject manifest)
    {
        var file = Path.Combine(dir, Batch.BatchLayout.Manifest);
        if (manifest["variants"] is not JsonArray variants) throw new BatchException($"{file}: has no 'variants' list; the batch's manifest is damaged");
        var labels = new Dictionary<int, string>();
        for (int i = 0; i < variants.Count; i++)
        {
            var v = variants[i] as JsonObject;
            int? variant = null;
            string? label = null;
            try { variant = (int?)v?["variant"]; }
            catch (Exception e) when (e is InvalidOperationException or FormatException) { }
            if (variant is not { } n) throw new BatchException($"{file}: variants[{i}]: has no whole-number 'variant'; the batch's manifest is damaged");
            try { label = (string?)v!["label"]; }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new BatchException($"{file}: variants[{i}]: 'label' is not text; the batch's manifest is damaged");
            }
            if (!labels.TryAdd(n, label ?? "")) throw new BatchException($"{file}: variants[{i}]: variant {n} appears twice; the batch's manifest is damaged");
        }
        return labels;
    }

    /// <summary>The browsers looked for on the PATH, in this order (README and <c>marketsim help report</c> name the same).</summary>
    public static readonly string[] BrowserNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless_shell"];

    /// <summary>The first headless-capable browser on the PATH (or MARKETSIM_CHROMIUM), or null.</summary>
    public static string? FindChromium()
    {
        var env = Environment.GetEnvironmentVariable("MARKETSIM_CHROMIUM");
        if (!string.IsNullOrEmpty(env)) return File.Exists(env) ? env : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in BrowserNames)
            foreach (var d in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var f = Path.Combine(d, name);
                if (File.Exists(f)) return f;
            }
        return null;
    }

    /// <summary>One PNG per chart in DIR/charts/, rendered by headless Chromium from a one-chart page; skipped with a note when it fails.</summary>
    static void WritePngs(string dir, List<FanChart> charts, string plotly)
    {
        var chromium = FindChromium();
        if (chromium is null) { Console.Out.WriteLine($"no headless Chromium found ({string.Join(", ", BrowserNames)} on the PATH, or MARKETSIM_CHROMIUM): no PNGs; the charts are in report.html"); return; }
        if (charts.Count == 0) return;
        var outDir = Path.Combine(dir, "charts");
        Directory.CreateDirectory(outDir);
        var tmp = Directory.CreateTempSubdirectory("marketsim-report-");
        try
        {
            var written = 0;
            foreach (var c in charts)
            {
                var page = Path.Combine(tmp.FullName, c.Id + ".html");
                var layout = ReportBuilder.Layout(c);
                layout["width"] = 1100;
                layout["height"] = 550;
                File.WriteAllText(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{margin:0}</style><script>" + plotly +
                    "</script></head><body><div id=\"c\"></div><script>Plotly.newPlot('c'," + c.Traces.ToJsonString() + "," + layout.ToJsonString() +
                    ",{staticPlot:true});</script></body></html>");
                var png = Path.Combine(outDir, c.Id + ".png");
                var psi = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
                foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-dev-shm-usage",
                             $"--user-data-dir={Path.Combine(tmp.FullName, "profile")}", "--window-size=1100,550", "--virtual-time-budget=5000",
                             $"--screenshot={png}", new Uri(page).AbsoluteUri })
                    psi.ArgumentList.Add(a);
                using var p = Process.Start(psi)!;
                _ = p.StandardOutput.ReadToEndAsync();
                _ = p.StandardError.ReadToEndAsync();
                if (!p.WaitForExit(TimeSpan.FromSeconds(60))) { p.Kill(entireProcessTree: true); break; }
                if (p.ExitCode == 0 && File.Exists(png)) written++;
                else break;
            }
            Console.Out.WriteLine(written == charts.Count
                ? $"wrote {written} PNGs to {outDir} ({Path.GetFileName(chromium)})"
                : $"{Path.GetFileName(chromium)} could not render the charts ({written} of {charts.Count} PNGs written); report.html is complete");
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Console.Out.WriteLine($"PNGs skipped: {e.Message}; report.html is complete");
        }
        finally
        {
            try { tmp.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
