#!/usr/bin/env python3
"""Re-runs the price-window figures of docs/MODEL.md (Price: "What ships under a licence counts up to the want, and the price
reads a month of trade"): china-japan-2026 with and without China's ban on Japanese military end use
(`cn-dual-use-jp-military`), for several windows W (`price_window_days` on every commodity; the shipped scenarios take 30).
A ban should not lower the world price of what it keeps out; the table shows for which W it does not.
Usage: python3 tools/price_window.py [path/to/marketsim.dll] [W,W,...]   (build first: dotnet build src/Cli; ≈1 min on 2 cores)"""
import csv, os, re, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

dll = sys.argv[1] if len(sys.argv) > 1 else "src/Cli/bin/Debug/net10.0/marketsim.dll"  # as the other tools: pass a Release build's path
windows = [int(w) for w in (sys.argv[2] if len(sys.argv) > 2 else "1,7,14,30,60").split(",")]
SCENARIO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios", "china-japan-2026.yaml")
BAN = "cn-dual-use-jp-military"


def variant(text, w, ban):
    """The scenario with every commodity's window set to w, and without the ban when ban is False."""
    text, n = re.subn(r"price_window_days: \d+", f"price_window_days: {w}", text)
    assert n > 0, "no price_window_days in the scenario"
    if not ban:
        lines = [l for l in text.splitlines() if not l.lstrip().startswith(f"- {{id: {BAN},")]
        assert len(lines) == len(text.splitlines()) - 1, f"expected one policy {BAN}"
        text = "\n".join(lines) + "\n"
    return text


def run(args):
    w, ban = args
    out = tempfile.mkdtemp(prefix=f"window-{w}-{'ban' if ban else 'free'}-")
    path = os.path.join(out, "scenario.yaml")
    open(path, "w").write(variant(open(SCENARIO).read(), w, ban))
    subprocess.run(["dotnet", dll, "run", path, "--out", os.path.join(out, "run"), "--engine", "reference"], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "run", "prices.csv")) as f:
        dy = {int(r["tick"]): float(r["price"]) for r in csv.DictReader(f) if r["commodity"] == "dy_oxide" and r["market"] == "world"}
    with open(os.path.join(out, "run", "summary.csv")) as f:
        loss = next(float(r["cumulative_loss"]) for r in csv.DictReader(f) if r["country"] == "JP")
    later = [dy[t] / dy[0] for t in range(90, 365)]
    return sum(later) / len(later), dy[364] / dy[0], loss


jobs = [(w, ban) for w in windows for ban in (True, False)]
with ThreadPoolExecutor(2) as pool:
    results = dict(zip(jobs, pool.map(run, jobs)))
print(f"Command: python3 tools/price_window.py {dll} {','.join(map(str, windows))}  (seed 7, reference engine)\n")
print("| W (days) | world Dy, mean of days 90–364, with the ban / without | day 364, with / without | Japan's loss, with / without | the ban raises world Dy |")
print("|--:|--|--|--|--|")
for w in windows:
    (mb, eb, lb), (mf, ef, lf) = results[(w, True)], results[(w, False)]
    print(f"| {w} | {mb:.2f}× / {mf:.2f}× | {eb:.2f}× / {ef:.2f}× | ${lb / 1e6:,.1f} m / ${lf / 1e6:,.1f} m | {'yes' if mb >= mf else 'NO'} |")
