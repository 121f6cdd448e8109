#!/usr/bin/env python3
"""Writes the shared world of the shipped scenarios (scenarios/world.inc.yaml is not a thing: every scenario file is
self-contained, so this script builds the common part once and documents each derivation). Run: python3 tools/make_scenarios.py"""
import os
Y = 365.0
def d(x): return f"{x/Y:.6g}"

JPY_PER_USD = 151.5   # ASSUMPTION: 2024 average exchange rate
SPARE = 1.03   # ASSUMPTION: producers hold 3% spare capacity over their 2024 output
# ASSUMPTION: a price answers to a month of demand and supply (no source says over how many days of trade a rare-earth price
# forms). Fastmarkets assesses rare-earth prices for prompt delivery within 30 days (specifications of its rare-earth prices,
# Nov 2023: "Timing: Prompt, 30 days", published weekly), and the buyers below learn from a monthly purchasing cycle.
PRICE_WINDOW_DAYS = 30

# Manufacturers' magnet cover, every country: 2–3 weeks, as Indian automakers held magnets in 2025 (press), i.e. 21 and 14 days.
# It is the only published figure on users' stock of magnets, and it was observed under China's April 2025 licensing, so it
# serves the 2024 and 2026 worlds alike (and 2010: ASSUMPTION). JOGMEC's 60-day target (42 days national, 18 private) is for
# rare-earth material, not magnets at their users; its national part is Japan's stockpile in these scenarios. Until Dec 2026
# every country but Japan held 60, 30 and 18 days (ASSUMPTION, no source: the 60 was JOGMEC's Japanese target, which Japan's
# own firms had already dropped), so India's automakers, the firms the source describes, held 36 days on average where the
# source says 14–21. One Japanese component maker stockpiled about six months "in response" to the 2025 controls, so the
# six-month tier (and a 30-day one, ASSUMPTION) exists only in Japan's 2026 tiers.
FIRMS_2024 = "firms: [{id: a, share: 0.5, cover_days: 21}, {id: b, share: 0.5, cover_days: 14}]"
JP_FIRMS_2024 = FIRMS_2024
# ASSUMPTION, not sourced: the share of every Japanese manufacturer's 2026 output (autos, electronics, machinery, defence) made by
# firms holding six months. The press reports one electronic-component maker and no share of output; nothing published says how
# many Japanese users of magnets, gallium or germanium did the same. The other three tiers (30, 21, 14 days) share the rest
# equally (ASSUMPTION). Its weight on the results is shown in docs/MODEL.md (Parameters: probes at 10% and 50%).
SIX_MONTH_SHARE = 0.25
def jp_firms_2026(six=SIX_MONTH_SHARE):
    rest = float(f"{(1 - six) / 3:.6g}")
    last = f"{1 - six - 2 * rest:.6g}"   # the shares add up to 1 exactly as written (the loader checks it)
    return (f"firms: [{{id: a, share: {six:g}, cover_days: 180}}, {{id: b, share: {rest:g}, cover_days: 30}}, "
            f"{{id: c, share: {rest:g}, cover_days: 21}}, {{id: d, share: {last}, cover_days: 14}}]")
JP_FIRMS_2026 = jp_firms_2026()

# Firms' behaviour, one set for every shipped scenario (the 2010 backcast is where it is checked: tools/backcast.py).
# Thrift lag: Sprecher et al. 2017 report substitution of ≈10% of demand per year in 2010–12. In the first-order lag the speed is
# (1 − θ*)/lag; at the 2011 Dy price (≈20× the reference) θ* = max(0.5, 20^−0.15) = 0.64, so lag = 0.36/0.10 years ≈ 1,320 days.
# Derived from Dy at 20×, not fitted to the car makers' response: their thrift reads the magnet price, which never reaches 20×,
# and in the backcast (Dy ≈3.9× at its peak) thrift is slight (≈0.1% over 2010–12), missing Sprecher's ≈10% a year.
LAG_DAYS = round(0.36 / 0.10 * 365 / 10) * 10
BEHAVIOUR = f"""  lag_days: {LAG_DAYS}       # Sprecher et al. 2017: substitution ≈10% of demand per year in 2010–12; speed (1 − θ*)/lag with θ* = 0.64 at the 2011 Dy price (20× the reference, ε = 0.15) → lag ≈ 3.6 years. Derived from Dy at 20×, not fitted to car makers, whose thrift reads the magnet price (never 20×); the backcast's thrift is ≈0.1% over 2010–12, not ≈10% a year
  floor: 0.5           # sourced for Dy/Tb per tonne of magnet: grain-boundary diffusion needs ½–⅓ as much Dy/Tb (Heim & Vander Wal 2023; IEEE 2017) → intensity floor 0.5; for every other input it applies to (magnets per car or machine, gallium, germanium) ASSUMPTION
  lead_time_learning: 0.1  # ASSUMPTION: firms move 10% of the way to each observed lead time
  persistence: 0.8     # ASSUMPTION: 80% of a redesign is not undone when prices fall (Sprecher et al. 2017; METI: Japan's demand fell in 2012 and did not come back)
buyers:
  price_band: 0.10     # ASSUMPTION: buyers spread orders over offers up to 10% dearer than the cheapest (switching costs, contracts)
  risk_learning_days: 30    # ASSUMPTION: a disruption is felt within one monthly purchasing cycle
  risk_memory_days: 730     # Sprecher et al. 2017: recovery from the 2010 episode took ≈2 years; risk fades over the same time (ASSUMPTION that they match)
  security_premium: 0.5     # ASSUMPTION: a fully risky supplier looks 50% dearer (no published premium; sweep it)
  qualification_days: 180   # ASSUMPTION within the range: automotive qualification of a new magnet or oxide supplier (PPAP-style approval) takes months
  qualify_at_risk: 0.1      # ASSUMPTION: qualification starts once a tenth of supply from a country is disrupted
  precaution_max_cover_days: 180   # a Japanese component maker held about six months of stock in response to China's 2025 controls (press reports, Jan 2026): the bound
  precaution_build_days: 60        # ASSUMPTION: stock is built over about two months (orders, transport)
  precaution_release_days: 365     # ASSUMPTION: the news of a control, and stocks, fade over about a year
  end_use_upstream: true           # a producer's military share of purchases follows its sales to military buyers (China's 2026 measure binds military end use wherever it ends up)
  end_use_lag_days: 30             # ASSUMPTION: a month of order book
investment:            # producers add capacity when their margin stays above the threshold
  step: 0.5            # ASSUMPTION: an expansion adds half a running plant. Not checked against a source: in the 2010 backcast without its scripted Mountain Pass and Lynas projects the rule alone adds +1.016 t NdPr a day from 2013 (non-China share of NdPr sales 3.9% in 2010, 4.9% in 2014), not the ≈4 points a year of Sprecher et al. 2017, which the scripted projects give (docs/MODEL.md, Investment)
  margin_threshold: 0.25   # ASSUMPTION: a 25% margin over full cost, sustained
  sustain_days: 180    # ASSUMPTION: six months of high margins before a decision
  lead_days: 730       # ASSUMPTION: expansion of a running plant ≈2 years (new processing plants take ≈8 years: IEA; expansions are shorter)
  ramp_days: 730       # ASSUMPTION: S-shaped ramp over two years
"""

