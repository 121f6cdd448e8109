#!/usr/bin/env python3
"""Controls through the chain, for a run directory of china-japan-2026 (or any scenario with content_origin): how much of Japan's
defence sector's need for high-temperature magnets (its Dy, embodied) is met, and what share of Japan's magnet imports carries
Chinese content the re-export clause reaches. Usage: python3 tools/chain.py RUN_DIR"""
import csv, collections, os, sys
d = sys.argv[1]
def rows(f): return list(csv.DictReader(open(os.path.join(d, f))))
need = collections.Counter(); unmet = collections.Counter()
for r in rows("shortages.csv"):
    if r["country"] == "JP" and r["sector"] == "defence":
        need[r["commodity"]] += float(r["required"]); unmet[r["commodity"]] += float(r["unmet"])
print("Japan's defence sector, share of its need met over the run: " + ", ".join(f"{k} {1 - unmet[k] / need[k]:.1%}" for k in sorted(need)))
q = collections.Counter(); reached = collections.Counter(); share = collections.Counter()
for r in rows("content.csv"):
    if r["destination"] == "JP" and r["country"] == "CN":
        x = float(r["quantity"]); q[r["commodity"]] += x; reached[r["commodity"]] += x * float(r["reached"]); share[r["commodity"]] += x * float(r["share"])
for k in sorted(q):
    if k.startswith("magnet"):
        print(f"Japan's {k} imports: {q[k]:,.0f} t; Chinese content {share[k] / q[k]:.1%} of value on average; "
              f"{reached[k] / q[k]:.1%} of the quantity at or above the re-export clause's threshold")
