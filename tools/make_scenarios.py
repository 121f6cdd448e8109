#!/usr/bin/env python3
"""Writes the shared world of the shipped scenarios (scenarios/world.inc.yaml is not a thing: every scenario file is
self-contained, so this script builds the common part once and documents each derivation). Run: python3 tools/make_scenarios.py"""
import os
Y = 365.0
def d(x): return f"{x/Y:.6g}"

JPY_PER_USD = 151.5
SPARE = 1.03   # assumption: 2024 average exchange rate (not in FACTS.md)

# Japanese firms' cover. FACTS: one component maker stockpiled about six months "in response" to the 2025 controls, so the
# six-month tier exists only in 2026. Before, only levels FACTS gives: JOGMEC's 60-day target and its 18 private days (close
# to the 2–3 weeks Indian automakers held). Equal shares: ASSUMPTION (no distribution is published).
JP_FIRMS_2024 = "firms: [{id: a, share: 0.5, cover_days: 60}, {id: b, share: 0.5, cover_days: 18}]"
JP_FIRMS_2026 = "firms: [{id: a, share: 0.25, cover_days: 180}, {id: b, share: 0.25, cover_days: 60}, {id: c, share: 0.25, cover_days: 30}, {id: d, share: 0.25, cover_days: 18}]"