# Japan's defence sector (jp-defence): no bill of materials per sector is published, so its yearly use of each input is set at
# an upper bound: a published US total, scaled by Japan's military spending over the United States'. Grounds for a bound:
# (1) the US totals below cover every US use, civil and military, so US defence uses less than each; (2) ASSUMPTION: Japan's
# defence uses no more of each input per dollar of military spending than US defence does. Each value is the bound itself,
# not a defence share of it (no share is published): the most exposure the bound allows, an ASSUMPTION on the high side.
# Military spending 2024 (SIPRI, Trends in World Military Expenditure 2024, Apr 2025): United States $997 bn; Japan 1.4% of
# GDP (+21% on 2023), i.e. 1.4% × ¥609.3 tn (Cabinet Office) at ¥151.5/USD ≈ $56 bn: a ratio of ≈17.7.
US_MILEX_2024 = 997e9
JP_MILEX_2024 = 0.014 * 609.3e12 / JPY_PER_USD
MIL_RATIO = US_MILEX_2024 / JP_MILEX_2024
# Gallium: US consumption ≈16 t a year on average over 2016–2020 (USGS Mineral Commodity Summaries, as summed up in USGS's
# gallium release of its USMIN deposit database, 2021); USGS counts imports of gallium metal and of GaAs and GaN wafers and US
# wafer production (MCS 2024), so devices made abroad from imported wafers are in it, finished devices imported are not.
# 16 / 17.7 ≈ 0.90 t a year (before: 20 t, more than all US consumption, and ≈20% of Japan's gallium in this world).
JP_DEF_GALLIUM = 16 / MIL_RATIO
# Germanium: US consumption, estimated, 30 t a year in 2016–2019 (34 t in 2015; USGS Mineral Commodity Summaries 2020); it
# includes infrared optics (night vision), the main military use. 30 / 17.7 ≈ 1.7 t a year (before: 5 t).
JP_DEF_GERMANIUM = 30 / MIL_RATIO
# High-temperature magnets: US Department of Defense rare-earth demand under 0.1% of world supply (GAO 2024), world mine output
# ≈390,000 t REO in 2024 (USGS MCS 2025) → under 390 t REO; ÷ 17.7 ≈ 22 t REO; all of it taken as high-temperature magnets at
# this world's bill of 0.365 t of oxides per t of magnet (NdPr 0.31 + Dy 0.046 + Tb 0.0092) ≈ 60 t a year (before: 100 t).
JP_DEF_MAGNET_HT = 0.001 * 390000 / MIL_RATIO / (0.31 + 0.046 + 0.0092)

# Gallium and germanium, t a year (derivation; docs/MODEL.md, Parameters). Until Dec 2026 every figure here was unsourced (the US's
# electronics used 60 t of gallium, nearly four times all US consumption; Korea 60, Germany 40, Japan 80, China 500).
# Electronics shipments, USD million a year (ASSUMPTION, as below): the unit the intensities per $ million are read in.
SHIP_EL = {"CN": 1500000, "US": 500000, "DE": 300000, "KR": 400000, "IN": 100000, "RW": 800000, "JP": 0.4 * 40e12 / JPY_PER_USD / 1e6}
# Supply, primary low-purity gallium in 2024 (USGS Mineral Commodity Summaries 2025, estimates): China 750 t, Russia 6, Japan 3,
# Korea 3 (world ≈760 t, China 99%). The model carries primary gallium only: no recycling, no secondary refining.
GA_OUT = {"CN": 750, "RW": 6 + 3 + 3}
GA_WORLD = sum(GA_OUT.values())
# Demand, where a consumption figure is published:
# Japan: 167 t consumed in 2021, 97 t of it imported, 55 t from China (JOGMEC, as reported in Aug 2025). Its own output, 70 t,
# is 3 t of primary gallium (USGS MCS 2025) and, ASSUMPTION, 67 t of recycled process scrap, which the model does not carry: so
# Japan draws 167 − 67 = 100 t on the primary market (defence's 0.90 t bound included, electronics the rest).
# United States: ≈16 t a year, 2016–2020 average (USGS Mineral Commodity Summaries; all US gallium: ICs 79%, optoelectronics 20%,
# R&D 1%, MCS 2025, so all of it electronics here).
# Germany (the EU proxy): refined gallium consumption 30–40 t (2015; DERA, Rohstoffwirtschaftliche Steckbriefe: Gallium) → 35 t.
# ASSUMPTION for the US and Germany: their consumption is all primary (no split published; on the high side).
JP_GA_OWN_PRIMARY = 3
GA_JP = 167 - (167 - 97 - JP_GA_OWN_PRIMARY)          # 167 − 67 = 100
GA_PUB = {"JP": GA_JP, "US": 16, "DE": 35}
# ASSUMPTION, no figure found for Korea, India or the rest of the world: they use the lowest of the published intensities per $
# million of electronics shipments (the US's, 3.2e-5 t), the choice that least overstates China's recorded exports (below).
JP_DEF_GA = round(JP_DEF_GALLIUM, 2)   # as written into jp-defence
JP_DEF_GE = round(JP_DEF_GERMANIUM, 2)
GA_ELECTRONICS_PUB = {"JP": GA_JP - JP_DEF_GA, "US": GA_PUB["US"], "DE": GA_PUB["DE"]}
GA_LOW = min(GA_ELECTRONICS_PUB[c] / SHIP_EL[c] for c in GA_ELECTRONICS_PUB)
GA_USE = dict(GA_PUB, **{c: GA_LOW * SHIP_EL[c] for c in ("KR", "IN", "RW")})
# China: the remainder of world output (ASSUMPTION: world demand equals world primary output, as for magnets). Check, not target:
# the model's Chinese exports are then its foreign buyers' use less the 12 t made outside China, ≈181 t a year, against 94 t
# recorded by Chinese customs in 2022 (Reuters, Jul 2023): the published consumption figures above include recycled and
# secondary gallium, which the model's supply lacks, so a Chinese ban here takes away more than China has exported.
GA_USE["CN"] = GA_WORLD - sum(GA_USE.values())
# Germanium: world output ≈130 t, China more than 70% (DERA Rohstoffinformationen 28, 2016): China 90 t, the rest 40 t (69%).
GE_OUT = {"CN": 90, "RW": 40}
# China's own use: its output less its recorded exports, 43.7 t of wrought and unwrought germanium in 2022 (Chinese customs, via
# Reuters, Jul 2023). Outside China: the rest (40 t made there plus 43.7 t from China). United States ≈30 t a year estimated
# consumption, 2016–2019 (USGS MCS 2020); Japan's defence its 1.69 t bound; ASSUMPTION, no figure found: the remainder is shared
# by Japan's, Germany's, Korea's, India's and the rest of the world's electronics in proportion to their shipments (one intensity;
# the US's own, 6e-5 t per $ million, applied to them would leave China ≈2 t of its own 90 t, against ≈46 t by its exports).
GE_CN_EXPORTS = 43.7
GE_USE = {"CN": GE_OUT["CN"] - GE_CN_EXPORTS, "US": 30}
GE_SHARED = GE_OUT["RW"] + GE_CN_EXPORTS - GE_USE["US"] - JP_DEF_GE
GE_USE.update({c: GE_SHARED * SHIP_EL[c] / sum(SHIP_EL[k] for k in ("JP", "DE", "KR", "IN", "RW")) for c in ("JP", "DE", "KR", "IN", "RW")})

# The share of electronics output that needs gallium or germanium (`dependent_share`; docs/MODEL.md, Manufacturers and
# Parameters). The recipes above give each sector's gallium per $ of ALL its shipments, so that its use is the published figure;
# a shortage stops only the output that embodies the metal, which uses aₖ/σ per $ (use at plan unchanged: σ·q*·aₖ/σ = aₖ·q*).
# Gallium: the devices that embody it, world sales in 2022: LEDs $14.214 bn (TrendForce, Mar 2023), RF GaN devices $1.3 bn
# (Yole Intelligence, as reported by RF Globalnet, Jun 2023), GaAs ICs "close to $5 bn" (The Information Network, 2012; no later
# figure found), against $3,436.8 bn of world production of the electronics and IT industries in 2022 (JEITA, Dec 2022; the
# model's electronics sectors add up to ≈$3.7 tn): 0.60%. ASSUMPTION: laser diodes and VCSELs, GaN power devices, photodetectors
# and space solar cells, for which no figure was found, bring it to 1% (GA_SHARE_SOURCED is the part found). The rest of the
# sector's output is taken to go on without gallium for the year: downstream assemblers (phones, displays, base stations) are
# in this sector too, and the rule says they get their gallium devices (device makers' stocks, devices rationed to them,
# silicon alternatives in part); docs/MODEL.md, known limitations, *Only the output that embodies gallium or germanium stops*.
GA_DEVICES_2022_BN = {"LEDs": 14.214, "RF GaN": 1.3, "GaAs ICs": 5.0}
EL_WORLD_2022_BN = 3436.8
GA_SHARE_SOURCED = sum(GA_DEVICES_2022_BN.values()) / EL_WORLD_2022_BN     # 0.0060
GA_SHARE = 0.01
# Germanium: optical fibre, world $4.9 bn in 2022 (Research and Markets, as reported Mar 2023) = 0.14% of JEITA's total; infrared
# optics and satellite solar cells: no figure found. ASSUMPTION: 0.5% of electronics output needs germanium.
GE_FIBRE_2022_BN = 4.9
GE_SHARE_SOURCED = GE_FIBRE_2022_BN / EL_WORLD_2022_BN                        # 0.0014
GE_SHARE = 0.005
# Japan's defence (radar, missiles, night vision) keeps the fixed recipe: all its output needs both (an upper bound, as its use).

