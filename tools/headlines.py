#!/usr/bin/env python3
"""Prints the current headline figures of docs/MODEL.md ("Current headline figures") as a Markdown table: the five shipped
scenarios at seed 7 on the reference engine (the loss by country from summary.csv, and the figures the text leans on
most), china-japan-2026 and china-extraterritorial also over seeds 7-11, and japan-cutoff-3m's variants without Japan's
stockpiles and with precaution off, each less the baseline with the same edit. Every row names the command that produced
it (a variant names its edit of the shipped file).
Usage: python3 tools/headlines.py [path/to/marketsim.dll]   (build first: dotnet build -c Release src/Cli; ≈1-2 min on 2 cores)"""
import csv, collections, datetime, os, shutil, statistics, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor

dll = sys.argv[1] if len(sys.argv) > 1 else "src/Cli/bin/Release/net10.0/marketsim.dll"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SCENARIOS = ["baseline", "china-japan-2026", "japan-cutoff-3m", "china-extraterritorial", "japan-2010"]
SEEDS = range(7, 12)
DY_2008 = 118000.0   # USD/t, Lynas data via mining.com (as tools/backcast.py)
CLI = "dotnet marketsim.dll run"


def text_of(name, precaution=True, stockpiles=True):
    """A shipped scenario's text, with precaution off (bound 180 → 0) and/or without Japan's three stockpile policies,
    as tools/calibration.py edits it."""
    text = open(os.path.join(ROOT, "scenarios", f"{name}.yaml")).read()
    if not precaution:
        assert "precaution_max_cover_days: 180" in text
        text = text.replace("precaution_max_cover_days: 180", "precaution_max_cover_days: 0")
    if not stockpiles:
        assert text.count("type: stockpile") == 3
        text = "".join(l for l in text.splitlines(True) if "type: stockpile" not in l)
        head, tail = text.split("\npolicies:", 1)
        if "- {" not in tail: text = head + "\npolicies: []" + tail  # the baseline had only the stockpiles
    return text


def run(job):
    """Runs one (scenario, seed, precaution, stockpiles) and returns its output directory."""
    name, seed, precaution, stockpiles = job
    out = tempfile.mkdtemp(prefix=f"headlines-{name}-{seed}-")
    path = os.path.join(out, "scenario.yaml")
    open(path, "w").write(text_of(name, precaution, stockpiles))
    subprocess.run(["dotnet", dll, "run", path, "--out", os.path.join(out, "run"), "--engine", "reference", "--seed", str(seed)],
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, "run")


def rows(d, f):
    with open(os.path.join(d, f)) as fh: return list(csv.DictReader(fh))


def summary(d): return {r["country"]: r for r in rows(d, "summary.csv")}
def loss(d, c="JP"): return float(summary(d)[c]["cumulative_loss"])
def value_added(d, c="JP"): return sum(float(r["value_added"]) for r in rows(d, "value_added.csv") if r["country"] == c)
def m(x):
    """Millions to the cent of a million; a loss too small to show so (under $5,000) in dollars, so it never reads $0.00 m."""
    if 0 < abs(x) < 5e3: return f"{'−' if x < 0 else ''}${abs(x):,.0f}"
    return f"{'−' if x < 0 else ''}${abs(x) / 1e6:,.2f} m"
def bn(x): return f"{'−' if x < 0 else ''}${abs(x) / 1e9:,.2f} bn" if abs(x) >= 1e9 else m(x)


def price(d, commodity, market="world"):
    return {int(r["tick"]): float(r["price"]) for r in rows(d, "prices.csv") if r["commodity"] == commodity and r["market"] == market}


def reference_price(name, commodity):
    """p₀ of a commodity as the shipped scenario gives it (`reference_price:` on its line in `commodities:`)."""
    for line in open(os.path.join(ROOT, "scenarios", f"{name}.yaml")):
        if f"id: {commodity}," in line and "reference_price:" in line:
            return float(line.split("reference_price:")[1].split(",")[0])
    raise KeyError(commodity)


def spread(values, fmt):
    """mean (min–max) of per-seed values."""
    return f"{fmt(statistics.mean(values))} ({fmt(min(values))}–{fmt(max(values))})"


def cmd(name, seed=7, edit=""):
    if seed == "S": return f"`{CLI} scenarios/{name}.yaml --seed S --engine reference`, S = 7 … 11"
    return f"`{CLI} scenarios/{name}.yaml --seed {seed} --engine reference`" + (f" {edit}" if edit else "")