def world(reserved_share, extra_comment="", jp_firms=JP_FIRMS_2024):
    L = []
    a = L.append
    a(f"""currency: USD          # all prices per tonne, money in US dollars; Japan's GDP converted at ¥{JPY_PER_USD}/USD (assumption)
demand:
  elasticity: 0.15     # ASSUMPTION: no published elasticity (FACTS 'Not found'); the batch runner shows the sensitivity
  lag_days: 3650       # FACTS 2010 episode: substitution reached ≈10% of demand per year → first-order lag of ≈10 years
  floor: 0.5           # FACTS 'Dy in NdFeB': grain-boundary diffusion needs ½–⅓ as much Dy/Tb → intensity floor 0.5
  lead_time_learning: 0.1  # ASSUMPTION: firms move 10% of the way to each observed lead time
transport:
  domestic_days: 14    # ASSUMPTION: order-to-delivery inside one country
  international_days: 45  # FACTS 'Procurement lead time': NdFeB magnets usually 1–2 months → 45 days; sea freight adds 4–6 weeks (FACTS licence mechanics)
segments:              # China's domestic market can split from the rest of the world when controls cut the link
  - id: china
    countries: [CN]
  - id: world          # every other country
countries:             # GDP per year, USD. Japan from FACTS (¥609.3 tn, Cabinet Office 2024); the others ASSUMPTION (IMF 2024 orders of magnitude), used only for GDP shares
  - {{id: CN, name: China, gdp: 18.7e12}}
  - {{id: JP, name: Japan, gdp: {609.3e12/JPY_PER_USD:.6g}}}   # ¥609.3 tn / {JPY_PER_USD}
  - {{id: US, name: United States, gdp: 29.2e12}}
  - {{id: DE, name: Germany (EU proxy), gdp: 4.66e12}}
  - {{id: KR, name: Korea, gdp: 1.87e12}}
  - {{id: IN, name: India, gdp: 3.9e12}}
  - {{id: AU, name: Australia (Lynas incl. Malaysia plant), gdp: 1.8e12}}
  - {{id: MM, name: Myanmar, gdp: 0.064e12}}
  - {{id: RW, name: Rest of world, gdp: 45e12}}
commodities:
  - {{id: lree_concentrate, name: Light rare-earth concentrate, unit: t REO, stage: ore, groups: [rare_earths], reference_price: 6000, price_adjustment: 0.03, price_reversion: 0.01, initial_origin: CN}}       # ASSUMPTION: value of REO in concentrate
  - {{id: hree_concentrate, name: Ionic-clay heavy rare-earth concentrate, unit: t REO, stage: ore, groups: [rare_earths, heavy_rare_earths], reference_price: 12000, price_adjustment: 0.03, price_reversion: 0.01, initial_origin: CN}}  # ASSUMPTION
  - {{id: ndpr_oxide, name: NdPr oxide, unit: t, stage: oxide, groups: [rare_earths, separated_rare_earths], reference_price: 55000, price_adjustment: 0.03, price_reversion: 0.01, initial_origin: CN}}   # FACTS NdPr oxide $50–55/kg FOB China 2024
  - {{id: dy_oxide, name: Dysprosium oxide, unit: t, stage: oxide, groups: [rare_earths, separated_rare_earths, heavy_rare_earths], reference_price: 250000, price_adjustment: 0.03, price_reversion: 0.01, initial_origin: CN}}  # FACTS Dy oxide ≈$220–285/kg
  - {{id: tb_oxide, name: Terbium oxide, unit: t, stage: oxide, groups: [rare_earths, separated_rare_earths, heavy_rare_earths], reference_price: 925000, price_adjustment: 0.03, price_reversion: 0.01, initial_origin: CN}}  # FACTS Tb oxide ≈$920–935/kg
  - {{id: magnet_ht, name: "NdFeB magnet (high-temperature, Dy/Tb-bearing)", unit: t, stage: magnet, groups: [rare_earths, magnets], reference_price: 80000, price_adjustment: 0.03, price_reversion: 0.01, initial_origin: CN}}  # ASSUMPTION price
  - {{id: magnet_std, name: "NdFeB magnet (standard, Dy-free)", unit: t, stage: magnet, groups: [rare_earths, magnets], reference_price: 50000, price_adjustment: 0.03, price_reversion: 0.01, initial_origin: CN}}  # ASSUMPTION price
  - {{id: gallium, name: Gallium, unit: t, stage: metal, groups: [dual_use_metals], reference_price: 300000, price_adjustment: 0.03, price_reversion: 0.01, initial_origin: CN}}      # ASSUMPTION (not in FACTS)
  - {{id: germanium, name: Germanium, unit: t, stage: metal, groups: [dual_use_metals], reference_price: 1500000, price_adjustment: 0.03, price_reversion: 0.01, initial_origin: CN}}  # ASSUMPTION (not in FACTS)
""")
    # Producers: (id, country, output, capacity/yr, unit cost, inputs, extra, comment)
    a("producers:")
    a("  # Capacity = 2024 output × 1.03 (ASSUMPTION: 3% spare capacity). Unit cost (inputs excluded) = reference revenue − inputs at")
    a("  # reference prices: every producer just breaks even at the reference prices (ASSUMPTION: long-run zero profit; no cost data).")
    P = []
    REF = {"lree_concentrate": 6000, "hree_concentrate": 12000, "ndpr_oxide": 55000, "dy_oxide": 250000, "tb_oxide": 925000,
           "magnet_ht": 80000, "magnet_std": 50000, "gallium": 300000, "germanium": 1500000}
    def prod(id, country, sector, output, cap_y, cost, inputs=None, extra="", comment="", co=None):
        # Long-run zero profit at reference prices (ASSUMPTION: no cost data in FACTS): unit cost = revenue − inputs at reference.
        cost = REF[output] + sum(r * REF[k] for k, r in (co or {}).items()) - sum(a * REF[k] for k, a in (inputs or {}).items())
        cap_y *= SPARE
        s = f"  - {{id: {id}, country: {country}, sector: {sector}, output: {output}, capacity: {d(cap_y)}, unit_cost: {cost:.6g}"
        if inputs: s += ", inputs: {" + ", ".join(f"{k}: {v:.6g}" for k, v in inputs.items()) + "}"
        if extra: s += ", " + extra
        s += "}"
        a(s + (f"   # {comment}" if comment else ""))
    a("  # Mines, t REO per day = 2024 output / 365 (FACTS 'Mine production 2024', USGS MCS 2025). Unit costs: ASSUMPTION.")
    prod("cn-mine-lree", "CN", "mining", "lree_concentrate", 250000, 3000, comment="China 270,000 t, of which 20,000 t ionic clay (ASSUMPTION split)")
    prod("cn-mine-hree", "CN", "mining", "hree_concentrate", 20000, 6000, comment="China's ionic-clay share (ASSUMPTION)")
    prod("mm-mine-hree", "MM", "mining", "hree_concentrate", 31000, 5000, comment="Myanmar 31,000 t (ionic clay, fed to China)")
    prod("us-mine-lree", "US", "mining", "lree_concentrate", 45000, 4000, comment="USA 45,000 t (Mountain Pass)")
    prod("au-mine-lree", "AU", "mining", "lree_concentrate", 13000, 3500, comment="Australia 13,000 t (Mt Weld)")
    prod("rw-mine-lree", "RW", "mining", "lree_concentrate", 13000+13000+2500+2000+300, 4000, comment="Nigeria 13,000 + Thailand 13,000 + Russia 2,500 + Madagascar 2,000 + Vietnam 300")
    prod("in-mine-lree", "IN", "mining", "lree_concentrate", 2900, 4000, comment="India 2,900 t (IREL)")
    a("  # Separation: China ≈91–92% of refined output (FACTS, IEA). NdPr ≈ 20% of light REO (ASSUMPTION: 5 t concentrate per t NdPr).")
    prod("cn-sep-lree", "CN", "separation", "ndpr_oxide", (250000+45000+13000+13000+2500+2000+300)/5, 20000, {"lree_concentrate": 5}, comment="capacity = China's + USA's + rest-of-world concentrate / 5")
    prod("au-sep-lree", "AU", "separation", "ndpr_oxide", 6558, 30000, {"lree_concentrate": 13000/6558},
         extra=f"reserved_for: [JP], reserved_share: {reserved_share}",
         comment="Lynas NdPr 6,558 t FY2025 (FACTS); 13,000 t REO per 6,558 t NdPr; JARE offtake for Japan (FACTS: up to 7,200 t/yr), reserved share CALIBRATED to Japan's 71.9% import share from China")
    prod("in-sep-lree", "IN", "separation", "ndpr_oxide", 30, 20000, {"lree_concentrate": 5}, extra="ramp_rate: 0.005", comment="IREL Nd oxide 20–40 t in FY25 (FACTS)")
    prod("us-sep-lree", "US", "separation", "ndpr_oxide", 0, 25000, {"lree_concentrate": 5}, extra="ramp_rate: 0.005", comment="no US separation in 2024 in this model; capacity projects may add it")
    prod("cn-sep-hree", "CN", "separation", "dy_oxide", (20000+31000)/25, 80000, {"hree_concentrate": 25},
         extra="co_products: {tb_oxide: 0.2}", co={"tb_oxide": 0.2}, comment="ionic clay ≈4% Dy2O3 and ≈0.8% Tb4O7 of REO (ASSUMPTION); all heavy REE separated in China (FACTS: Japan's Dy/Tb dependence ≈100%)")
    prod("au-sep-hree", "AU", "separation", "dy_oxide", 0, 80000, None,
         extra="co_products: {tb_oxide: 0.2}, reserved_for: [JP], reserved_share: 0.65, ramp_rate: 0.02", co={"tb_oxide": 0.2},
         comment="Lynas heavy REE: none in 2024; first Dy oxide outside China May 2025; up to 65% of Mt Weld Dy/Tb reserved for Japan (FACTS)")
    a("  # Magnets: China ≈94% of sintered NdFeB (FACTS, IEA). Per t magnet: NdPr oxide 0.31 t; Dy 4% of magnet mass (FACTS) → 0.046 t Dy2O3; Tb 0.0092 t (ASSUMPTION: set so world Tb use matches the 408 t co-produced).")
    a("  # World high-temperature magnet output is bounded by Dy: 2,040 t Dy / 0.046 ≈ 44,000 t; the rest of NdPr makes Dy-free magnets (0.34 t NdPr per t).")
    ht = {"ndpr_oxide": 0.31, "dy_oxide": 0.046, "tb_oxide": 0.0092}
    std = {"ndpr_oxide": 0.34}
    thr = "thrift: {dy_oxide: {floor: 0.5}, tb_oxide: {floor: 0.5}}"
    prod("cn-magnet-ht", "CN", "magnets", "magnet_ht", 35000, 30000, ht, extra=thr, comment="ASSUMPTION split of China's 94%")
    prod("cn-magnet-std", "CN", "magnets", "magnet_std", 162350, 25000, std)
    prod("jp-magnet-ht", "JP", "magnets", "magnet_ht", 8000, 30000, ht, extra=thr + ", input_cover_days: 30",
         comment="Japan's magnet REE use 29% × 18,835 t = 5,462 t/yr (FACTS: demand 18,835 t; magnets ≈29% of volume); split ht/std ASSUMPTION")
    prod("jp-magnet-std", "JP", "magnets", "magnet_std", 7547, 25000, std, extra="input_cover_days: 30")
    prod("de-magnet-ht", "DE", "magnets", "magnet_ht", 1000, 32000, ht, extra=thr, comment="EU magnet makers (ASSUMPTION)")
    a("  # Gallium and germanium: ASSUMPTION (not in FACTS.md): China ≈98% of primary gallium, ≈70% of germanium.")
    prod("cn-gallium", "CN", "metals", "gallium", 750, 150000)
    prod("rw-gallium", "RW", "metals", "gallium", 15, 250000)
    prod("cn-germanium", "CN", "metals", "germanium", 90, 800000)
    prod("rw-germanium", "RW", "metals", "germanium", 40, 1000000)

    # Manufacturers: annual shipments in USD million, inputs in t per year.
    a("manufacturers:")
    a("  # Output unit: USD 1 million of shipments (output_value 1e6). planned_output = annual shipments / 365.")
    a("  # Inputs: t per USD million = annual use (t) / annual shipments (USD million). value_added ratio 0.3 ASSUMPTION (no FACTS row).")
    other_firms = "firms: [{id: a, share: 0.34, cover_days: 60}, {id: b, share: 0.33, cover_days: 30}, {id: c, share: 0.33, cover_days: 18}]"
    def man(id, country, sector, ship_y_musd, uses, firms, extra="", comment=""):
        po = ship_y_musd / Y
        inputs = ", ".join(f"{k}: {v/ship_y_musd:.6g}" for k, v in uses.items())
        s = f"  - {{id: {id}, country: {country}, sector: {sector}, output_unit: USD million, planned_output: {po:.6g}, output_value: 1000000, value_added: 300000, inputs: {{{inputs}}}"
        if extra: s += ", " + extra
        s += ", " + firms + "}"
        if comment: a(f"  # {comment}")
        a(s)
    man("jp-auto", "JP", "automotive", 62.8e12/JPY_PER_USD/1e6, {"magnet_ht": 4000}, jp_firms,
        comment="Japan autos ¥62.8 tn shipments (FACTS, JAMA 2022); ht magnets ≈8 M vehicles × 0.5 kg (FACTS EV 1–2 kg, hybrid 0.4 kg; fleet mix ASSUMPTION); firm cover: see JP_FIRMS in tools/make_scenarios.py (FACTS Inventories, JOGMEC 60 and 18 days)")
    man("jp-electronics", "JP", "electronics", 0.4*40e12/JPY_PER_USD/1e6, {"magnet_std": 10000, "gallium": 80, "germanium": 10}, jp_firms,
        comment="Japanese electronics ≈¥40 tn global production (FACTS, JEITA), 40% made in Japan (ASSUMPTION)")
    man("jp-machinery", "JP", "machinery", 200000, {"magnet_ht": 3000}, jp_firms, comment="machinery & robots (FACTS exposed sectors); size ASSUMPTION")
    man("jp-defence", "JP", "defence", 15000, {"magnet_ht": 100, "gallium": 20, "germanium": 5}, jp_firms, extra="military_share: 1", comment="defence (FACTS: missiles, radar, satellites); size ASSUMPTION")
    a("  # Other countries: sizes ASSUMPTION, chosen so world demand matches the supply above (magnets ht 44,000 t, std ≈171,000 t).")
    for c, ship_auto, ht_t, ship_el, std_t, ga, ge in [
        ("CN", 1200000, 25000, 1500000, 110000, 500, 60),
        ("US", 600000, 3000, 500000, 12000, 60, 20),
        ("DE", 500000, 3500, 300000, 8000, 40, 10),
        ("KR", 250000, 2000, 400000, 10000, 60, 10),
        ("IN", 150000, 800, 100000, 6000, 0, 0),
        ("RW", 800000, 2600, 800000, 14900, 5, 15)]:
        man(f"{c.lower()}-auto", c, "automotive", ship_auto, {"magnet_ht": ht_t}, other_firms)
        uses = {"magnet_std": std_t}
        if ga: uses["gallium"] = ga
        if ge: uses["germanium"] = ge
        man(f"{c.lower()}-electronics", c, "electronics", ship_el, uses, other_firms)
    return "\n".join(L) + "\n"