def world(reserved_share, extra_comment="", jp_firms=JP_FIRMS_2024):
    L = []
    a = L.append
    a(f"""currency: USD          # all prices per tonne, money in US dollars; Japan's GDP converted at ¥{JPY_PER_USD}/USD (assumption)
content_origin: true   # lots carry customs origin and content shares by value, so a re-export clause can read content (China's 0.1% rule)
demand:
  elasticity: 0.15     # ASSUMPTION: no published elasticity of rare-earth demand ("very inelastic"); the batch runner shows the sensitivity
{BEHAVIOUR}transport:
  domestic_days: 14    # ASSUMPTION: order-to-delivery inside one country
  international_days: 45  # the whole procurement lead time: NdFeB magnets usually 1–2 months (a Tokyo magnetic-device maker, news Jan 2026) → 45 days; sea freight alone China–Japan takes days (ASSUMPTION: no source cited)
segments:              # China's domestic market can split from the rest of the world when controls cut the link
  - id: china
    countries: [CN]
  - id: world          # every other country
countries:             # GDP per year, USD. Japan (¥609.3 tn, Cabinet Office 2024); the others ASSUMPTION (IMF 2024 orders of magnitude), used only for GDP shares
  - {{id: CN, name: China, gdp: 18.7e12}}
  - {{id: JP, name: Japan, gdp: {609.3e12/JPY_PER_USD:.6g},   # ¥609.3 tn / {JPY_PER_USD}
     io_multipliers: {{automotive: 2, electronics: 2, machinery: 2, defence: 2, magnets: 2}},   # ASSUMPTION: see io_source (magnet making is manufacturing too)
     io_source: "ASSUMPTION: 2.0 for each sector, the order of the column sums of the inverse matrix for manufacturing in Japan's national input-output tables (Ministry of Internal Affairs and Communications); replace with the table's own sector figures"}}
  - {{id: US, name: United States, gdp: 29.2e12}}
  - {{id: DE, name: Germany (EU proxy), gdp: 4.66e12}}
  - {{id: KR, name: Korea, gdp: 1.87e12}}
  - {{id: IN, name: India, gdp: 3.9e12}}
  - {{id: AU, name: Australia (Lynas incl. Malaysia plant), gdp: 1.8e12}}
  - {{id: MM, name: Myanmar, gdp: 0.064e12}}
  - {{id: RW, name: Rest of world, gdp: 45e12}}
commodities:
  - {{id: lree_concentrate, name: Light rare-earth concentrate, unit: t REO, stage: ore, groups: [rare_earths], reference_price: 6000, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}       # ASSUMPTION: value of REO in concentrate
  - {{id: hree_concentrate, name: Ionic-clay heavy rare-earth concentrate, unit: t REO, stage: ore, groups: [rare_earths, heavy_rare_earths], reference_price: 12000, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}  # ASSUMPTION
  - {{id: ndpr_oxide, name: NdPr oxide, unit: t, stage: oxide, groups: [rare_earths, separated_rare_earths], reference_price: 55000, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}   # NdPr oxide $50–55/kg FOB China 2024 (Fastmarkets; Lynas)
  - {{id: dy_oxide, name: Dysprosium oxide, unit: t, stage: oxide, groups: [rare_earths, separated_rare_earths, heavy_rare_earths], reference_price: 250000, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}  # Dy oxide ≈$220–285/kg in China 2024–Apr 2025 (SMM; chinatungsten)
  - {{id: tb_oxide, name: Terbium oxide, unit: t, stage: oxide, groups: [rare_earths, separated_rare_earths, heavy_rare_earths], reference_price: 925000, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}  # Tb oxide ≈$920–935/kg in China 2024–Apr 2025 (SMM; chinatungsten)
  - {{id: magnet_ht, name: "NdFeB magnet (high-temperature, Dy/Tb-bearing)", unit: t, stage: magnet, groups: [rare_earths, magnets], reference_price: 80000, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}  # ASSUMPTION price
  - {{id: magnet_std, name: "NdFeB magnet (standard, Dy-free)", unit: t, stage: magnet, groups: [rare_earths, magnets], reference_price: 50000, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}  # ASSUMPTION price
  - {{id: gallium, name: Gallium, unit: t, stage: metal, groups: [dual_use_metals], reference_price: 300000, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}      # ASSUMPTION (no published price used)
  - {{id: germanium, name: Germanium, unit: t, stage: metal, groups: [dual_use_metals], reference_price: 1500000, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}  # ASSUMPTION (no published price used)
""")
    # Producers: (id, country, output, capacity/yr, unit cost, inputs, extra, comment)
    a("producers:")
    a("  # Capacity = 2024 output × 1.03 (ASSUMPTION: 3% spare capacity). Unit cost (inputs excluded) = reference revenue − inputs at")
    a("  # reference prices: every producer just breaks even at the reference prices (ASSUMPTION: long-run zero profit; no cost data).")
    P = []
    REF = {"lree_concentrate": 6000, "hree_concentrate": 12000, "ndpr_oxide": 55000, "dy_oxide": 250000, "tb_oxide": 925000,
           "magnet_ht": 80000, "magnet_std": 50000, "gallium": 300000, "germanium": 1500000}
    def prod(id, country, sector, output, cap_y, cost, inputs=None, extra="", comment="", co=None):
        # Long-run zero profit at reference prices (ASSUMPTION: no published cost data): unit cost = revenue − inputs at reference.
        cost = REF[output] + sum(r * REF[k] for k, r in (co or {}).items()) - sum(a * REF[k] for k, a in (inputs or {}).items())
        cap_y *= SPARE
        s = f"  - {{id: {id}, country: {country}, sector: {sector}, output: {output}, capacity: {d(cap_y)}, unit_cost: {cost:.6g}"
        if inputs: s += ", inputs: {" + ", ".join(f"{k}: {v:.6g}" for k, v in inputs.items()) + "}"
        if extra: s += ", " + extra
        s += "}"
        a(s + (f"   # {comment}" if comment else ""))
    a("  # Mines, t REO per day = 2024 output / 365 (USGS MCS 2025). Unit costs: ASSUMPTION.")
    prod("cn-mine-lree", "CN", "mining", "lree_concentrate", 250000, 3000, comment="China 270,000 t, of which 20,000 t ionic clay (ASSUMPTION split)")
    prod("cn-mine-hree", "CN", "mining", "hree_concentrate", 20000, 6000, comment="China's ionic-clay share (ASSUMPTION)")
    prod("mm-mine-hree", "MM", "mining", "hree_concentrate", 31000, 5000, comment="Myanmar 31,000 t (ionic clay, fed to China)")
    prod("us-mine-lree", "US", "mining", "lree_concentrate", 45000, 4000, comment="USA 45,000 t (Mountain Pass)")
    prod("rw-mine-lree", "RW", "mining", "lree_concentrate", 13000+13000+2500+2000+300, 4000, comment="Nigeria 13,000 + Thailand 13,000 + Russia 2,500 + Madagascar 2,000 + Vietnam 300")
    prod("in-mine-lree", "IN", "mining", "lree_concentrate", 2900, 4000, comment="India 2,900 t (IREL)")
    a("  # Separation: China ≈91–92% of refined output (IEA). NdPr ≈ 20% of light REO (ASSUMPTION: 5 t concentrate per t NdPr).")
    prod("cn-sep-lree", "CN", "separation", "ndpr_oxide", (250000+45000+13000+13000+2500+2000+300)/5, 20000, {"lree_concentrate": 5}, comment="capacity = China's + USA's + rest-of-world concentrate / 5")
    prod("au-sep-lree", "AU", "separation", "ndpr_oxide", 6558, 30000, None,
         extra=f"reserved_for: [JP], reserved_share: {reserved_share}",
         comment="Lynas, integrated: Australia's 13,000 t REO (Mt Weld) is its own mine, cracked and separated by Lynas alone (Kalgoorlie, Malaysia; Lynas annual reports), no concentrate sold to others, so no input market between them; NdPr 6,558 t FY2025; JARE offtake for Japan (up to 7,200 t/yr), reserved share CALIBRATED to Japan's 71.9% import share from China")
    prod("in-sep-lree", "IN", "separation", "ndpr_oxide", 30, 20000, {"lree_concentrate": 5}, extra="ramp_rate: 0.005", comment="IREL Nd oxide 20–40 t in FY25")
    prod("us-sep-lree", "US", "separation", "ndpr_oxide", 0, 25000, {"lree_concentrate": 5}, extra="ramp_rate: 0.005", comment="no US separation in 2024 in this model; capacity projects may add it")
    prod("cn-sep-hree", "CN", "separation", "dy_oxide", (20000+31000)/25, 80000, {"hree_concentrate": 25},
         extra="co_products: {tb_oxide: 0.2}", co={"tb_oxide": 0.2}, comment="ionic clay ≈4% Dy2O3 and ≈0.8% Tb4O7 of REO (ASSUMPTION); all heavy REE separated in China (Japan's Dy/Tb dependence ≈100%)")
    prod("au-sep-hree", "AU", "separation", "dy_oxide", 0, 80000, None,
         extra="co_products: {tb_oxide: 0.2}, reserved_for: [JP], reserved_share: 0.65, ramp_rate: 0.02", co={"tb_oxide": 0.2},
         comment="Lynas heavy REE: none in 2024; first Dy oxide outside China May 2025; up to 65% of Mt Weld Dy/Tb reserved for Japan")
    a("  # Magnets: China ≈94% of sintered NdFeB (IEA). Per t magnet: NdPr oxide 0.31 t; Dy 4% of magnet mass → 0.046 t Dy2O3; Tb 0.0092 t (ASSUMPTION: set so world Tb use matches the 408 t co-produced).")
    a("  # World high-temperature magnet output is bounded by Dy: 2,040 t Dy / 0.046 ≈ 44,000 t; the rest of NdPr makes Dy-free magnets (0.34 t NdPr per t).")
    ht = {"ndpr_oxide": 0.31, "dy_oxide": 0.046, "tb_oxide": 0.0092}
    std = {"ndpr_oxide": 0.34}
    thr = "thrift: {dy_oxide: {floor: 0.5}, tb_oxide: {floor: 0.5}}"
    prod("cn-magnet-ht", "CN", "magnets", "magnet_ht", 35000, 30000, ht, extra=thr, comment="ASSUMPTION split of China's 94%")
    prod("cn-magnet-std", "CN", "magnets", "magnet_std", 162350, 25000, std)
    prod("jp-magnet-ht", "JP", "magnets", "magnet_ht", 8000, 30000, ht, extra=thr + ", input_cover_days: 30",
         comment="Japan's magnet REE use 29% × 18,835 t = 5,462 t/yr (Japan's demand 18,835 t in 2024, Japan New Metals Assoc.; 29% is magnets' world share of rare-earth use by volume, Roskill 2021, applied to Japan: ASSUMPTION); split ht/std ASSUMPTION")
    prod("jp-magnet-std", "JP", "magnets", "magnet_std", 7547, 25000, std, extra="input_cover_days: 30")
    prod("de-magnet-ht", "DE", "magnets", "magnet_ht", 1000, 32000, ht, extra=thr, comment="EU magnet makers (ASSUMPTION)")
    a("  # Gallium, primary low-purity, 2024 (USGS MCS 2025, estimates): China 750 t; Russia 6 + Japan 3 + Korea 3 = 12 t outside China.")
    a("  # Germanium: world ≈130 t, China more than 70% (DERA Rohstoffinformationen 28, 2016): China 90 t, the rest 40 t. No recycling in the model.")
    prod("cn-gallium", "CN", "metals", "gallium", GA_OUT["CN"], 150000)
    prod("rw-gallium", "RW", "metals", "gallium", GA_OUT["RW"], 250000, comment="made in Russia, Japan and Korea; one producer for all three (ASSUMPTION)")
    prod("cn-germanium", "CN", "metals", "germanium", GE_OUT["CN"], 800000)
    prod("rw-germanium", "RW", "metals", "germanium", GE_OUT["RW"], 1000000)

    # Manufacturers: annual shipments in USD million, inputs in t per year.
    a("manufacturers:")
    a("  # Output unit: USD 1 million of shipments (output_value 1e6). planned_output = annual shipments / 365.")
    a("  # Inputs: t per USD million = annual use (t) / annual shipments (USD million). value_added ratio 0.3 ASSUMPTION (no published figure).")
    other_firms = FIRMS_2024   # 2–3 weeks of magnets (Indian automakers, 2025; see FIRMS_2024); 60, 30 and 18 days before Dec 2026
    def man(id, country, sector, ship_y_musd, uses, firms, extra="", comment=""):
        po = ship_y_musd / Y
        inputs = ", ".join(f"{k}: {v/ship_y_musd:.6g}" for k, v in uses.items())
        s = f"  - {{id: {id}, country: {country}, sector: {sector}, output_unit: USD million, planned_output: {po:.6g}, output_value: 1000000, value_added: 300000, inputs: {{{inputs}}}"
        if extra: s += ", " + extra
        s += ", " + firms + "}"
        if comment: a(f"  # {comment}")
        a(s)
    if jp_firms != JP_FIRMS_2024:
        a(f"  # Japan's firms, every sector: a share {SIX_MONTH_SHARE:g} holds 180 days (ASSUMPTION: one electronic-component maker stockpiled about six months "
          f"in response to the 2025 controls, news Jan 2026; no share of output is published), the rest 30, 21 and 14 days in equal shares (ASSUMPTION): "
          f"SIX_MONTH_SHARE in tools/make_scenarios.py; sensitivity at 10% and 50% in docs/MODEL.md")
    man("jp-auto", "JP", "automotive", 62.8e12/JPY_PER_USD/1e6, {"magnet_ht": 4000}, jp_firms,
        comment="Japan autos ¥62.8 tn shipments (JAMA 2022); ht magnets 4,000 t/yr ≈ 8 M vehicles (ASSUMPTION: no vehicle count sourced) × 0.5 kg (EV 1–2 kg, hybrid 0.4 kg: Adamas; fleet mix ASSUMPTION); firm cover: see JP_FIRMS in tools/make_scenarios.py (2–3 weeks of magnets, as Indian automakers held in 2025)")
    def dep(uses):
        d = {k: v for k, v in (("gallium", GA_SHARE), ("germanium", GE_SHARE)) if k in uses}
        return "dependent_share: {" + ", ".join(f"{k}: {v:g}" for k, v in d.items()) + "}" if d else ""
    a(f"  # dependent_share: the share of electronics output that needs gallium ({GA_SHARE:g}) or germanium ({GE_SHARE:g}); the rest is made")
    a(f"  # without them. Devices found: {100*GA_SHARE_SOURCED:.2f}% and {100*GE_SHARE_SOURCED:.2f}% of world electronics (GA_SHARE, GE_SHARE in tools/make_scenarios.py).")
    el_jp = {"magnet_std": 10000, "gallium": GA_USE["JP"] - JP_DEF_GA, "germanium": GE_USE["JP"]}
    man("jp-electronics", "JP", "electronics", SHIP_EL["JP"], el_jp, jp_firms, extra=dep(el_jp),
        comment=f"Japanese electronics ≈¥40 tn global production (JEITA), 40% made in Japan (ASSUMPTION); gallium {GA_USE['JP'] - JP_DEF_GA:.1f} t: Japan's "
                f"{GA_JP} t draw on primary gallium (167 t consumed in 2021 less 67 t recycled, JOGMEC; USGS MCS 2025) less defence's {JP_DEF_GA} t; "
                f"germanium {GE_USE['JP']:.2f} t ASSUMPTION (share of what reaches buyers outside China, by shipments): derivation in tools/make_scenarios.py (GA_*, GE_*)")
    man("jp-machinery", "JP", "machinery", 200000, {"magnet_ht": 3000}, jp_firms, comment="machinery & robots (exposed sectors named in a UBS report, Jan 2026); size ASSUMPTION")
    man("jp-defence", "JP", "defence", 15000, {"magnet_ht": round(JP_DEF_MAGNET_HT), "gallium": round(JP_DEF_GALLIUM, 2), "germanium": round(JP_DEF_GERMANIUM, 2)}, jp_firms, extra="military_share: 1",
        comment=f"defence (missiles, radar, satellites); size ASSUMPTION. Yearly use ASSUMPTION, set at an upper bound: US totals ÷ {MIL_RATIO:.1f}, "
                f"the US/Japan military spending ratio (SIPRI 2024: US $997 bn, Japan 1.4% of GDP): gallium {JP_DEF_GALLIUM:.2f} t (US consumption ≈16 t a year, "
                f"2016–2020, USGS MCS), germanium {JP_DEF_GERMANIUM:.2f} t (US ≈30 t a year, 2016–2019, USGS MCS 2020), high-temperature magnets "
                f"{JP_DEF_MAGNET_HT:.0f} t (US DoD under 0.1% of world rare-earth supply, GAO 2024, × 390,000 t REO, USGS MCS 2025, at 0.365 t of oxides per t of magnet); "
                f"derivation in tools/make_scenarios.py (JP_DEF_*)")
    a("  # Other countries: sizes ASSUMPTION, chosen so world demand matches the supply above (magnets ht 44,000 t, std ≈171,000 t).")
    a(f"  # Gallium, t a year (world {GA_WORLD} t, as made): US 16 (USGS MCS, 2016–2020 average), Germany 35 (30–40 t, DERA 2015); Korea, India and the")
    a(f"  # rest of the world ASSUMPTION at the US's {GA_LOW:.2g} t per $ million of shipments (no figure found); China the remainder, {GA_USE['CN']:.1f} t.")
    a(f"  # Germanium (world {sum(GE_OUT.values())} t): China {GE_USE['CN']:.1f} t (its output less 43.7 t exported in 2022, Chinese customs), US 30 (USGS MCS 2020);")
    a("  # the rest ASSUMPTION, shared by shipments. Derivations in tools/make_scenarios.py (GA_*, GE_*).")
    a("  # Their firms' cover: 21 and 14 days, half each, as Japan's in 2024: 2–3 weeks, as Indian automakers held magnets in 2025 (press),")
    a("  # the only published figure on users' magnet stock (60, 30 and 18 days before Dec 2026: ASSUMPTION, no source).")
    for c, ship_auto, ht_t, std_t in [
        ("CN", 1200000, 25000, 110000),
        ("US", 600000, 3000, 12000),
        ("DE", 500000, 3500, 8000),
        ("KR", 250000, 2000, 10000),
        ("IN", 150000, 800, 6000),
        ("RW", 800000, 2600, 14900)]:
        ship_el, ga, ge = SHIP_EL[c], GA_USE[c], GE_USE[c]
        man(f"{c.lower()}-auto", c, "automotive", ship_auto, {"magnet_ht": ht_t}, other_firms)
        uses = {"magnet_std": std_t}
        if ga: uses["gallium"] = ga
        if ge: uses["germanium"] = ge
        man(f"{c.lower()}-electronics", c, "electronics", ship_el, uses, other_firms, extra=dep(uses))
    return "\n".join(L) + "\n"

