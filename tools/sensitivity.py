#!/usr/bin/env python3
"""Re-runs the sensitivity figures of docs/MODEL.md ("How sure", the lead time of the 3-month cut-off) on edited copies of the
shipped scenarios, and prints them. Every copy is one of the edits below applied to the scenario's text, so the figures can
be checked and re-run after any change to the model.
Usage: python3 tools/sensitivity.py [path/to/marketsim.dll]   (build first: dotnet build src/Cli; ≈3 min on 2 cores)"""
import csv, os, re, statistics, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

dll = sys.argv[1] if len(sys.argv) > 1 else "src/Cli/bin/Debug/net10.0/marketsim.dll"
JPY = 151.5  # yen per dollar, as in tools/calibration.py


def losses(name, text, seed):
    """Every country's cumulative direct loss (USD) of a scenario's text run on the reference engine with a seed."""
    out = tempfile.mkdtemp(prefix=f"sens-{name}-")
    path = os.path.join(out, "scenario.yaml")
    open(path, "w").write(text)
    subprocess.run(["dotnet", dll, "run", path, "--out", os.path.join(out, "run"), "--engine", "reference", "--seed", str(seed)],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "run", "summary.csv")) as f:
        return {r["country"]: float(r["cumulative_loss"]) for r in csv.DictReader(f)}


def jp_loss(name, text, seed):
    """Japan's cumulative direct loss (USD) of a scenario's text run on the reference engine with a seed."""
    return losses(name, text, seed)["JP"]


RATIONING = {"bases first": None, "needs first": "needs_first: true", "by value": "ration_by_value: true"}


def with_rationing(text, rule):
    """The scenario with the rationing rule named (a key of RATIONING) set under `buyers:`."""
    line = RATIONING[rule]
    return text if line is None else replace_once(text, "  precaution_build_days:", f"  {line}\n  precaution_build_days:")


GALLIUM_BAN = """  - {id: cn-gallium-ban, type: export_control, exporter: CN, commodities: [gallium], mode: ban, start: 0, end: 180}\n"""


def replace_once(text, old, new):
    assert text.count(old) == 1, f"expected exactly one {old!r}"
    return text.replace(old, new)


def with_applications(text, n):
    """Both of China's licences in china-japan-2026 split each buyer's order into n applications."""
    for licence in ("cn-licensing-2025", "cn-licensing-jp-tight"):
        text = replace_once(text, f"{{id: {licence}, type: export_control,", f"{{id: {licence}, type: export_control, applications: {n},")
    return text


def split_producer(text, pid):
    """The producer record `pid` as two identical halves (ids pid-a, pid-b; capacity halved)."""
    line = next(l for l in text.splitlines() if l.lstrip().startswith(f"- {{id: {pid},"))
    cap = float(re.search(r"capacity: ([0-9.e+-]+)", line).group(1))
    halves = [line.replace(f"{{id: {pid},", f"{{id: {pid}-{h},").replace(f"capacity: {re.search(r'capacity: ([0-9.e+-]+)', line).group(1)}",
                                                                      f"capacity: {cap / 2!r}") for h in "ab"]
    return replace_once(text, line, "\n".join(halves))


def scale_capacity(text, pid, factor):
    """The producer record `pid` with its capacity times factor."""
    line = next(l for l in text.splitlines() if l.lstrip().startswith(f"- {{id: {pid},"))
    cap = re.search(r"capacity: ([0-9.e+-]+)", line).group(1)
    return replace_once(text, line, line.replace(f"capacity: {cap}", f"capacity: {float(cap) * factor!r}"))


def producers_with(text, fields):
    """Every producer record (the lines between `producers:` and `manufacturers:`) with `fields` added after its id."""
    head, rest = text.split("\nproducers:", 1)
    block, tail = rest.split("\nmanufacturers:", 1)
    block = re.sub(r"- \{id: ([\w-]+),", lambda m: f"- {{id: {m.group(1)}, {fields},", block)
    return head + "\nproducers:" + block + "\nmanufacturers:" + tail


def split_firms(text, mid):
    """Each firm of the manufacturer record `mid` as two identical halves (share halved, same cover days)."""
    line = next(l for l in text.splitlines() if l.lstrip().startswith(f"- {{id: {mid},"))
    firms = re.search(r"firms: \[(.*)\]\}", line).group(1)
    halves = []
    for m in re.finditer(r"\{id: (\w+), share: ([0-9.]+), cover_days: (\d+)\}", firms):
        for h in "12":
            halves.append(f"{{id: {m.group(1)}{h}, share: {float(m.group(2)) / 2!r}, cover_days: {m.group(3)}}}")
    assert len(halves) == 2 * firms.count("{id:"), line
    return replace_once(text, line, line.replace(firms, ", ".join(halves)))


def summary(losses):
    m = [x / 1e6 for x in losses]
    return f"{min(m):,.2f}–{max(m):,.2f} (mean {statistics.mean(m):,.2f}, median {statistics.median(m):,.2f}; {sum(x == 0 for x in m)} of {len(m)} at 0) $ m"