JP_STOCKPILE = """  # Japan's national stockpile: JOGMEC target 60 days of consumption, 42 national + 18 private (FACTS); the 42 national days
  # are held here for NdPr, Dy and Tb, sized on Japan's magnet makers' daily use; released when Japan's unmet share exceeds 1%%.
  - {id: jp-stockpile-dy, type: stockpile, country: JP, commodity: dy_oxide, start: 0, size: %(dy)s, max_release_per_day: %(dyr)s}
  - {id: jp-stockpile-tb, type: stockpile, country: JP, commodity: tb_oxide, start: 0, size: %(tb)s, max_release_per_day: %(tbr)s}
  - {id: jp-stockpile-ndpr, type: stockpile, country: JP, commodity: ndpr_oxide, start: 0, size: %(nd)s, max_release_per_day: %(ndr)s}
"""
def jp_stockpile():
    dy = 8000*0.046/Y; tb = 8000*0.0092/Y; nd = (8000*0.31+7547*0.34)/Y
    return JP_STOCKPILE % dict(dy=f"{42*dy:.6g}", dyr=f"{2*dy:.6g}", tb=f"{42*tb:.6g}", tbr=f"{2*tb:.6g}", nd=f"{42*nd:.6g}", ndr=f"{2*nd:.6g}")