JP_STOCKPILE = """  # Japan's national stockpile: JOGMEC target 60 days of consumption, 42 national + 18 private; the 42 national days
  # are held here for NdPr, Dy and Tb, sized on Japan's magnet makers' daily use; released when Japan's unmet share exceeds 1%%
  # (ASSUMPTION). The target goes up to 180 days for high-risk items (Japan's resource strategy 2020), so 42 is the low end.
  # Holding costs 2%% a year of the stock's reference value (carrying_cost default, ASSUMPTION: cost of funds ≈1.5%% plus storage).
%(since)s  - {id: jp-stockpile-dy, type: stockpile, country: JP, commodity: dy_oxide, start: %(start)s, size: %(dy)s, max_release_per_day: %(dyr)s}
  - {id: jp-stockpile-tb, type: stockpile, country: JP, commodity: tb_oxide, start: %(start)s, size: %(tb)s, max_release_per_day: %(tbr)s}
  - {id: jp-stockpile-ndpr, type: stockpile, country: JP, commodity: ndpr_oxide, start: %(start)s, size: %(nd)s, max_release_per_day: %(ndr)s}
"""
# China's April 2025 licensing (MOFCOM and GACC Announcement No. 18 of 2025, issued and in force on 4 April 2025) had run for
# months when the 2026 scenarios start: they give it its real start, and the world is stepped from then with the same rules
# (the spin-up, docs/MODEL.md, The tick), so day 0 finds approvals held, decisions pending and stock built as they would be.
APRIL_2025 = "2025-04-04"