start = time.time()
jobs = [(n, 7, True, True) for n in SCENARIOS]
jobs += [(n, s, True, True) for n in ("china-japan-2026", "china-extraterritorial") for s in SEEDS if s != 7]
jobs += [(n, 7, p, st) for n in ("baseline", "japan-cutoff-3m") for (p, st) in ((False, True), (True, False), (False, False))]
with ThreadPoolExecutor(2) as pool:
    out = dict(zip(jobs, pool.map(run, jobs)))
R = {j: d for j, d in out.items()}
def shipped(n, s=7): return R[(n, s, True, True)]

lines = []
def row(scenario, figure, value, command): lines.append((SCENARIOS.index(scenario), len(lines), f"| {scenario} | {figure} | {value} | {command} |"))

for n in SCENARIOS:
    d = shipped(n)
    s = summary(d)
    hit = [(c, r) for c, r in sorted(s.items()) if float(r["cumulative_loss"]) != 0]
    row(n, "loss by country (summary.csv `cumulative_loss`, % of GDP)",
        "; ".join(f"{c} {bn(float(r['cumulative_loss']))} ({100 * float(r['loss_gdp_share']):.4f}%)" for c, r in hit) or "none",
        cmd(n))
    fiscal = [(c, float(r["fiscal_cost"])) for c, r in sorted(s.items()) if float(r["fiscal_cost"]) != 0]
    if fiscal: row(n, "fiscal cost by country (summary.csv)", "; ".join(f"{c} {m(v)}" for c, v in fiscal), cmd(n))

# china-japan-2026
d = shipped("china-japan-2026")
jl = [loss(shipped("china-japan-2026", s)) for s in SEEDS]
row("china-japan-2026", "Japan's loss over seeds 7–11: mean (min–max)", f"{m(statistics.mean(jl))} ({m(min(jl))}–{m(max(jl))})",
    cmd("china-japan-2026", "S"))
# Prices over the seeds, against day 0 and against the reference price p₀ (after a spin-up day 0 is not p₀), and each seed's
# draw of licence decisions moves them: one seed's figure is one draw.
def x(v): return f"{v:.2f}×"
for commodity, label in (("dy_oxide", "Dy oxide"), ("magnet_ht", "high-temperature magnet")):
    p0 = reference_price("china-japan-2026", commodity)
    per = [price(shipped("china-japan-2026", s), commodity) for s in SEEDS]
    row("china-japan-2026", f"world {label} price, mean of days 90–364, over seeds 7–11: / day 0, mean (min–max); / p₀ (${p0:,.0f}/t)",
        f"{spread([statistics.mean(p[t] for t in range(90, 365)) / p[0] for p in per], x)}; "
        f"{spread([statistics.mean(p[t] for t in range(90, 365)) / p0 for p in per], x)}", cmd("china-japan-2026", "S") + ", prices.csv")
    row("china-japan-2026", f"world {label} price on day 364 / p₀ over seeds 7–11: mean (min–max)",
        spread([p[364] / p0 for p in per], x), cmd("china-japan-2026", "S") + ", prices.csv")
def rents(d):
    rent = collections.Counter()
    for r in rows(d, "rents.csv"):
        if r["exporter"] == "CN": rent[r["commodity"]] += float(r["rent"])
    return rent
rent = rents(d)
row("china-japan-2026", "China's export rent over the year (rents.csv, exporter CN)",
    f"{m(sum(rent.values()))}: " + ", ".join(f"{k} {m(v)}" for k, v in sorted(rent.items())), cmd("china-japan-2026") + ", rents.csv")
row("china-japan-2026", "China's export rent over the year, seeds 7–11: mean (min–max)",
    spread([sum(rents(shipped("china-japan-2026", s)).values()) for s in SEEDS], m), cmd("china-japan-2026", "S") + ", rents.csv")
q = w = 0.0; qw = 0.0
for r in rows(d, "lead_times.csv"):
    if r["destination"] == "JP" and r["commodity"] == "magnet_ht" and 30 <= int(r["tick"]) < 365:
        q += float(r["quantity"]); w += float(r["quantity"]) * float(r["days"]); qw += float(r["quantity"]) * float(r["waited"])