RESERVED = 0.19

def write(name, header, policies, start="2024-01-01", reserved=RESERVED, overrides=None, jp_firms=JP_FIRMS_2024):
    body = world(reserved, jp_firms=jp_firms)
    if overrides:
        for a_, b_ in overrides: body = body.replace(a_, b_)
    text = header + f"start_date: {start}\ndays: 365\nseed: 7\n" + body + "policies:\n" + policies
    open(os.path.join(os.path.dirname(__file__), "..", "scenarios", name), "w").write(text)

write("baseline.yaml", """# Baseline: trade as in 2024, before China's April 2025 licensing. Generated by tools/make_scenarios.py: edit there.
# Calibration targets (docs/MODEL.md): Japan's import share from China ≈72% (≈100% for Dy and Tb); magnet lead time 1–2 months.
name: baseline
description: World rare-earth trade as in 2024, before China's April 2025 licensing regime.
""", jp_stockpile())

write("japan-cutoff-3m.yaml", """# Japan cut-off: the baseline world, and China halts all rare-earth and magnet exports to Japan for 90 days, then resumes.
# Generated by tools/make_scenarios.py: edit there. Calibration: Japan's loss against the baseline ≈ ¥660 bn ≈ 0.11% of GDP
# (FACTS 'Cost of a cut-off', Nomura Research Institute), within ±25%.
name: japan-cutoff-3m
description: China halts all rare-earth and magnet exports to Japan for 90 days (civil and military), then resumes.
""", jp_stockpile() + """  - {id: cn-cutoff-jp, type: export_control, exporter: CN, commodities: [group:rare_earths], destinations: [JP], end_use: all, mode: ban, start: 0, end: 90}
""")

