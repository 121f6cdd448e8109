#!/usr/bin/env python3
"""Runs the 2010 backcast (scenarios/japan-2010.yaml) through the CLI and prints its calibration table (target | source | result).
Usage: python3 tools/backcast.py [path/to/marketsim.dll] [scenario.yaml] [--keep DIR] [--sweep]   (build first: dotnet build src/Cli)

Import shares are computed as in tools/calibration.py: flows.csv rows into JP from another exporter, separated oxides (NdPr, Dy,
Tb) summed in tonnes, here by calendar year. Japan's demand: the required inputs of those oxides of Japan's firms (shortages.csv),
and Japan's purchases of them (flows.csv), by calendar year. Dy: the world segment's dy_oxide price in prices.csv over the 2008
level of $118/kg (the scenario's reference price). --sweep reruns the scenario with the unsourced buyer and investment parameters
changed one at a time and prints the same results per variant, to show which results hang on them."""
import csv, collections, subprocess, sys, tempfile, os, re
args = sys.argv[1:]
keep = sweep = None
if "--keep" in args:
    i = args.index("--keep"); keep = args[i + 1]; del args[i:i + 2]
if "--sweep" in args:
    sweep = True; args.remove("--sweep")
dll = args[0] if len(args) > 0 else "src/Cli/bin/Debug/net10.0/marketsim.dll"
scenario = args[1] if len(args) > 1 else "scenarios/japan-2010.yaml"
OXIDES = ("ndpr_oxide", "dy_oxide", "tb_oxide")
DY_2008 = 118000.0   # USD/t, Lynas data via mining.com

def run(path, out=None):
    out = out or tempfile.mkdtemp(prefix="backcast-")
    subprocess.run(["dotnet", dll, "run", path, "--out", out, "--engine", "reference"], check=True, stdout=subprocess.DEVNULL)
    return out

def results(out):
    def rows(f): return csv.DictReader(open(os.path.join(out, f)))
    def year(r): return int(r["date"][:4])
    cn = collections.Counter(); tot = collections.Counter(); cn_k = collections.Counter(); tot_k = collections.Counter()
    bought = collections.Counter(); sold = collections.Counter(); sold_cn = collections.Counter()
    for r in rows("flows.csv"):
        if r["commodity"] == "ndpr_oxide":
            sold[year(r)] += float(r["quantity"])
            if r["exporter"] == "CN": sold_cn[year(r)] += float(r["quantity"])
        if r["destination"] != "JP" or r["commodity"] not in OXIDES: continue
        q = float(r["quantity"]); y = year(r)
        bought[y] += q
        if r["exporter"] == "JP": continue
        tot[y] += q; tot_k[(y, r["commodity"])] += q
        if r["exporter"] == "CN": cn[y] += q; cn_k[(y, r["commodity"])] += q
    need = collections.Counter()
    for r in rows("shortages.csv"):
        if r["country"] == "JP" and r["commodity"] in OXIDES: need[year(r)] += float(r["required"])
    dy = {m: [(r["date"], float(r["price"])) for r in rows("prices.csv") if r["market"] == m and r["commodity"] == "dy_oxide"] for m in ("world", "china")}
    def at(series, date): return next((p for d, p in reversed(series) if d <= date), float("nan"))
    peak_date, peak = max(dy["world"], key=lambda x: x[1])
    return dict(
        share={y: cn[y] / tot[y] for y in tot if tot[y]},
        share_k={(y, k): cn_k[(y, k)] / tot_k[(y, k)] for (y, k) in tot_k if tot_k[(y, k)]},
        need=need, bought=bought, nonchina={y: 1 - sold_cn[y] / sold[y] for y in sold if sold[y]},
        peak=peak / DY_2008, peak_usd=peak / 1000, peak_date=peak_date, peak_cn=max(p for _, p in dy["china"]) / DY_2008,
        ye={y: at(dy["world"], f"{y}-12-31") for y in range(2010, 2015)}, ye_cn2011=at(dy["china"], "2011-12-31"))