# The spring 2025 low of the April regime's approvals, in both 2026 scenarios: ≈25% of applications approved in early June
# 2025, ≈60% by late June (CLEPA; Reuters). A second licence with the same goods and delays at 25% until 20 June 2025 (the
# mid-point of the two reports: ASSUMPTION); while both are in force a buyer's one licence from China is reviewed under the
# stricter (docs/MODEL.md, Licences), so decisions run at 25% to 20 June and at 60% after, with no break in the licence.
SPRING_2025 = """  # The spring 2025 approval low: ≈25% approved in early June 2025, ≈60% by late June (CLEPA; Reuters); ASSUMPTION: 25% from
  # the regime's start to 20 June 2025, the mid-point (first decisions come 28–63 days after 4 Apr, so from May).
  - {id: cn-licensing-2025-spring, type: export_control, exporter: CN, commodities: [dy_oxide, tb_oxide, magnet_ht], mode: license, approval_rate: 0.25, delay_min_days: 28, delay_max_days: 63, start: 2025-04-04, end: 2025-06-21}
"""
def jp_stockpile(start="0"):
    dy = 8000*0.046/Y; tb = 8000*0.0092/Y; nd = (8000*0.31+7547*0.34)/Y
    # Japan's stockpile long predates the spin-up's start (JOGMEC's since the 1980s): in force from the first day stepped.
    since = "" if start == "0" else "  # In force from the spin-up's first day: Japan held it long before 2025.\n"
    return JP_STOCKPILE % dict(start=start, since=since, dy=f"{42*dy:.6g}", dyr=f"{2*dy:.6g}", tb=f"{42*tb:.6g}", tbr=f"{2*tb:.6g}", nd=f"{42*nd:.6g}", ndr=f"{2*nd:.6g}")

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
# Generated by tools/make_scenarios.py: edit there. Calibration target: Japan's loss ≈ ¥660 bn ≈ 0.11% of GDP (Nomura Research
# Institute); the model's result, and why it depends on firms' precaution and on the 45-day lead time: docs/MODEL.md, Calibration.
name: japan-cutoff-3m
description: China halts all rare-earth and magnet exports to Japan for 90 days (civil and military), then resumes.
""", jp_stockpile() + """  - {id: cn-cutoff-jp, type: export_control, exporter: CN, commodities: [group:rare_earths], destinations: [JP], end_use: all, mode: ban, start: 0, end: 90}
""")

write("china-japan-2026.yaml", """# China–Japan 2026 (the default scenario): China's April 2025 licensing regime plus the January 2026 measures.
# Generated by tools/make_scenarios.py: edit there. Every number names its public source or says ASSUMPTION.
name: china-japan-2026
description: April 2025 licensing for medium and heavy rare earths to every destination, plus the 6 Jan 2026 dual-use ban on Japanese military end use with the re-export clause and tighter licensing to Japan.
""", jp_stockpile(APRIL_2025) + """  # April 2025, Announcement No. 18: Dy, Tb (and Sm, Gd, Lu, Sc, Y, not modelled) in oxide, metal and magnet form need a
  # licence for every export to every destination, in force since 4 April 2025 (its real start: the world is stepped from then,
  # 272 days before the start date). Processing 20–45 working days ≈ 28–63 calendar days (Reuters Oct 2025).
  # Approval ≈60% by late June 2025 (CLEPA/Reuters); ASSUMPTION that this late-June 2025 rate holds from 21 June 2025 through
  # 2026 (before it, the spring low below).
  - {id: cn-licensing-2025, type: export_control, exporter: CN, commodities: [dy_oxide, tb_oxide, magnet_ht], mode: license, approval_rate: 0.6, delay_min_days: 28, delay_max_days: 63, start: 2025-04-04}
