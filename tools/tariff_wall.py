#!/usr/bin/env python3
"""Re-runs the tariff-wall figures of docs/MODEL.md (Markets, "The price inside a tariff wall"): the baseline over 1,500 days,
without a tariff and with a tariff at RATE on Chinese high-temperature magnets by every country but China. Prints per year
the price per tonne the makers outside China got for their sales outside China, what Chinese magnets sold for abroad, China's
exports outside China, the duty collected, and the expansions decided.
Usage: python3 tools/tariff_wall.py [path/to/marketsim.dll] [RATE]   (build first: dotnet build src/Cli; ≈20 s on 2 cores)"""
import collections, csv, os, subprocess, sys, tempfile

dll = sys.argv[1] if len(sys.argv) > 1 else "src/Cli/bin/Debug/net10.0/marketsim.dll"
rate = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
SCENARIO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios", "baseline.yaml")
IMPORTERS = ["JP", "US", "DE", "KR", "IN", "RW"]
MAKERS = {"JP", "DE"}


def run(r):
    text = open(SCENARIO).read()
    assert "\ndays: 365\n" in text, "expected days: 365 in the baseline"
    text = text.replace("\ndays: 365\n", "\ndays: 1500\n")
    if r > 0:
        text += "".join(f"  - {{id: wall-{c}, type: tariff, start: 0, importer: {c}, commodities: [magnet_ht], origins: [CN], rate: {r}}}\n"
                        for c in IMPORTERS)
    out = tempfile.mkdtemp(prefix=f"tariff-wall-{r}-")
    path = os.path.join(out, "scenario.yaml")
    open(path, "w").write(text)
    subprocess.run(["dotnet", dll, "run", path, "--out", os.path.join(out, "run"), "--engine", "reference"], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(out, "run")


def report(d, r):
    year = lambda t: int(t) // 365
    sums = collections.defaultdict(lambda: [0.0, 0.0])
    with open(os.path.join(d, "flows.csv")) as f:
        for row in csv.DictReader(f):
            if row["commodity"] != "magnet_ht" or row["destination"] == "CN":
                continue
            who = "inside" if row["exporter"] in MAKERS else "china" if row["exporter"] == "CN" else None
            if who:
                s = sums[(year(row["tick"]), who)]
                s[0] += float(row["quantity"]); s[1] += float(row["value"])
    duty = collections.defaultdict(float)
    with open(os.path.join(d, "accounts.csv")) as f:
        for row in csv.DictReader(f):
            duty[year(row["tick"])] += float(row["tariff_revenue"])
    print(f"rate {r:g}: year, makers outside China ($/t, t), Chinese magnets abroad ($/t, t), duty ($ m)")
    for y in sorted({k[0] for k in sums}):
        (qi, vi), (qc, vc) = sums[(y, "inside")], sums[(y, "china")]
        print(f"  {y + 1}  {vi / qi if qi else 0:9,.0f} {qi:8,.0f}   {vc / qc if qc else 0:9,.0f} {qc:8,.0f}   {duty[y] / 1e6:7.1f}")
    with open(os.path.join(d, "prices.csv")) as f:
        for row in csv.DictReader(f):
            if row["commodity"] == "magnet_ht" and row["market"] == "world" and int(row["tick"]) % 365 == 364:
                print(f"  world price on day {row['tick']}: {float(row['price']) / 80000:.3f}× the reference")
    with open(os.path.join(d, "events.csv")) as f:
        for row in csv.DictReader(f):
            text = list(row.values())[-1]
            if "expansion decided" in text and "magnet_ht" in text:
                print(f"  day {row['tick']}: {text}")


for r in (0, rate):
    report(run(r), r)