def table(r):
    s, k = r["share"], r["share_k"]
    def sh(y): return f"{s[y]:.1%} (NdPr {k.get((y,'ndpr_oxide'), float('nan')):.1%}, Dy {k.get((y,'dy_oxide'), float('nan')):.1%})"
    need, bought = r["need"], r["bought"]
    src = "Ministry of Finance trade statistics via Sprecher et al. 2017"
    print("| target | source | result |")
    print("|---|---|---|")
    print(f"| Japan's import share from China 82% in 2010 | {src} | {sh(2010)} |")
    print(f"| … 68% in 2011 | {src} | {sh(2011)} |")
    print(f"| … 60% in 2014 | {src} | {sh(2014)} |")
    print(f"| (not a target) 2012, 2013 | | {s[2012]:.1%}, {s[2013]:.1%} |")
    print(f"| Japan's demand fell 31% in 2012 (no base year given; compared with 2010) | METI; Sprecher et al. 2017 | required oxides {need[2012]/need[2010]-1:+.1%} ({need[2010]:,.0f} → {need[2012]:,.0f} t); purchases {bought[2012]/bought[2010]-1:+.1%} ({bought[2010]:,.0f} → {bought[2012]:,.0f} t) |")
    print(f"| (not a target) Japan's required oxides by year, t | | " + ", ".join(f"{y}: {need[y]:,.0f}" for y in sorted(need)) + " |")
    print(f"| Dy oxide spike 19–26× the 2008 level ($118/kg → ≈$2,300/kg, Oct 2011) | Lynas data via mining.com; USGS MCS 2016 | world segment peak {r['peak']:.1f}× (${r['peak_usd']:,.0f}/kg on {r['peak_date']}); China segment peak {r['peak_cn']:.1f}× |")
    print(f"| Dy oxide at year-end 2011 ≈$1,400/kg (≈12×) | USGS MCS 2016 | world ${r['ye'][2011]/1000:,.0f}/kg ({r['ye'][2011]/DY_2008:.1f}×); China ${r['ye_cn2011']/1000:,.0f}/kg |")
    print(f"| (not a target) world Dy at year-ends 2010, 2012, 2013, 2014, $/kg | | " + ", ".join(f"{r['ye'][y]/1000:,.0f}" for y in (2010, 2012, 2013, 2014)) + " |")
    nc = r["nonchina"]
    print(f"| (not a target; mostly the scripted Mountain Pass and Lynas projects, not the investment rule) non-China share of NdPr sales, ≈4 points a year published | Sprecher et al. 2017 | " + ", ".join(f"{y}: {nc[y]:.1%}" for y in sorted(nc)) + " |")

base = run(scenario, keep)
print(f"Command: python3 tools/backcast.py {dll} {scenario}  (runs: dotnet {dll} run {scenario} --engine reference; output {base})\n")
table(results(base))

if sweep:
    text = open(scenario).read()
    VARIANTS = [("security_premium", ["0", "1"]), ("qualification_days", ["0", "90", "365"]), ("risk_memory_days", ["365", "1460"]),
                ("precaution_max_cover_days", ["0", "60"]), ("persistence", ["0"]), ("step", ["0", "0.25", "1.0"]), ("price_band", ["0.05", "0.2"])]
    print("\nOne at a time (every other parameter as in the scenario):\n")
    print("| change | share 2010 | 2011 | 2014 | demand 2012/2010 (required; purchases) | Dy peak (date) | Dy year-end 2011 | non-China NdPr 2014 |")
    print("|---|---|---|---|---|---|---|---|")
    for field, values in VARIANTS:
        for v in values:
            t, n = re.subn(rf"(\n  {field}: )[0-9.]+", rf"\g<1>{v}", text)
            assert n == 1, field
            path = os.path.join(tempfile.mkdtemp(prefix="backcast-sweep-"), "s.yaml")
            open(path, "w").write(t)
            r = results(run(path))
            need, bought = r["need"], r["bought"]
            print(f"| {field}: {v} | {r['share'][2010]:.1%} | {r['share'][2011]:.1%} | {r['share'][2014]:.1%} | {need[2012]/need[2010]-1:+.1%}; {bought[2012]/bought[2010]-1:+.1%} | "
                  f"{r['peak']:.1f}× ({r['peak_date']}) | {r['ye'][2011]/DY_2008:.1f}× | {r['nonchina'][2014]:.1%} |")