""" + SPRING_2025 + """  # 6 Jan 2026, Announcement No. 1: all dual-use items banned to Japanese military end use, with the re-export clause.
  # "Any organisation or individual in any country that transfers PRC-origin dual-use items to Japan" (news, Jan 2026): read as
  # content, not first origin — goods made from Chinese material count. ASSUMPTION: from 0.1% of value, the threshold of China's
  # October 2025 extraterritorial rule (MOFCOM Announcement 61); the January measure names none.
  - {id: cn-dual-use-jp-military, type: export_control, exporter: CN, commodities: [group:rare_earths, gallium, germanium], destinations: [JP], end_use: military, mode: ban, re_export: true, de_minimis: 0.001, start: 2026-01-06}
  # Tighter review of medium and heavy rare-earth licences to Japan: a what-if. In January 2026 China said it was considering it,
  # and licences were still processed normally on 9 Jan (press); ASSUMPTION approval 25% all year, the early-June 2025 low.
  - {id: cn-licensing-jp-tight, type: export_control, exporter: CN, commodities: [dy_oxide, tb_oxide, magnet_ht], destinations: [JP], end_use: civil, mode: license, approval_rate: 0.25, delay_min_days: 28, delay_max_days: 63, start: 2026-01-20}
  # Alternatives with their real limits: Lynas heavy REE (≈30% of Japan's heavy-REE demand, 65% of it reserved for Japan);
  # India: Nd oxide 200 t in FY26, 500 t in FY27 (targets); India–Japan agreement 19 Jan 2026; deep-sea mud not before ten years.
  - {id: in-irel-expansion, type: capacity_project, producer: in-sep-lree, added_capacity: 0.466, lead_time_days: 90, cost: 50e6, payer: IN, start: 0}
""", start="2026-01-01", jp_firms=JP_FIRMS_2026, overrides=[("au-sep-hree, country: AU, sector: separation, output: dy_oxide, capacity: 0,",
    # 30% of Japan's heavy-REE demand from the 65% reserved share: Japan's Dy use 8,000 t × 0.046 = 368 t/yr → 0.3 × 368 / 0.65
    f"au-sep-hree, country: AU, sector: separation, output: dy_oxide, capacity: {0.3*8000*0.046/0.65/Y:.6g},")])
write("china-extraterritorial.yaml", """# China's October 2025 extraterritorial rule, as if in force: a Chinese licence for foreign goods containing 0.1% or more of
# Chinese-origin value (MOFCOM Announcement 61, Oct 2025), on top of the April 2025 licensing. The rule was suspended on 7 Nov 2025
# until 10 Nov 2026 (MOFCOM Announcement 70); this scenario starts the day the suspension runs out. Generated by tools/make_scenarios.py.
# The April 2025 regime is in force from its real start (4 Apr 2025): the world is stepped from then (the spin-up, 585 days), so
# on day 0 buyers hold its approvals and the stock its news built. Firms knew of the October rule from its announcement (9 Oct
# 2025): it is news to them from then (`announced`), and binds only from the start (docs/MODEL.md, Precautionary stock).
name: china-extraterritorial
description: The April 2025 licensing regime plus the suspended October 2025 rule that reaches foreign goods with 0.1% or more Chinese-origin value, as if it came back on 10 Nov 2026.
""", jp_stockpile(APRIL_2025) + """  # April 2025, Announcement No. 18: Dy, Tb (and Sm, Gd, Lu, Sc, Y, not modelled) in oxide, metal and magnet form need a licence
  # for every export to every destination, in force since 4 April 2025 (its real start: the world is stepped from then, 585 days
  # before the start date); processing 20–45 working days ≈ 28–63 calendar days (Reuters Oct 2025); approval ≈60% by late June
  # 2025 (CLEPA; Reuters); ASSUMPTION that this late-June 2025 rate holds from 21 June 2025 (before it, the spring low below) to
  # Nov 2027.
  - {id: cn-licensing-2025, type: export_control, exporter: CN, commodities: [dy_oxide, tb_oxide, magnet_ht], mode: license, approval_rate: 0.6, delay_min_days: 28, delay_max_days: 63, start: 2025-04-04}
""" + SPRING_2025 + """  # October 2025, Announcement 61: the same licence for goods made abroad that contain 0.1% or more Chinese-origin value, sold
  # from any country to any other (Ho, Er, Tm, Eu, Yb and equipment, also added, are not modelled). Same approval and delays:
  # ASSUMPTION (no figures published for a rule that never ran).
  # Announced 9 Oct 2025 (MOFCOM Announcement 61): news to firms from that day. Suspended on 7 Nov 2025 until 10 Nov 2026
  # (MOFCOM Announcement 70), the day this scenario has it return. ASSUMPTION: the suspension neither withdrew nor renewed the
  # news (a rule suspended to a named day stays known; no source says what firms made of it): its news fades from the
  # announcement as any control's does, over precaution_release_days, about a third of it left on 10 Nov 2026. Firms that took
  # the suspension for the rule's end would learn of it afresh on 10 Nov 2026: the same control without `announced`.
  - {id: cn-extraterritorial, type: export_control, exporter: CN, commodities: [dy_oxide, tb_oxide, magnet_ht], mode: license, re_export: true, de_minimis: 0.001, approval_rate: 0.6, delay_min_days: 28, delay_max_days: 63, announced: 2025-10-09, start: 0}
""", start="2026-11-10", jp_firms=JP_FIRMS_2026, overrides=[("au-sep-hree, country: AU, sector: separation, output: dy_oxide, capacity: 0,",
    f"au-sep-hree, country: AU, sector: separation, output: dy_oxide, capacity: {0.3*8000*0.046/0.65/Y:.6g},")])
print("written")


# ----------------------------------------------------------------------------------------------------------------------
# japan-2010.yaml: the 2010 backcast (issue 9 item 8). Its own world, sized on 2010 statistics; the three scenarios above
# are untouched. Every number names its public source or says ASSUMPTION. Calibration targets (not inputs), printed by
# tools/backcast.py: Japan's import share from China 82% (2010) → 68% (2011) → 60% (2014) (Ministry of Finance trade
# statistics via Sprecher et al. 2017); Japan's demand fell 31% in 2012 (Sprecher et al. 2017; METI; the source names no base
# year: the backcast compares 2012 with 2010, ASSUMPTION); the Dy oxide
# spike ≈$118/kg (2008) → ≈$2,300/kg (Oct 2011), 19–26×, and $1,400/kg at year-end 2011 (Lynas data via mining.com; USGS
# MCS 2016).
# ----------------------------------------------------------------------------------------------------------------------
START_2010 = "2010-01-01"
DAYS_2010 = 1826                     # 2010-01-01 .. 2014-12-31
NDPR_PER_REO = 0.2                   # ASSUMPTION as in the 2024 world: 5 t light REO per t NdPr oxide
DY_PER_HREO = 1 / 25                 # ASSUMPTION as in the 2024 world: ionic clay ≈4% Dy2O3 of REO, Tb 0.2 t per t Dy
HT = {"ndpr_oxide": 0.31, "dy_oxide": 0.046, "tb_oxide": 0.0092}   # Heim & Vander Wal 2023 (Dy ≈4% of magnet mass); Tb ASSUMPTION
STD = {"ndpr_oxide": 0.34}
REF_2010 = {"lree_concentrate": 3000, "hree_concentrate": 6000, "ndpr_oxide": 30000, "dy_oxide": 118000, "tb_oxide": 600000,
            "magnet_ht": 40000, "magnet_std": 25000}
# Mine output 2010, t REO (USGS Mineral Commodity Summaries 2011): China 130,000; India 2,700; Brazil 550; Malaysia 350;
# United States none (Mountain Pass sold from stockpiled concentrate); world ≈133,000.
CN_MINE_2010 = 130000
CN_IONIC_2010 = 25000                # ASSUMPTION: ionic-clay (heavy) share of China's output, ≈19%
RW_MINE_2010 = 2700 + 550 + 350
# Magnets, t per year (ASSUMPTION: China ≈3/4 of sintered NdFeB in 2010, Japan most of the rest, Europe a little; bounded by the
# Dy and NdPr made from the mine output above).
MAG_2010 = {"cn": (15500, 34000), "jp": (5000, 6000), "de": (1000, 2000)}        # (high-temperature, standard)
USE_2010 = {"CN": (12700, 29000), "JP": (5000, 5500), "US": (1500, 3000), "DE": (1300, 2000), "RW": (1000, 2500)}
# China's export quota, t REO per year (MOFCOM quota announcements, as reported by USGS MCS 2011–2015 and Morrison & Tang,
# CRS report R42510, 2012): 2009 50,145; H1 2010 22,282; H2 2010 7,976 (−72% on H2 2009's 28,417); 2011 30,184; 2012 30,996;
# 2013 31,001; 2014 30,610; abolished from 1 Jan 2015 after the WTO ruling (DS431, 2014). The model has only NdPr, Dy and Tb,
# so each quota is applied as the same share of China's modelled exports of each oxide: share = annualised quota / 2011 quota.
# ASSUMPTION: the 2011 quota equals unconstrained exports. Grounds: China's recorded exports in 2011 (≈18,600 t) and 2012 fell
# well short of the quota (USGS MCS 2013; Morrison & Tang 2012), so the 2011–2014 quotas bound little, while the H2 2010 quota did.
QUOTA_REF = 30184
# The H1 2010 quota (annualised 44,564 t, 148% of the reference) did not bind and is left out: quotas had been in force since
# the mid-2000s, so firms' starting cover already reflects them, whereas any control in force raises precautionary cover in the
# model (buyers.precaution_*) and would start a hoard on 1 Jan 2010.
QUOTAS_2010 = [("h2-2010", "2010-07-01", "2011-01-01", 2 * 7976),
               ("2011", "2011-01-01", "2012-01-01", 30184), ("2012", "2012-01-01", "2013-01-01", 30996),
               ("2013", "2013-01-01", "2014-01-01", 31001), ("2014", "2014-01-01", None, 30610)]

def world_2010():
    L = []
    a = L.append
    a(f"""currency: USD          # prices per tonne, money in US dollars of the day