def main():
    cj = open("scenarios/china-japan-2026.yaml").read()
    cut = open("scenarios/japan-cutoff-3m.yaml").read()
    base = open("scenarios/baseline.yaml").read()
    seeds = range(1, 9)
    jobs = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        def submit(key, name, text, seed):
            jobs[key] = pool.submit(jp_loss, name, text, seed)

        # How sure: seeds and the number of applications per buyer.
        for s in seeds:
            submit(("apps", 10, s), "cj", cj, s)
        for n in (1, 40, 160):
            for s in (7, 4, 1):
                submit(("apps", n, s), f"cj-apps{n}", with_applications(cj, n), s)
        # How sure: how many firm records stand for a sector (each record split into two identical halves).
        splits = {
            "the high-temperature magnet maker": split_producer(cj, "jp-magnet-ht"),
            "the car and machinery makers' firms": split_firms(split_firms(cj, "jp-auto"), "jp-machinery"),
        }
        splits["all three"] = split_firms(split_firms(splits["the high-temperature magnet maker"], "jp-auto"), "jp-machinery")
        for label, text in splits.items():
            for s in seeds:
                submit(("split", label, s), "cj-split", text, s)
        # The 3-month cut-off's lead time (transport.international_days) with and without precaution, seed 7; the loss is the
        # cut-off's Japan loss less the baseline's with the same edit, as in tools/calibration.py.
        for days in (45, 30, 14):
            for prec in (True, False):
                def edit(t):
                    t = replace_once(t, "international_days: 45", f"international_days: {days}")
                    return t if prec else replace_once(t, "precaution_max_cover_days: 180", "precaution_max_cover_days: 0")
                submit(("lead", days, prec, "cut"), "cut", edit(cut), 7)
                submit(("lead", days, prec, "base"), "base", edit(base), 7)
        # Rationing (bases first, the default; needs first; by value) by the precaution bound, and 50% more high-temperature magnet capacity in Japan
        # and Germany: the cut-off less the baseline with the same edit, seed 7.
        def cut_less_base(key, edit):
            submit(key + ("cut",), "cut", edit(cut), 7)
            submit(key + ("base",), "base", edit(base), 7)
        for bound in (0, 90, 180):
            for rule in RATIONING:
                def edit(t, bound=bound, rule=rule):
                    return with_rationing(replace_once(t, "precaution_max_cover_days: 180", f"precaution_max_cover_days: {bound}"), rule)
                cut_less_base(("rationing", bound, rule), edit)
        # Proportional against efficient rationing where buyers' values per unit differ most: the baseline with a Chinese
        # gallium ban on everyone over days 0–179, every country's loss (seed 7).
        gallium = {rule: pool.submit(losses, f"ga-{rule.replace(' ', '-')}", with_rationing(base + GALLIUM_BAN, rule), 7)
                   for rule in ("bases first", "by value")}
        cut_less_base(("magnets", 1.5), lambda t: scale_capacity(scale_capacity(t, "jp-magnet-ht", 1.5), "de-magnet-ht", 1.5))
        # Producers' finished-goods stores (inventory_cap_days, the store they open at; ASSUMPTION 30) with precaution on and off,
        # and the stores as before Dec 2026 (30 days, opened at 5).
        stores = {f"{d}-day stores": f"inventory_cap_days: {d}" for d in (30, 15, 5)}
        stores["30-day stores opened at 5 days"] = "initial_inventory_days: 5"
        for label, fields in stores.items():
            for prec in (True, False):
                def edit(t, fields=fields, prec=prec):
                    t = producers_with(t, fields)
                    return t if prec else replace_once(t, "precaution_max_cover_days: 180", "precaution_max_cover_days: 0")
                cut_less_base(("stores", label, prec), edit)
        r = {k: v.result() for k, v in jobs.items()}

    print("china-japan-2026, Japan's loss by seed and applications per buyer ($ m):")
    print(f"  10 (shipped), seeds 1–8: {summary([r[('apps', 10, s)] for s in seeds])}")
    for n in (1, 40, 160):
        print(f"  {n}, seeds 7, 4, 1: " + ", ".join(f"{r[('apps', n, s)] / 1e6:,.2f}" for s in (7, 4, 1)))
    print("china-japan-2026, Japan's loss over seeds 1–8 with records split into two halves:")
    print(f"  as shipped: {summary([r[('apps', 10, s)] for s in seeds])}")
    for label in splits:
        print(f"  {label}: {summary([r[('split', label, s)] for s in seeds])}")
    print("japan-cutoff-3m less baseline, Japan's direct loss by international_days (seed 7):")
    for days in (45, 30, 14):
        for prec in (True, False):
            loss = r[("lead", days, prec, "cut")] - r[("lead", days, prec, "base")]
            print(f"  {days} days, precaution {'on ' if prec else 'off'}: ${loss / 1e6:,.1f} m (¥{loss * JPY / 1e9:,.0f} bn)")
    def diff(key): return (r[key + ("cut",)] - r[key + ("base",)]) / 1e6
    print("japan-cutoff-3m less baseline, Japan's direct loss by rationing rule and precaution bound (seed 7, $ m):")
    for rule in RATIONING:
        print(f"  {rule}: " + " / ".join(f"{diff(('rationing', b, rule)):,.2f}" for b in (0, 90, 180)) + " at 0 / 90 / 180 days")
    print("baseline with a 180-day Chinese gallium ban on everyone, direct loss by rationing rule (seed 7, $ bn; 1% of electronics output needs gallium, dependent_share: docs/MODEL.md, known limitations, Only the output that embodies gallium or germanium stops):")
    for rule, job in gallium.items():
        loss = job.result()
        print(f"  {rule}: world {sum(loss.values()) / 1e9:,.2f}; " + ", ".join(f"{c} {v / 1e9:,.2f}" for c, v in sorted(loss.items()) if v > 0))
    print(f"japan-cutoff-3m less baseline with 50% more jp-magnet-ht and de-magnet-ht capacity: ${diff(('magnets', 1.5)):,.1f} m")
    print("japan-cutoff-3m less baseline, Japan's direct loss by producers' store (seed 7, $ m, precaution on / off):")
    for label in stores:
        print(f"  {label}: " + " / ".join(f"{diff(('stores', label, prec)):,.1f}" for prec in (True, False)))


if __name__ == "__main__":
    main()