row("china-japan-2026", "Japan's high-temperature magnet lead time, days 30–364 (months of 30.4 days; unfilled part)",
    f"{w / q / 30.4:.2f} months ({qw / q / 30.4:.2f} unfilled)", cmd("china-japan-2026") + ", lead_times.csv")

# china-extraterritorial over seeds
for c in ("KR", "US", "IN"):
    v = [loss(shipped("china-extraterritorial", s), c) for s in SEEDS]
    row("china-extraterritorial", f"{c}'s loss over seeds 7–11: mean (min–max)", f"{bn(statistics.mean(v))} ({bn(min(v))}–{bn(max(v))})",
        cmd("china-extraterritorial", "S"))

# japan-cutoff-3m against the baseline with the same edit
NOPREC = "with `precaution_max_cover_days: 180` → `0`"
NOSTOCK = "without its three `type: stockpile` lines (the baseline: `policies: []`)"
for (p, st, label, edit) in ((True, True, "as shipped", ""), (False, True, "precaution off", NOPREC),
                             (True, False, "without Japan's stockpiles, precaution on", NOSTOCK),
                             (False, False, "without Japan's stockpiles, precaution off", NOSTOCK + " and " + NOPREC)):
    c, b = R[("japan-cutoff-3m", 7, p, st)], R[("baseline", 7, p, st)]
    gross = loss(c) - loss(b); va = value_added(b) - value_added(c)
    ind = float(summary(c)["JP"]["indirect_loss"]) - float(summary(b)["JP"]["indirect_loss"])
    row("japan-cutoff-3m", f"{label}: Japan's loss less the baseline alike; its value-added fall; indirect loss (m = 2)",
        f"{m(gross)}; {m(va)}; {m(ind)}",
        cmd("japan-cutoff-3m") + " less " + cmd("baseline") + (f", each {edit}" if edit else "") + "; summary.csv, value_added.csv")

c, b = R[("japan-cutoff-3m", 7, False, False)], R[("baseline", 7, False, False)]
def by_sector(d):
    out = collections.defaultdict(lambda: [0.0, None, None])
    for r in rows(d, "losses.csv"):
        if r["country"] == "JP" and float(r["loss"]) != 0:
            v = out[r["sector"]]; t = int(r["tick"])
            v[0] += float(r["loss"]); v[1] = t if v[1] is None else min(v[1], t); v[2] = t if v[2] is None else max(v[2], t)
    return out
base = by_sector(b)
assert not base, "the baseline alike loses something: subtract it by sector"
row("japan-cutoff-3m", "without Japan's stockpiles, precaution off: Japan's loss by sector (losses.csv; days with a loss)",
    "; ".join(f"{k} {m(v[0])} (days {v[1]}–{v[2]})" for k, v in sorted(by_sector(c).items(), key=lambda kv: -kv[1][0])),
    cmd("japan-cutoff-3m") + f", {NOSTOCK} and {NOPREC}; losses.csv")

# japan-2010
d = shipped("japan-2010")
dy = price(d, "dy_oxide"); dates = {int(r["tick"]): r["date"] for r in rows(d, "prices.csv") if r["commodity"] == "dy_oxide" and r["market"] == "world"}
t = max(dy, key=dy.get)
sold = collections.Counter(); cn = collections.Counter()
for r in rows(d, "flows.csv"):
    if r["commodity"] == "ndpr_oxide":
        y = int(r["date"][:4]); sold[y] += float(r["quantity"])
        if r["exporter"] == "CN": cn[y] += float(r["quantity"])
row("japan-2010", "world Dy oxide peak / 2008 level ($118/kg)", f"{dy[t] / DY_2008:.1f}× (${dy[t] / 1000:,.0f}/kg, {dates[t]})", cmd("japan-2010") + ", prices.csv")
row("japan-2010", "non-China share of NdPr oxide sales by year (flows.csv)", ", ".join(f"{y} {1 - cn[y] / sold[y]:.1%}" for y in sorted(sold)),
    cmd("japan-2010") + ", flows.csv")

print(f"Produced by `python3 tools/headlines.py {dll}` on {datetime.date.today().isoformat()} "
      f"({len(jobs)} runs, {time.time() - start:.0f} s). `{CLI}` stands for `dotnet {dll} run`; money in USD.\n")
print("| scenario | figure | value | command |")
print("|---|---|---|---|")
print("\n".join(l for _, _, l in sorted(lines)))
for d in R.values(): shutil.rmtree(os.path.dirname(d), ignore_errors=True)