demand:
  elasticity: 0.15     # ASSUMPTION: no published elasticity of rare-earth demand ("very inelastic"); as in the shipped scenarios
{BEHAVIOUR}transport:
  domestic_days: 14    # ASSUMPTION: order-to-delivery inside one country
  international_days: 45  # the whole procurement lead time: NdFeB magnets usually 1–2 months to deliver (Japanese magnetic-device maker, Jan 2026 press)
segments:              # China's domestic market can split from the rest of the world when the quota binds
  - id: china
    countries: [CN]
  - id: world
countries:             # GDP 2010, USD (IMF World Economic Outlook, rounded; used only for GDP shares)
  - {{id: CN, name: China, gdp: 6.09e12}}
  - {{id: JP, name: Japan, gdp: 5.70e12}}
  - {{id: US, name: United States, gdp: 14.99e12}}
  - {{id: DE, name: Germany (EU proxy), gdp: 3.40e12}}
  - {{id: AU, name: Australia (Lynas incl. Malaysia plant), gdp: 1.15e12}}
  - {{id: RW, name: Rest of world, gdp: 32e12}}   # ASSUMPTION: the rest of world GDP 2010
commodities:           # reference prices = pre-spike levels
  - {{id: lree_concentrate, name: Light rare-earth concentrate, unit: t REO, stage: ore, groups: [rare_earths, ores], reference_price: {REF_2010['lree_concentrate']}, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}   # ASSUMPTION
  - {{id: hree_concentrate, name: Ionic-clay heavy rare-earth concentrate, unit: t REO, stage: ore, groups: [rare_earths, ores, heavy_rare_earths], reference_price: {REF_2010['hree_concentrate']}, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}   # ASSUMPTION
  - {{id: ndpr_oxide, name: NdPr oxide, unit: t, stage: oxide, groups: [rare_earths, separated_rare_earths], reference_price: {REF_2010['ndpr_oxide']}, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}   # Nd oxide rose ≈+750% in 2010–11 to ≈$190–200/kg at year-end 2011 (Lynas data via mining.com; USGS MCS 2016) → ≈$30/kg before
  - {{id: dy_oxide, name: Dysprosium oxide, unit: t, stage: oxide, groups: [rare_earths, separated_rare_earths, heavy_rare_earths], reference_price: {REF_2010['dy_oxide']}, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}   # ≈$118/kg in 2008 (Lynas data via mining.com)
  - {{id: tb_oxide, name: Terbium oxide, unit: t, stage: oxide, groups: [rare_earths, separated_rare_earths, heavy_rare_earths], reference_price: {REF_2010['tb_oxide']}, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}   # ASSUMPTION ≈$600/kg before the spike (year-end 2011 $2,800: USGS MCS 2016)
  - {{id: magnet_ht, name: "NdFeB magnet (high-temperature, Dy/Tb-bearing)", unit: t, stage: magnet, groups: [rare_earths, magnets], reference_price: {REF_2010['magnet_ht']}, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}   # ASSUMPTION price
  - {{id: magnet_std, name: "NdFeB magnet (standard, Dy-free)", unit: t, stage: magnet, groups: [rare_earths, magnets], reference_price: {REF_2010['magnet_std']}, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: {PRICE_WINDOW_DAYS}, initial_origin: CN}}   # ASSUMPTION price
""")
    a("# κ = 0.03, μ = 0.01 (price push and pull back) are the shipped scenarios' values; κ/μ = 3 was chosen there so that a lasting total")
    a("# shortage settles at e³ ≈ 20× the reference, the size of this very spike: the Dy row of the backcast is therefore not an independent test.")
    a("producers:")
    a("  # Capacity = 2010 output × 1.03 (ASSUMPTION: 3% spare). Unit cost (inputs excluded) = revenue − inputs at reference prices")
    a("  # (ASSUMPTION: long-run zero profit; no cost data).")
    def prod(id, country, sector, output, cap_y, inputs=None, extra="", comment="", co=None, spare=SPARE):
        cost = REF_2010[output] + sum(r * REF_2010[k] for k, r in (co or {}).items()) - sum(x * REF_2010[k] for k, x in (inputs or {}).items())
        s = f"  - {{id: {id}, country: {country}, sector: {sector}, output: {output}, capacity: {d(cap_y * spare)}, unit_cost: {cost:.6g}"
        if inputs: s += ", inputs: {" + ", ".join(f"{k}: {v:.6g}" for k, v in inputs.items()) + "}"
        if co: s += ", co_products: {" + ", ".join(f"{k}: {v:.6g}" for k, v in co.items()) + "}"
        if extra: s += ", " + extra
        a(s + "}" + (f"   # {comment}" if comment else ""))
    cn_light = CN_MINE_2010 - CN_IONIC_2010
    prod("cn-mine-lree", "CN", "mining", "lree_concentrate", cn_light, comment=f"China 130,000 t REO 2010 (USGS MCS 2011) less ionic clay {CN_IONIC_2010:,} t (ASSUMPTION)")
    prod("cn-mine-hree", "CN", "mining", "hree_concentrate", CN_IONIC_2010, comment="ionic-clay share of China's output (ASSUMPTION)")
    a("  # Separation. China separated essentially all its own output and all heavy REE (Japan's Dy/Tb dependence ≈100%).")
    prod("cn-sep-lree", "CN", "separation", "ndpr_oxide", cn_light * NDPR_PER_REO, {"lree_concentrate": 1 / NDPR_PER_REO}, comment="NdPr = 20% of light REO (ASSUMPTION)")
    prod("cn-sep-hree", "CN", "separation", "dy_oxide", CN_IONIC_2010 * DY_PER_HREO, {"hree_concentrate": 1 / DY_PER_HREO}, co={"tb_oxide": 0.2},
         comment="ionic clay ≈4% Dy2O3, ≈0.8% Tb4O7 of REO (ASSUMPTION)")
    a("  # Separation outside China in 2010 (France, Estonia, India, Vietnam and others: Japan took 9% of its rare earths from outside China in")
    a("  # 2008 and 18% in 2010, Ministry of Finance trade statistics via Sprecher et al. 2017). ASSUMPTION: one integrated rest-of-world")
    a("  # separator as large as the non-China mine output (USGS MCS 2011: India 2,700, Brazil 550, Malaysia 350 t REO), selling only outside")
    a("  # China (reserved_share 1: China imported no separated oxides to speak of).")
    prod("rw-sep-lree", "RW", "separation", "ndpr_oxide", RW_MINE_2010 * NDPR_PER_REO,
         extra="reserved_for: [JP, US, DE, AU, RW], reserved_share: 1", comment="ASSUMPTION size; expands when margins stay high (investment:)")
    a("  # New supply outside China, scripted as capacity projects decided before 2010 (policies below).")
    prod("us-sep-lree", "US", "separation", "ndpr_oxide", 0, extra="ramp_rate: 0.0005",
         comment="Molycorp Mountain Pass, integrated mine and separation: restarted 2012; US output ≈4,000–5,500 t REO a year in 2013–14 (USGS MCS 2014, 2015) of a 19,050 t/yr phase-1 nameplate (Molycorp) → slow ramp: ρ = 0.0005/day reaches ≈25–35% of nameplate 1½–2½ years after start")
    prod("au-sep-lree", "AU", "separation", "ndpr_oxide", 0, extra="reserved_for: [JP], reserved_share: 0.39, ramp_rate: 0.002",
         comment="Lynas Mt Weld + Malaysia (LAMP): first feed Nov 2012, output from early 2013; phase 1 11,000 t/yr REO, phases 1+2 22,000 t/yr (Lynas); Sojitz–JOGMEC agreement 2011: up to 8,500 t/yr to Japan → 8,500/22,000 = 0.39 reserved; ramp ρ = 0.002/day ASSUMPTION")
    a("  # Magnets (ASSUMPTION split: China ≈3/4 of sintered NdFeB in 2010, Japan most of the rest, Europe a little). Bills of materials as in")
    a("  # the shipped world: NdPr oxide 0.31 t, Dy oxide 0.046 t (Dy ≈4% of magnet mass, Heim & Vander Wal 2023), Tb 0.0092 t (ASSUMPTION) per t")
    a("  # high-temperature magnet; 0.34 t NdPr per t standard magnet.")
    thr = "thrift: {dy_oxide: {floor: 0.5}, tb_oxide: {floor: 0.5}}"
    for c, (ht_t, std_t) in MAG_2010.items():
        C = c.upper()
        prod(f"{c}-magnet-ht", C, "magnets", "magnet_ht", ht_t, HT, extra=thr)
        prod(f"{c}-magnet-std", C, "magnets", "magnet_std", std_t, STD)
    a("manufacturers:")
    a("  # Users of magnets. Output unit: USD 1 million of shipments; sizes ASSUMPTION, chosen so world magnet use matches the magnets above")
    a("  # (Japan: its own magnet makers' output). value_added 0.3 of shipments (ASSUMPTION). Firms' cover, every country: 21 and 14 days,")
    a("  # half each, as in 2024 (2–3 weeks, as Indian automakers held magnets in 2025, press; JOGMEC's 60-day target is for rare-earth")
    a("  # material, not users' magnets; 60 and 18 days for Japan before Dec 2026 moved Japan's loss by $8,000 of $24 m: its loss is at its")
    a("  # magnet makers). Other countries held 60, 30 and 18 days before Dec 2026 (ASSUMPTION, no source).")
    jp_firms = JP_FIRMS_2024
    other = FIRMS_2024   # as in 2024–26 (see FIRMS_2024); 60, 30 and 18 days before Dec 2026
    SHIP = {"CN": (600000, 800000), "JP": (500000, 250000), "US": (500000, 400000), "DE": (400000, 250000), "RW": (700000, 700000)}
    for C, (ht_t, std_t) in USE_2010.items():
        ship_auto, ship_el = SHIP[C]
        firms = jp_firms if C == "JP" else other
        for sector, ship, k, t in (("automotive", ship_auto, "magnet_ht", ht_t), ("electronics", ship_el, "magnet_std", std_t)):
            a(f"  - {{id: {C.lower()}-{sector[:4] if sector == 'automotive' else 'electronics'}, country: {C}, sector: {sector}, output_unit: USD million, "
              f"planned_output: {ship / Y:.6g}, output_value: 1000000, value_added: 300000, inputs: {{{k}: {t / ship:.6g}}}, {firms}}}")
    return "\n".join(L) + "\n"

def policies_2010():
    # China's modelled exports of each oxide before the cut: non-China magnet makers' use less the rest-of-world separator's output.
    use = {k: sum(MAG_2010[c][0] * HT.get(k, 0) + MAG_2010[c][1] * STD.get(k, 0) for c in ("jp", "de")) for k in HT}
    exports = {k: use[k] - (RW_MINE_2010 * NDPR_PER_REO if k == "ndpr_oxide" else 0) for k in use}
    P = ["""  # China halted rare-earth shipments to Japan 21 Sep – 20 Nov 2010 through customs slow-downs (Global Trade Alert; METI). Oxides and
  # ores only: magnets (HS 8505) are not rare earths in the trade statistics (ASSUMPTION that they were not held).
  - {id: cn-halt-jp-2010, type: export_control, exporter: CN, commodities: [group:rare_earths], destinations: [JP], mode: ban, start: 2010-09-21, end: 2010-11-20}
""".replace("[group:rare_earths]", "[lree_concentrate, hree_concentrate, ndpr_oxide, dy_oxide, tb_oxide]")]
    P.append(f"""  # China's export quota, t REO (MOFCOM announcements as reported by USGS MCS 2011–2015 and Morrison & Tang, CRS R42510, 2012):
  # H1 2010 22,282; H2 2010 7,976 (−72% on H2 2009's 28,417); 2011 30,184; 2012 30,996; 2013 31,001; 2014 30,610; none from 2015
  # (WTO DS431 ruling, 2014). The model has only NdPr, Dy and Tb, so each quota is the same share of China's modelled exports of each
  # oxide (NdPr {exports['ndpr_oxide']:,.0f}, Dy {exports['dy_oxide']:,.0f}, Tb {exports['tb_oxide']:,.1f} t/yr): share = annualised quota / 2011 quota. ASSUMPTION: the 2011
  # quota equals unconstrained exports (recorded exports in 2011, ≈18,600 t, and 2012 fell well short of the quota: USGS MCS 2013).
  # The H1 2010 quota (148% of that) did not bind and is left out: quotas had been in force for years, so firms' starting cover
  # reflects them, whereas any control in force raises precautionary cover in the model. Quota spread evenly over 30-day periods
  # (ASSUMPTION); to every destination; the rent goes to the exporters.
""")
    for pid, s, e, q in QUOTAS_2010:
        share = q / QUOTA_REF
        for k in ("ndpr_oxide", "dy_oxide", "tb_oxide"):
            per = exports[k] * share * 30 / Y
            end = f", end: {e}" if e else ""
            P.append(f"  - {{id: cn-quota-{pid}-{k.split('_')[0]}, type: export_control, exporter: CN, commodities: [{k}], mode: quota, quota: {per:.6g}, quota_period_days: 30, start: {s}{end}}}   # {share:.0%} of unconstrained exports\n")
    P.append(f"""  # Projects decided by 2010. Mountain Pass: Molycorp's Project Phoenix (financed by its July 2010 IPO), new plant producing from
  # mid-2012 (USGS MCS 2013); phase 1 19,050 t/yr REO (Molycorp) × 20% NdPr.
  - {{id: us-mountain-pass-restart, type: capacity_project, producer: us-sep-lree, added_capacity: {19050 * NDPR_PER_REO / Y:.6g}, lead_time_days: 912, start: 0}}
  # Lynas: LAMP construction resumed 2010, first feed Nov 2012, output from Feb 2013 (Lynas); phase 1 11,000 t/yr REO × 20% NdPr;
  # phase 2 (another 11,000 t/yr) commissioned 2014–15 (Lynas), taken here as online from mid-2014 (ASSUMPTION on the date).
  - {{id: au-lynas-phase1, type: capacity_project, producer: au-sep-lree, added_capacity: {11000 * NDPR_PER_REO / Y:.6g}, lead_time_days: 1127, start: 0}}
  - {{id: au-lynas-phase2, type: capacity_project, producer: au-sep-lree, added_capacity: {11000 * NDPR_PER_REO / Y:.6g}, lead_time_days: 1642, start: 0}}
""")
    return "".join(P)

def write_2010():
    header = """# Japan 2010: the backcast of the 2010 episode over five years (2010–2014). Generated by tools/make_scenarios.py: edit there.
# China's halt of rare-earth shipments to Japan (21 Sep – 20 Nov 2010) and its export quotas (H2 2010 cut by 72%, quotas to 2014).
# Targets (results, not inputs; python3 tools/backcast.py): Japan's import share from China 82% (2010) → 68% (2011) → 60% (2014);
# Japan's demand fell 31% in 2012 (no base year given; compared with 2010); the Dy oxide spike of 19–26× and its fall (Ministry of Finance trade statistics and METI via
# Sprecher et al. 2017; Lynas data via mining.com; USGS MCS 2016).
name: japan-2010
description: The world of 2010 to 2014 - China's two-month halt of rare-earth shipments to Japan (Sep-Nov 2010) and its export quotas until the WTO ruling; buyers learn supplier risk, qualify new suppliers, hold precautionary stock; thrift persists; non-China capacity answers prices.
"""
    text = header + f"start_date: {START_2010}\ndays: {DAYS_2010}\nseed: 7\n" + world_2010() + "policies:\n" + policies_2010()
    open(os.path.join(os.path.dirname(__file__), "..", "scenarios", "japan-2010.yaml"), "w").write(text)

write_2010()
print("written japan-2010.yaml")