write("china-japan-2026.yaml", """# China–Japan 2026 (the default scenario): China's April 2025 licensing regime plus the January 2026 measures.
# Generated by tools/make_scenarios.py: edit there. Every number names its FACTS.md row or says ASSUMPTION.
name: china-japan-2026
description: April 2025 licensing for medium and heavy rare earths to every destination, plus the 6 Jan 2026 dual-use ban on Japanese military end use with the re-export clause and tighter licensing to Japan.
""", jp_stockpile() + """  # April 2025, Announcement No. 18 (FACTS): Dy, Tb (and Sm, Gd, Lu, Sc, Y, not modelled) in oxide, metal and magnet form need a
  # licence for every export to every destination. Processing 20–45 working days ≈ 28–63 calendar days (FACTS, Reuters Oct 2025).
  # Approval ≈60% by late June 2025 (FACTS, CLEPA/Reuters).
  - {id: cn-licensing-2025, type: export_control, exporter: CN, commodities: [dy_oxide, tb_oxide, magnet_ht], mode: license, approval_rate: 0.6, delay_min_days: 28, delay_max_days: 63, start: 0}
  # 6 Jan 2026, Announcement No. 1 (FACTS): all dual-use items banned to Japanese military end use, with the re-export clause.
  - {id: cn-dual-use-jp-military, type: export_control, exporter: CN, commodities: [group:rare_earths, gallium, germanium], destinations: [JP], end_use: military, mode: ban, re_export: true, start: 2026-01-06}
  # Tighter review of medium and heavy rare-earth licences to Japan (FACTS 'Licensing'): ASSUMPTION approval 25%, the early-June 2025 low (FACTS).
  - {id: cn-licensing-jp-tight, type: export_control, exporter: CN, commodities: [dy_oxide, tb_oxide, magnet_ht], destinations: [JP], end_use: civil, mode: license, approval_rate: 0.25, delay_min_days: 28, delay_max_days: 63, start: 2026-01-20}
  # Alternatives with their real limits (FACTS): Lynas heavy REE (≈30% of Japan's heavy-REE demand, 65% of it reserved for Japan);
  # India: Nd oxide 200 t in FY26, 500 t in FY27 (targets); India–Japan agreement 19 Jan 2026; deep-sea mud not before ten years.
  - {id: in-irel-expansion, type: capacity_project, producer: in-sep-lree, added_capacity: 0.466, lead_time_days: 90, cost: 50e6, payer: IN, start: 0}
""", start="2026-01-01", jp_firms=JP_FIRMS_2026, overrides=[("au-sep-hree, country: AU, sector: separation, output: dy_oxide, capacity: 0,",
    # 30% of Japan's heavy-REE demand (FACTS) from the 65% reserved share: Japan's Dy use 8,000 t × 0.046 = 368 t/yr → 0.3 × 368 / 0.65
    f"au-sep-hree, country: AU, sector: separation, output: dy_oxide, capacity: {0.3*8000*0.046/0.65/Y:.6g},")])
print("written")
