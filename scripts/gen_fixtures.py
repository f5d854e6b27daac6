#!/usr/bin/env python3
"""Generate deterministic fixture data for the sandbank sandbox.

Standard library only. All randomness comes from a single
``random.Random(20261125)`` so that re-running the script produces
byte-identical files. After writing, the script re-loads every file and
asserts the fixture rules.

Usage:  python3 scripts/gen_fixtures.py
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

SEED = 20261125
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

rng = random.Random(SEED)

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def money(paise: int) -> str:
    """Format an integer number of paise as a 2-decimal rupee string."""
    assert paise >= 0
    return f"{paise // 100}.{paise % 100:02d}"


def to_paise(s: str) -> int:
    rupees, _, frac = s.partition(".")
    return int(rupees) * 100 + int(frac)


def rand_date(lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 Feb
        return d.replace(year=d.year + years, day=28)


def age_on(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def weighted_choice(items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def write_json(name: str, data) -> Path:
    path = FIXTURES / name
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return path


UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# ---------------------------------------------------------------------------
# Geography: city -> (state, default district, [(locality, street, district?)])
# ---------------------------------------------------------------------------

LOCATIONS = [
    ("Mumbai", "Maharashtra", "Mumbai", [
        ("Fort", "MUMBAI SAMACHAR MARG", None),
        ("Andheri East", "MAROL MAROSHI ROAD", "Mumbai Suburban"),
        ("Bandra West", "HILL ROAD", "Mumbai Suburban"),
        ("Dadar West", "RANADE ROAD", None),
        ("Borivali West", "S V ROAD", "Mumbai Suburban"),
        ("Powai", "HIRANANDANI GARDENS", "Mumbai Suburban"),
        ("Chembur", "R C MARG", "Mumbai Suburban"),
        ("Ghatkopar East", "M G ROAD", "Mumbai Suburban"),
        ("Lower Parel", "SENAPATI BAPAT MARG", None),
        ("Malad West", "S V ROAD", "Mumbai Suburban"),
    ]),
    ("Thane", "Maharashtra", "Thane", [
        ("Naupada", "GOKHALE ROAD", None),
        ("Ghodbunder Road", "GHODBUNDER ROAD", None),
    ]),
    ("Navi Mumbai", "Maharashtra", "Thane", [
        ("Vashi", "SECTOR 17", None),
        ("CBD Belapur", "SECTOR 11", None),
    ]),
    ("Pune", "Maharashtra", "Pune", [
        ("Deccan Gymkhana", "FERGUSSON COLLEGE ROAD", None),
        ("Camp", "M G ROAD", None),
        ("Kothrud", "KARVE ROAD", None),
        ("Hinjewadi", "RAJIV GANDHI INFOTECH PARK", None),
        ("Aundh", "ITI ROAD", None),
        ("Baner", "BANER ROAD", None),
        ("Viman Nagar", "NAGAR ROAD", None),
    ]),
    ("Nagpur", "Maharashtra", "Nagpur", [
        ("Sitabuldi", "MAIN ROAD", None),
        ("Dharampeth", "WEST HIGH COURT ROAD", None),
        ("Sadar", "KINGSWAY", None),
    ]),
    ("New Delhi", "Delhi", "New Delhi", [
        ("Connaught Place", "CONNAUGHT CIRCUS", None),
        ("Karol Bagh", "AJMAL KHAN ROAD", "Central Delhi"),
        ("Lajpat Nagar", "RING ROAD", "South East Delhi"),
        ("Rajouri Garden", "MAIN MARKET", "West Delhi"),
        ("Chandni Chowk", "CHANDNI CHOWK", "Central Delhi"),
        ("Dwarka", "SECTOR 10", "South West Delhi"),
        ("Saket", "PRESS ENCLAVE ROAD", "South Delhi"),
        ("Janakpuri", "DISTRICT CENTRE", "West Delhi"),
        ("Preet Vihar", "VIKAS MARG", "East Delhi"),
    ]),
    ("Gurugram", "Haryana", "Gurugram", [
        ("Sector 14", "OLD DELHI GURGAON ROAD", None),
        ("Sohna Road", "SOHNA ROAD", None),
        ("DLF Cyber City", "DLF PHASE 2", None),
    ]),
    ("Noida", "Uttar Pradesh", "Gautam Buddha Nagar", [
        ("Sector 18", "ATTA MARKET", None),
        ("Sector 62", "INSTITUTIONAL AREA", None),
    ]),
    ("Chandigarh", "Chandigarh", "Chandigarh", [
        ("Sector 17", "SECTOR 17 B", None),
        ("Sector 35", "SECTOR 35 C", None),
        ("Sector 22", "SECTOR 22 B", None),
    ]),
    ("Ludhiana", "Punjab", "Ludhiana", [
        ("Ferozepur Road", "FEROZEPUR ROAD", None),
        ("Model Town", "MODEL TOWN EXTENSION", None),
        ("Ghumar Mandi", "GHUMAR MANDI", None),
    ]),
    ("Amritsar", "Punjab", "Amritsar", [
        ("Lawrence Road", "LAWRENCE ROAD", None),
        ("Hall Bazar", "HALL BAZAR", None),
        ("Ranjit Avenue", "B BLOCK", None),
    ]),
    ("Jalandhar", "Punjab", "Jalandhar", [
        ("Model Town", "MODEL TOWN ROAD", None),
        ("Civil Lines", "G T ROAD", None),
    ]),
    ("Jaipur", "Rajasthan", "Jaipur", [
        ("M I Road", "MIRZA ISMAIL ROAD", None),
        ("C Scheme", "ASHOK MARG", None),
        ("Malviya Nagar", "JAWAHAR LAL NEHRU MARG", None),
        ("Vaishali Nagar", "AMRAPALI MARG", None),
        ("Raja Park", "GOVIND MARG", None),
    ]),
    ("Udaipur", "Rajasthan", "Udaipur", [
        ("Chetak Circle", "BAPU BAZAR ROAD", None),
        ("Hiran Magri", "SECTOR 4", None),
    ]),
    ("Lucknow", "Uttar Pradesh", "Lucknow", [
        ("Hazratganj", "MAHATMA GANDHI MARG", None),
        ("Gomti Nagar", "VIBHUTI KHAND", None),
        ("Aliganj", "KAPOORTHALA COMPLEX", None),
        ("Aminabad", "AMINABAD ROAD", None),
    ]),
    ("Kanpur", "Uttar Pradesh", "Kanpur Nagar", [
        ("Mall Road", "THE MALL", None),
        ("Swaroop Nagar", "SWAROOP NAGAR ROAD", None),
        ("Kidwai Nagar", "KIDWAI NAGAR", None),
    ]),
    ("Varanasi", "Uttar Pradesh", "Varanasi", [
        ("Lanka", "LANKA ROAD", None),
        ("Sigra", "SIGRA MAHMOORGANJ ROAD", None),
        ("Godowlia", "DASHASWAMEDH ROAD", None),
    ]),
    ("Patna", "Bihar", "Patna", [
        ("Fraser Road", "FRASER ROAD", None),
        ("Boring Road", "BORING ROAD", None),
        ("Kankarbagh", "KANKARBAGH MAIN ROAD", None),
        ("Gandhi Maidan", "ASHOK RAJPATH", None),
    ]),
    ("Ranchi", "Jharkhand", "Ranchi", [
        ("Main Road", "MAIN ROAD", None),
        ("Lalpur", "CIRCULAR ROAD", None),
    ]),
    ("Kolkata", "West Bengal", "Kolkata", [
        ("Park Street", "PARK STREET", None),
        ("Dalhousie", "B B D BAG", None),
        ("Salt Lake", "SECTOR V", "North 24 Parganas"),
        ("Ballygunge", "GARIAHAT ROAD", None),
        ("Shyambazar", "BHUPEN BOSE AVENUE", None),
        ("Behala", "DIAMOND HARBOUR ROAD", None),
    ]),
    ("Siliguri", "West Bengal", "Darjeeling", [
        ("Hill Cart Road", "HILL CART ROAD", None),
        ("Sevoke Road", "SEVOKE ROAD", None),
    ]),
    ("Bhubaneswar", "Odisha", "Khordha", [
        ("Janpath", "JANPATH", None),
        ("Saheed Nagar", "SAHEED NAGAR", None),
        ("Patia", "KIIT ROAD", None),
    ]),
    ("Cuttack", "Odisha", "Cuttack", [
        ("Buxi Bazar", "BUXI BAZAR", None),
        ("College Square", "COLLEGE SQUARE", None),
    ]),
    ("Guwahati", "Assam", "Kamrup Metropolitan", [
        ("Pan Bazar", "H B ROAD", None),
        ("G S Road", "G S ROAD", None),
        ("Fancy Bazar", "S R C B ROAD", None),
    ]),
    ("Bhopal", "Madhya Pradesh", "Bhopal", [
        ("M P Nagar", "ZONE I", None),
        ("New Market", "T T NAGAR", None),
        ("Arera Colony", "E 5", None),
    ]),
    ("Indore", "Madhya Pradesh", "Indore", [
        ("M G Road", "M G ROAD", None),
        ("Vijay Nagar", "A B ROAD", None),
        ("Palasia", "NEW PALASIA", None),
    ]),
    ("Raipur", "Chhattisgarh", "Raipur", [
        ("Pandri", "PANDRI MAIN ROAD", None),
        ("Shankar Nagar", "SHANKAR NAGAR MAIN ROAD", None),
    ]),
    ("Ahmedabad", "Gujarat", "Ahmedabad", [
        ("Ashram Road", "ASHRAM ROAD", None),
        ("C G Road", "C G ROAD", None),
        ("Navrangpura", "UNIVERSITY ROAD", None),
        ("Satellite", "SATELLITE ROAD", None),
        ("Maninagar", "JAWAHAR CHOWK", None),
        ("Bodakdev", "S G HIGHWAY", None),
    ]),
    ("Surat", "Gujarat", "Surat", [
        ("Ring Road", "RING ROAD", None),
        ("Athwa Lines", "ATHWA LINES", None),
        ("Adajan", "HONEY PARK ROAD", None),
    ]),
    ("Vadodara", "Gujarat", "Vadodara", [
        ("Alkapuri", "R C DUTT ROAD", None),
        ("Sayajigunj", "STATION ROAD", None),
        ("Manjalpur", "MANJALPUR NAKA", None),
    ]),
    ("Bengaluru", "Karnataka", "Bengaluru Urban", [
        ("M G Road", "M G ROAD", None),
        ("Koramangala", "80 FEET ROAD", None),
        ("Jayanagar", "11TH MAIN ROAD", None),
        ("Indiranagar", "100 FEET ROAD", None),
        ("Whitefield", "ITPL MAIN ROAD", None),
        ("Malleshwaram", "SAMPIGE ROAD", None),
        ("Electronic City", "HOSUR ROAD", None),
        ("Basavanagudi", "BULL TEMPLE ROAD", None),
    ]),
    ("Mysuru", "Karnataka", "Mysuru", [
        ("Sayyaji Rao Road", "SAYYAJI RAO ROAD", None),
        ("Kuvempunagar", "KUVEMPUNAGAR MAIN ROAD", None),
    ]),
    ("Mangaluru", "Karnataka", "Dakshina Kannada", [
        ("Hampankatta", "K S RAO ROAD", None),
        ("Kodialbail", "BALMATTA ROAD", None),
    ]),
    ("Chennai", "Tamil Nadu", "Chennai", [
        ("T Nagar", "USMAN ROAD", None),
        ("Anna Nagar", "2ND AVENUE", None),
        ("Adyar", "LATTICE BRIDGE ROAD", None),
        ("Mylapore", "R K MUTT ROAD", None),
        ("Nungambakkam", "NUNGAMBAKKAM HIGH ROAD", None),
        ("Velachery", "VELACHERY MAIN ROAD", None),
        ("Egmore", "PANTHEON ROAD", None),
        ("Guindy", "G S T ROAD", None),
    ]),
    ("Coimbatore", "Tamil Nadu", "Coimbatore", [
        ("R S Puram", "D B ROAD", None),
        ("Gandhipuram", "CROSS CUT ROAD", None),
        ("Peelamedu", "AVINASHI ROAD", None),
    ]),
    ("Madurai", "Tamil Nadu", "Madurai", [
        ("Town Hall Road", "TOWN HALL ROAD", None),
        ("K K Nagar", "80 FEET ROAD", None),
        ("Tallakulam", "ALAGAR KOIL ROAD", None),
    ]),
    ("Tiruchirappalli", "Tamil Nadu", "Tiruchirappalli", [
        ("Cantonment", "BHARATHIDASAN SALAI", None),
        ("Thillai Nagar", "5TH CROSS", None),
    ]),
    ("Hyderabad", "Telangana", "Hyderabad", [
        ("Abids", "ABIDS ROAD", None),
        ("Banjara Hills", "ROAD NO 12", None),
        ("Begumpet", "S P ROAD", None),
        ("Madhapur", "HITEC CITY ROAD", "Rangareddy"),
        ("Gachibowli", "OLD MUMBAI HIGHWAY", "Rangareddy"),
        ("Kukatpally", "K P H B COLONY", "Medchal Malkajgiri"),
        ("Secunderabad", "S D ROAD", None),
        ("Himayatnagar", "HIMAYATNAGAR MAIN ROAD", None),
    ]),
    ("Visakhapatnam", "Andhra Pradesh", "Visakhapatnam", [
        ("Dwaraka Nagar", "DIAMOND PARK ROAD", None),
        ("Siripuram", "WALTAIR MAIN ROAD", None),
        ("MVP Colony", "SECTOR 6", None),
    ]),
    ("Vijayawada", "Andhra Pradesh", "NTR", [
        ("Governorpet", "ELURU ROAD", None),
        ("Benz Circle", "M G ROAD", None),
        ("Labbipet", "BANDAR ROAD", None),
    ]),
    ("Kochi", "Kerala", "Ernakulam", [
        ("M G Road", "M G ROAD", None),
        ("Kaloor", "BANERJI ROAD", None),
        ("Edappally", "N H 66", None),
        ("Marine Drive", "SHANMUGHAM ROAD", None),
        ("Kakkanad", "SEAPORT AIRPORT ROAD", None),
    ]),
    ("Thiruvananthapuram", "Kerala", "Thiruvananthapuram", [
        ("Statue", "M G ROAD", None),
        ("Pattom", "PATTOM PALACE ROAD", None),
        ("Kowdiar", "KOWDIAR ROAD", None),
    ]),
    ("Kozhikode", "Kerala", "Kozhikode", [
        ("Mavoor Road", "MAVOOR ROAD", None),
        ("Nadakkavu", "WAYANAD ROAD", None),
    ]),
    ("Thrissur", "Kerala", "Thrissur", [
        ("Round South", "SWARAJ ROUND", None),
        ("Punkunnam", "PUNKUNNAM ROAD", None),
    ]),
    ("Panaji", "Goa", "North Goa", [
        ("Panaji", "18TH JUNE ROAD", None),
        ("Altinho", "DR DADA VAIDYA ROAD", None),
    ]),
    ("Dehradun", "Uttarakhand", "Dehradun", [
        ("Rajpur Road", "RAJPUR ROAD", None),
        ("Paltan Bazar", "PALTAN BAZAR", None),
    ]),
    ("Jammu", "Jammu and Kashmir", "Jammu", [
        ("Gandhi Nagar", "GANDHI NAGAR MAIN ROAD", None),
        ("Residency Road", "RESIDENCY ROAD", None),
    ]),
]

CITY_STATE = {c: s for c, s, _, _ in LOCATIONS}
CITY_DISTRICT = {c: d for c, _, d, _ in LOCATIONS}

# Flattened locality list: (city, state, district, locality, street)
LOCALITIES = []
for _city, _state, _dist, _locs in LOCATIONS:
    for _loc, _street, _dover in _locs:
        LOCALITIES.append((_city, _state, _dover or _dist, _loc, _street))

# ---------------------------------------------------------------------------
# Banks
# ---------------------------------------------------------------------------

BANKS = [
    # code, name, branch count, home states (weighted), max numeric branch code, acct length
    ("SBIN", "State Bank of India", 20, [], 20999, 11),
    ("HDFC", "HDFC Bank", 16, [], 9999, 14),
    ("ICIC", "ICICI Bank", 16, [], 7999, 12),
    ("UTIB", "Axis Bank", 14, [], 4999, 15),
    ("KKBK", "Kotak Mahindra Bank", 12, ["Maharashtra"], 8999, 10),
    ("PUNB", "Punjab National Bank", 14, ["Punjab", "Delhi", "Uttar Pradesh", "Haryana"], 999999, 16),
    ("BARB", "Bank of Baroda", 13, ["Gujarat", "Rajasthan"], 0, 14),
    ("CNRB", "Canara Bank", 13, ["Karnataka"], 9999, 13),
    ("UBIN", "Union Bank of India", 12, ["Maharashtra", "Andhra Pradesh"], 999999, 15),
    ("BKID", "Bank of India", 11, ["Maharashtra"], 9999, 15),
    ("IDIB", "Indian Bank", 11, ["Tamil Nadu"], 999, 10),
    ("IOBA", "Indian Overseas Bank", 11, ["Tamil Nadu"], 4999, 15),
    ("YESB", "Yes Bank", 10, ["Maharashtra"], 999, 15),
    ("INDB", "IndusInd Bank", 10, [], 2999, 12),
    ("FDRL", "Federal Bank", 11, ["Kerala"], 7999, 14),
    ("MAHB", "Bank of Maharashtra", 10, ["Maharashtra"], 2999, 11),
    ("IDFB", "IDFC FIRST Bank", 10, [], 80999, 11),
    ("CBIN", "Central Bank of India", 11, ["Madhya Pradesh", "Maharashtra", "Bihar"], 285999, 10),
]
BANK_NAME = {b[0]: b[1] for b in BANKS}
BANK_ACCT_LEN = {b[0]: b[5] for b in BANKS}

FIXED_BRANCHES = [
    {"ifsc": "ICIC0000004", "branch": "Mumbai Nariman Point",
     "address": "GROUND FLOOR, FREE PRESS HOUSE, FREE PRESS JOURNAL MARG, NARIMAN POINT",
     "city": "Mumbai", "district": "Mumbai", "state": "Maharashtra"},
    {"ifsc": "ICIC0000001", "branch": "Mumbai Bandra Kurla Complex",
     "address": "ICICI BANK TOWERS, G BLOCK, BANDRA KURLA COMPLEX, BANDRA EAST",
     "city": "Mumbai", "district": "Mumbai Suburban", "state": "Maharashtra"},
    {"ifsc": "SBIN0000001", "branch": "Kolkata Main",
     "address": "SAMRIDDHI BHAWAN, 1 STRAND ROAD, DALHOUSIE",
     "city": "Kolkata", "district": "Kolkata", "state": "West Bengal"},
    {"ifsc": "HDFC0000001", "branch": "Kamala Mills Compound",
     "address": "TRADE WORLD, A WING, GROUND FLOOR, KAMALA MILLS COMPOUND, SENAPATI BAPAT MARG, LOWER PAREL",
     "city": "Mumbai", "district": "Mumbai", "state": "Maharashtra"},
]

BUILDING_WORDS = ["SAI", "LAXMI", "GANGA", "SHREE GANESH", "KRISHNA", "SURYA", "ASHOKA",
                  "MAHALAXMI", "SHANTI", "RAJ", "PRESTIGE", "SUNRISE", "PARAS", "ANAND",
                  "GOKUL", "JAYANTI", "KAVERI", "NARMADA", "VAIBHAV", "SIDDHI", "OM",
                  "MANGALAM", "SRINIVASA", "AMBIKA"]
BUILDING_KINDS = ["COMPLEX", "TOWERS", "CHAMBERS", "ARCADE", "PLAZA", "HOUSE", "BHAVAN",
                  "CENTRE", "APARTMENTS", "COMMERCIAL COMPLEX"]
FLOORS = ["GROUND FLOOR", "GROUND FLOOR", "FIRST FLOOR", "UPPER GROUND FLOOR", "GROUND AND FIRST FLOOR"]
SOUTH_STATES = {"Tamil Nadu", "Kerala", "Karnataka", "Andhra Pradesh", "Telangana"}


def make_address(locality: str, street: str, state: str) -> str:
    bldg = f"{rng.choice(BUILDING_WORDS)} {rng.choice(BUILDING_KINDS)}"
    loc = locality.upper()
    tail = street if street == loc else f"{street}, {loc}"
    pattern = rng.randint(0, 4)
    if state in SOUTH_STATES and pattern == 2:
        pattern = 5
    if pattern == 0:
        return f"{rng.choice(FLOORS)}, SHOP NO {rng.randint(1, 24)}, {bldg}, {tail}"
    if pattern == 1:
        return f"PLOT NO {rng.randint(1, 480)}, {bldg}, {tail}"
    if pattern == 2:
        return f"{bldg}, {rng.randint(1, 220)} {tail}"
    if pattern == 3:
        return f"{rng.choice(FLOORS)}, {bldg}, {tail}"
    if pattern == 4:
        return f"UNIT NO {rng.randint(1, 12)}, {rng.choice(FLOORS)}, {bldg}, {tail}"
    return f"DOOR NO {rng.randint(1, 180)}/{rng.randint(1, 40)}, {bldg}, {tail}"


def gen_ifsc():
    rows = []
    used_ifsc = set()
    for fb in FIXED_BRANCHES:
        code = fb["ifsc"][:4]
        rows.append({
            "ifsc": fb["ifsc"], "bank": BANK_NAME[code], "branch": fb["branch"],
            "address": fb["address"], "city": fb["city"], "district": fb["district"],
            "state": fb["state"], "neft": True, "rtgs": True, "imps": True, "upi": True,
        })
        used_ifsc.add(fb["ifsc"])
    fixed_count = {}
    for fb in FIXED_BRANCHES:
        fixed_count[fb["ifsc"][:4]] = fixed_count.get(fb["ifsc"][:4], 0) + 1
    fixed_branch_names = {(fb["ifsc"][:4], fb["branch"]) for fb in FIXED_BRANCHES}

    for code, name, count, home_states, maxn, _alen in BANKS:
        weights = [4.0 if loc[1] in home_states else 1.0 for loc in LOCALITIES]
        picked = []
        picked_keys = []
        n_needed = count - fixed_count.get(code, 0)
        while len(picked) < n_needed:
            loc = weighted_choice(LOCALITIES, weights)
            key = (loc[0], loc[3])
            if key in picked_keys:
                continue
            picked_keys.append(key)
            picked.append(loc)
        branch_names = [loc[3] for loc in picked]
        for city, state, district, locality, street in picked:
            branch = locality
            if branch_names.count(locality) > 1 or (code, branch) in fixed_branch_names \
                    or code == "ICIC":
                # ICICI names its branches "<City> <Locality>"; disambiguate others
                branch = locality if locality == city else f"{city} {locality}"
            # Branch code: 6 alphanumerics, mostly digits.
            while True:
                if code == "BARB":
                    if rng.random() < 0.5:
                        letters = re.sub(r"[^A-Z]", "", locality.upper())
                        bc = (letters + "XXXXXX")[:6]
                    else:
                        bc = f"{rng.randint(1, 9999):06d}"
                elif code == "YESB" and rng.random() < 0.2:
                    bc = "0" + "".join(rng.choice(UPPER) for _ in range(2)) + f"{rng.randint(1, 999):03d}"
                else:
                    bc = f"{rng.randint(2, maxn):06d}"
                ifsc = f"{code}0{bc}"
                if ifsc not in used_ifsc:
                    break
            used_ifsc.add(ifsc)
            rows.append({
                "ifsc": ifsc, "bank": name, "branch": branch,
                "address": make_address(locality, street, state),
                "city": city, "district": district, "state": state,
                "neft": True, "rtgs": True, "imps": True, "upi": True,
            })

    rows.sort(key=lambda r: r["ifsc"])
    fixed_ids = [fb["ifsc"] for fb in FIXED_BRANCHES]
    candidates = [i for i, r in enumerate(rows) if r["ifsc"] not in fixed_ids]
    n_rtgs_off = round(len(rows) * 0.05)
    n_imps_off = round(len(rows) * 0.03)
    for i in rng.sample(candidates, n_rtgs_off):
        rows[i]["rtgs"] = False
    for i in rng.sample(candidates, n_imps_off):
        rows[i]["imps"] = False
        rows[i]["upi"] = False  # no IMPS switch connectivity -> no UPI either
    return rows


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

NAME_GROUPS = [
    {  # Tamil
        "surnames": ["Iyer", "Iyengar", "Subramanian", "Krishnan", "Natarajan", "Ramasamy", "Sundaram"],
        "male": ["Arjun", "Karthik", "Senthil", "Venkatesh", "Ganesh", "Prakash", "Balaji", "Dinesh"],
        "female": ["Lakshmi", "Priya", "Divya", "Meena", "Kavya", "Revathi", "Gayathri", "Sangeetha"],
        "mid_m": ["Kumar", "Raj", "Shankar"], "mid_f": ["Devi", "Sri", "Lakshmi"],
        "cities": ["Chennai", "Coimbatore", "Madurai", "Tiruchirappalli"],
    },
    {  # Malayali
        "surnames": ["Nair", "Menon", "Pillai", "Kurian", "Varghese", "Panicker", "Namboodiri"],
        "male": ["Arun", "Vishnu", "Anoop", "Rajesh", "Sreejith", "Jithin", "Manoj"],
        "female": ["Anjali", "Sreeja", "Aparna", "Reshma", "Anitha", "Divya", "Nimisha"],
        "mid_m": ["Kumar", "Mohan", "Chandran"], "mid_f": ["Lakshmi", "Devi", "Mary"],
        "cities": ["Kochi", "Thiruvananthapuram", "Kozhikode", "Thrissur"],
    },
    {  # Telugu
        "surnames": ["Reddy", "Rao", "Naidu", "Chowdary", "Varma", "Raju"],
        "male": ["Srinivas", "Venkat", "Ravi", "Kiran", "Harsha", "Mahesh", "Chaitanya"],
        "female": ["Sravani", "Swathi", "Padma", "Lavanya", "Sirisha", "Keerthi", "Bhavana"],
        "mid_m": ["Sai", "Venkata", "Naga"], "mid_f": ["Sri", "Naga", "Sai"],
        "cities": ["Hyderabad", "Visakhapatnam", "Vijayawada"],
    },
    {  # Kannada
        "surnames": ["Gowda", "Hegde", "Shetty", "Kamath", "Bhat", "Rao", "Kulkarni"],
        "male": ["Rakesh", "Manjunath", "Sudeep", "Prashanth", "Naveen", "Shreyas", "Darshan"],
        "female": ["Shruti", "Deepa", "Anusha", "Kavitha", "Rashmi", "Spoorthi", "Pavithra"],
        "mid_m": ["Kumar", "Raj", "Prasad"], "mid_f": ["Rani", "Devi", "Sri"],
        "cities": ["Bengaluru", "Mysuru", "Mangaluru"],
    },
    {  # Marathi
        "surnames": ["Joshi", "Kulkarni", "Deshpande", "Patil", "Pawar", "Jadhav", "Gokhale", "Deshmukh"],
        "male": ["Rohan", "Aditya", "Sachin", "Omkar", "Tushar", "Ajinkya", "Nikhil"],
        "female": ["Sneha", "Pooja", "Aditi", "Madhuri", "Ashwini", "Gauri", "Prajakta"],
        "mid_m": ["Suresh", "Vijay", "Ramesh", "Dattatray", "Prakash"],
        "mid_f": ["Sunil", "Prakash", "Vilas", "Anil"],
        "cities": ["Mumbai", "Pune", "Nagpur", "Thane", "Navi Mumbai"],
    },
    {  # Gujarati
        "surnames": ["Patel", "Shah", "Mehta", "Desai", "Trivedi", "Parikh", "Joshi"],
        "male": ["Aarav", "Hardik", "Jignesh", "Nirav", "Chirag", "Parth", "Bhavin"],
        "female": ["Nisha", "Hetal", "Komal", "Riddhi", "Krupa", "Dhara", "Foram"],
        "mid_m": ["Rameshbhai", "Jayantibhai", "Hasmukhbhai", "Kiritbhai"],
        "mid_f": ["Rajeshkumar", "Dineshbhai", "Mahendrabhai"],
        "cities": ["Ahmedabad", "Surat", "Vadodara", "Mumbai"],
    },
    {  # Hindi belt
        "surnames": ["Sharma", "Gupta", "Verma", "Agarwal", "Mishra", "Srivastava", "Tiwari", "Yadav", "Chauhan", "Saxena"],
        "male": ["Vikram", "Sanjay", "Amit", "Rajesh", "Ankit", "Saurabh", "Rahul", "Deepak", "Manish", "Alok"],
        "female": ["Ananya", "Neha", "Shalini", "Pooja", "Ritu", "Kavita", "Priyanka", "Shweta", "Anjali"],
        "mid_m": ["Kumar", "Prasad", "Nath", "Chandra", "Prakash"],
        "mid_f": ["Kumari", "Devi", "Rani"],
        "cities": ["Lucknow", "Kanpur", "Varanasi", "Jaipur", "Udaipur", "Bhopal", "Indore",
                   "New Delhi", "Noida", "Gurugram", "Patna", "Ranchi", "Raipur", "Dehradun"],
    },
    {  # Punjabi / Sikh
        "surnames": ["Sandhu", "Gill", "Dhillon", "Grewal", "Bedi", "Ahluwalia"],
        "male": ["Harpreet", "Gurpreet", "Manpreet", "Jaspreet", "Amandeep", "Navjot"],
        "female": ["Harpreet", "Simran", "Navneet", "Jasleen", "Gurleen", "Manjeet"],
        "mid_m": ["Singh"], "mid_f": ["Kaur"],
        "cities": ["Ludhiana", "Amritsar", "Jalandhar", "Chandigarh", "New Delhi"],
    },
    {  # Bengali
        "surnames": ["Mukherjee", "Banerjee", "Chatterjee", "Das", "Ghosh", "Bose", "Sen", "Dutta"],
        "male": ["Sourav", "Arindam", "Debashish", "Abhijit", "Subhankar", "Anirban"],
        "female": ["Moumita", "Sreyashi", "Rituparna", "Ananya", "Payel", "Sudeshna"],
        "mid_m": ["Kumar", "Chandra", "Nath"], "mid_f": ["Rani", "Sree"],
        "cities": ["Kolkata", "Siliguri"],
    },
    {  # Muslim
        "surnames": ["Khan", "Sheikh", "Qureshi", "Ansari", "Siddiqui", "Hussain", "Mirza"],
        "male": ["Imran", "Faisal", "Irfan", "Salman", "Arif", "Zaheer", "Tariq"],
        "female": ["Fatima", "Ayesha", "Sana", "Zoya", "Nazia", "Rukhsar", "Heena"],
        "mid_m": ["Ahmed", "Ali", "Mohammed"], "mid_f": ["Parveen", "Bano", "Jahan"],
        "cities": ["Hyderabad", "Lucknow", "Mumbai", "Bhopal", "Kolkata", "New Delhi", "Bengaluru"],
    },
    {  # Odia / Assamese
        "surnames": ["Mohanty", "Patnaik", "Nayak", "Sahoo", "Barua", "Bora", "Sarma"],
        "male": ["Subhash", "Pradeep", "Biswajit", "Manas", "Debajit", "Rupam"],
        "female": ["Sasmita", "Lipika", "Subhashree", "Pallavi", "Nandita", "Bornali"],
        "mid_m": ["Kumar", "Ranjan", "Prasad"], "mid_f": ["Rani", "Kumari"],
        "cities": ["Bhubaneswar", "Cuttack", "Guwahati"],
    },
]
ASSAMESE_SURNAMES = {"Barua", "Bora", "Sarma"}


def gen_name(group, gender):
    first = rng.choice(group["male"] if gender == "M" else group["female"])
    last = rng.choice(group["surnames"])
    if group["mid_m"] == ["Singh"]:
        # Sikh naming: Singh / Kaur as middle or last name.
        if rng.random() < 0.35:
            last = "Singh" if gender == "M" else "Kaur"
            middle = ""
        else:
            middle = "Singh" if gender == "M" else "Kaur"
    else:
        middle = rng.choice(group["mid_m"] if gender == "M" else group["mid_f"]) \
            if rng.random() < 0.5 else ""
    city = rng.choice(group["cities"])
    if last in ASSAMESE_SURNAMES:
        city = "Guwahati"
    elif city == "Guwahati":
        last = rng.choice(["Barua", "Bora", "Sarma"])
    return first, middle, last, city


def full_name(first, middle, last):
    return " ".join(p for p in (first, middle, last) if p)


# ---------------------------------------------------------------------------
# Credit bureau data
# ---------------------------------------------------------------------------

ACCOUNT_TYPES = ["AUTO_LOAN", "HOME_LOAN", "PERSONAL_LOAN", "CREDIT_CARD", "GOLD_LOAN",
                 "CONSUMER_DURABLE", "TWO_WHEELER_LOAN"]
TYPE_WEIGHTS = {"CREDIT_CARD": 3.0, "PERSONAL_LOAN": 2.5, "CONSUMER_DURABLE": 2.0,
                "TWO_WHEELER_LOAN": 1.5, "GOLD_LOAN": 1.5, "AUTO_LOAN": 1.5, "HOME_LOAN": 1.2}
# type -> (min rupees, max rupees, rounding, tenure months, max multiple of monthly income)
TYPE_TERMS = {
    "HOME_LOAN": (1_500_000, 9_000_000, 50_000, 240, 80),
    "AUTO_LOAN": (350_000, 1_500_000, 10_000, 60, 25),
    "PERSONAL_LOAN": (50_000, 1_500_000, 5_000, 36, 20),
    "CREDIT_CARD": (25_000, 600_000, 5_000, 20, 4),
    "GOLD_LOAN": (20_000, 500_000, 1_000, 12, 10),
    "CONSUMER_DURABLE": (15_000, 150_000, 500, 12, 3),
    "TWO_WHEELER_LOAN": (50_000, 200_000, 1_000, 24, 4),
}
BANK_LENDERS = ["State Bank of India", "HDFC Bank", "ICICI Bank", "Axis Bank",
                "Kotak Mahindra Bank", "Punjab National Bank", "Bank of Baroda",
                "IDFC FIRST Bank", "Canara Bank", "Union Bank of India", "IndusInd Bank",
                "Federal Bank"]
TYPE_LENDERS = {
    "HOME_LOAN": ["State Bank of India", "HDFC Bank", "ICICI Bank", "Axis Bank", "LIC Housing Finance",
                  "Bank of Baroda", "Punjab National Bank", "Canara Bank", "Kotak Mahindra Bank"],
    "AUTO_LOAN": ["HDFC Bank", "ICICI Bank", "State Bank of India", "Axis Bank", "Kotak Mahindra Bank",
                  "Mahindra Finance", "Tata Capital", "IndusInd Bank"],
    "PERSONAL_LOAN": ["HDFC Bank", "ICICI Bank", "Axis Bank", "Bajaj Finance", "Tata Capital",
                      "IDFC FIRST Bank", "Kotak Mahindra Bank", "State Bank of India", "Aditya Birla Capital"],
    "CREDIT_CARD": ["HDFC Bank", "ICICI Bank", "Axis Bank", "SBI Card", "Kotak Mahindra Bank",
                    "IDFC FIRST Bank", "IndusInd Bank", "Yes Bank"],
    "GOLD_LOAN": ["Muthoot Finance", "Manappuram Finance", "State Bank of India", "Federal Bank",
                  "Indian Bank", "Canara Bank"],
    "CONSUMER_DURABLE": ["Bajaj Finance", "HDB Financial Services", "Tata Capital", "IDFC FIRST Bank"],
    "TWO_WHEELER_LOAN": ["Hero FinCorp", "TVS Credit", "Bajaj Finance", "L&T Finance", "HDFC Bank",
                         "State Bank of India"],
}

BANDS = {"SUBPRIME": (480, 599), "FAIR": (600, 699), "GOOD": (700, 749), "EXCELLENT": (750, 880)}


def band_of(score: int) -> str:
    if score == -1:
        return "NONE"
    if score < 600:
        return "SUBPRIME"
    if score < 700:
        return "FAIR"
    if score < 750:
        return "GOOD"
    return "EXCELLENT"


def sanctioned_for(acct_type: str, income: int) -> int:
    lo, hi, step, _ten, mult = TYPE_TERMS[acct_type]
    cap = max(lo, min(hi, income * mult))
    value = math.exp(rng.uniform(math.log(lo), math.log(cap)))
    value = max(lo, min(cap, round(value / step) * step))
    return int(value) * 100  # paise


def gen_credit_accounts(band: str, income: int, dob: dt.date):
    if band == "NONE":
        return []
    n_min = 2 if band == "SUBPRIME" else 1
    n = rng.randint(n_min, 6)
    age = age_on(dob, dt.date(2026, 1, 1))
    types = []
    while len(types) < n:
        t = weighted_choice(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))
        if t == "HOME_LOAN" and (income < 50_000 or age < 26 or t in types):
            continue
        if t == "AUTO_LOAN" and (t in types or income < 35_000):
            continue
        types.append(t)

    # Which accounts are delinquent, and by how much.
    dpds = [0] * n
    idx = list(range(n))
    rng.shuffle(idx)
    if band == "GOOD":
        if rng.random() < 0.6:
            dpds[idx[0]] = rng.randint(1, 30)
    elif band == "FAIR":
        k = 1 if n == 1 else rng.choice([1, 2])
        for i in idx[:k]:
            dpds[i] = rng.choice([30, 31, 45, 60, 61, 75, 89, 90, rng.randint(30, 90)])
    elif band == "SUBPRIME":
        k = rng.randint(2, n)
        for i in idx[:k]:
            dpds[i] = rng.choice([60, 90, 120, 150, 180, rng.randint(60, 180)])
        # Any remaining accounts are either current or mildly late.
        for i in idx[k:]:
            dpds[i] = rng.choice([0, 0, rng.randint(1, 59)])

    accounts = []
    opened_lo = max(add_years(dob, 19), dt.date(2010, 1, 1))
    opened_hi = dt.date(2025, 10, 31)
    for t, dpd in zip(types, dpds):
        sanc = sanctioned_for(t, income)
        tenure = TYPE_TERMS[t][3]
        if t == "HOME_LOAN":
            frac = rng.uniform(0.45, 0.97)
        elif t == "CREDIT_CARD":
            frac = rng.uniform(0.03, 0.85)
        else:
            frac = rng.uniform(0.12, 0.95)
        bal = int(sanc * frac)
        emi = sanc / tenure
        if dpd == 0:
            overdue = 0
        elif band == "GOOD":
            overdue = int(emi * rng.uniform(0.5, 1.0))
        else:
            months = max(1, math.ceil(dpd / 30))
            overdue = int(emi * months * rng.uniform(0.9, 1.1))
        if dpd > 0:
            overdue = max(overdue, 10_000)  # at least Rs 100
            bal = max(bal, overdue)
        bal = min(bal, sanc)
        overdue = min(overdue, bal)
        if t == "HOME_LOAN":
            lo = max(opened_lo, dt.date(2012, 1, 1))
        else:
            lo = max(opened_lo, dt.date(2016, 1, 1)) if t in ("CONSUMER_DURABLE", "GOLD_LOAN", "TWO_WHEELER_LOAN") else opened_lo
        lo = min(lo, opened_hi)
        opened = rand_date(lo, opened_hi)
        accounts.append({
            "type": t,
            "lender": rng.choice(TYPE_LENDERS[t]),
            "sanctionedAmount": money(sanc),
            "currentBalance": money(bal),
            "overdueAmount": money(overdue),
            "dpd": dpd,
            "openedOn": opened.isoformat(),
        })
    accounts.sort(key=lambda a: a["openedOn"])
    return accounts


ENQUIRY_COUNTS = {"NONE": (0, 0), "EXCELLENT": (0, 2), "GOOD": (1, 3), "FAIR": (2, 5), "SUBPRIME": (4, 8)}


def gen_enquiries(band: str, income: int):
    lo, hi = ENQUIRY_COUNTS[band]
    n = rng.randint(lo, hi)
    out = []
    for _ in range(n):
        purpose = weighted_choice(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))
        if purpose == "HOME_LOAN" and income < 50_000:
            purpose = "PERSONAL_LOAN"
        out.append({
            "daysAgo": rng.randint(1, 180),
            "lender": rng.choice(TYPE_LENDERS[purpose]),
            "purpose": purpose,
            "amount": money(sanctioned_for(purpose, income)),
        })
    out.sort(key=lambda e: e["daysAgo"])
    return out


# ---------------------------------------------------------------------------
# Persons
# ---------------------------------------------------------------------------

DEMO_PERSON = {
    "pan": "ABCPE1234F",
    "title": "Shri",
    "firstName": "Rahul",
    "middleName": "Kumar",
    "lastName": "Eswaran",
    "dateOfBirth": "1988-04-12",
    "mobile": "9800000001",
    "email": "rahul.eswaran@example.in",
    "customerId": "CUST000001",
    "savingsAccount": "000401000001",
    "panStatus": "E",
    "panLastUpdated": "2021-06-15",
    "monthlyIncome": "150000.00",
    "city": "Chennai",
    "state": "Tamil Nadu",
    "cibilScore": 780,
    "creditAccounts": [
        {"type": "HOME_LOAN", "lender": "State Bank of India", "sanctionedAmount": "6500000.00",
         "currentBalance": "5123400.00", "overdueAmount": "0.00", "dpd": 0, "openedOn": "2019-11-22"},
        {"type": "CREDIT_CARD", "lender": "ICICI Bank", "sanctionedAmount": "300000.00",
         "currentBalance": "42315.75", "overdueAmount": "0.00", "dpd": 0, "openedOn": "2017-08-05"},
        {"type": "AUTO_LOAN", "lender": "HDFC Bank", "sanctionedAmount": "850000.00",
         "currentBalance": "412350.00", "overdueAmount": "0.00", "dpd": 0, "openedOn": "2022-03-18"},
    ],
    "enquiries": [
        {"daysAgo": 34, "lender": "Axis Bank", "purpose": "PERSONAL_LOAN", "amount": "500000.00"},
    ],
}
DEMO_PERSON["creditAccounts"].sort(key=lambda a: a["openedOn"])

PERSON_KEYS = list(DEMO_PERSON.keys()) + ["savingsBalance"]
N_PERSONS = 60
# Score bands for persons 2..60 (the demo person is EXCELLENT; two get -1).
BAND_PLAN = ["SUBPRIME"] * 10 + ["FAIR"] * 12 + ["GOOD"] * 17 + ["EXCELLENT"] * 18


def gen_pan(holder_type: str, initial: str, used: set, prefix: str | None = None) -> str:
    while True:
        first3 = prefix + rng.choice(UPPER) if prefix else "".join(rng.choice(UPPER) for _ in range(3))
        digits = rng.randint(1, 9998)
        pan = f"{first3}{holder_type}{initial}{digits:04d}{rng.choice(UPPER)}"
        if pan not in used:
            used.add(pan)
            return pan


def gen_persons():
    used_pans = {DEMO_PERSON["pan"]}
    used_emails = {DEMO_PERSON["email"]}
    persons = [DEMO_PERSON]
    drafts = []
    for i in range(2, N_PERSONS + 1):
        gender = "F" if rng.random() < 0.45 else "M"
        group = rng.choice(NAME_GROUPS)
        first, middle, last, city = gen_name(group, gender)
        dob = rand_date(dt.date(1962, 1, 1), dt.date(2004, 6, 30))
        age = age_on(dob, dt.date(2026, 1, 1))
        if gender == "M":
            title = "Shri"
        else:
            title = "Kumari" if age < 30 and rng.random() < 0.7 else "Smt"
        while True:
            email = f"{first.lower()}.{last.lower()}{rng.randint(1, 9)}@example.in"
            if email not in used_emails:
                used_emails.add(email)
                break
        # Log-uniform-ish income, nudged up with age.
        base = math.exp(rng.uniform(math.log(18_000), math.log(300_000)))
        base *= 1.0 + max(0, age - 25) * 0.012
        income = int(max(18_000, min(450_000, round(base / 500) * 500)))
        pan_lo = max(dt.date(2015, 1, 1), add_years(dob, 18))
        pan_updated = rand_date(pan_lo, dt.date(2025, 12, 31))
        drafts.append({
            "pan": gen_pan("P", last[0], used_pans),
            "title": title,
            "firstName": first,
            "middleName": middle,
            "lastName": last,
            "dateOfBirth": dob.isoformat(),
            "mobile": f"98000000{i:02d}",
            "email": email,
            "customerId": f"CUST{i:06d}",
            "savingsAccount": f"000401{i:06d}",
            "panStatus": "E",
            "panLastUpdated": pan_updated.isoformat(),
            "monthlyIncome": money(income * 100),
            "city": city,
            "state": CITY_STATE[city],
            "cibilScore": None,
            "creditAccounts": None,
            "enquiries": None,
        })

    # The two youngest get no credit history.
    by_age = sorted(range(len(drafts)), key=lambda k: drafts[k]["dateOfBirth"], reverse=True)
    no_history = by_age[:2]
    bands = list(BAND_PLAN)
    rng.shuffle(bands)
    band_iter = iter(bands)
    for k, p in enumerate(drafts):
        band = "NONE" if k in no_history else next(band_iter)
        income = to_paise(p["monthlyIncome"]) // 100
        dob = dt.date.fromisoformat(p["dateOfBirth"])
        if band == "NONE":
            p["cibilScore"] = -1
        else:
            lo, hi = BANDS[band]
            p["cibilScore"] = rng.randint(lo, hi)
        p["creditAccounts"] = gen_credit_accounts(band, income, dob)
        p["enquiries"] = gen_enquiries(band, income)
        persons.append(p)
    return persons


# ---------------------------------------------------------------------------
# Corporates, merchants, account directory
# ---------------------------------------------------------------------------

CORP_NAMES = [
    "Coromandel Spice Exports Pvt Ltd",
    "Kaveri Agro Foods Ltd",
    "Narmada Textile Mills Pvt Ltd",
    "Deccan Pharma Distributors Pvt Ltd",
    "Malabar Coast Logistics Pvt Ltd",
]
AGGR_NAME = {"SANDAGGR1": "SANDBANK", "SANDAGGR2": "PARTNERCO"}


def gen_corporates():
    used_pans = set()
    corps = [{
        "aggrId": "SANDAGGR1",
        "aggrName": "SANDBANK",
        "corpId": "SANDCORP1",
        "userId": "SANDUSER1",
        "urn": "SANDURN0001",
        # Onboarding is done, as for a partner going live: published CIB clients never register.
        "registered": True,
        "name": "Sandbank Demo Traders Pvt Ltd",
        "pan": "AAKCS2871Q",
        "callbackUrl": None,
        "accounts": [
            {"accountNo": "000405000001", "openingBalance": "1000000.00", "currency": "INR"},
            {"accountNo": "000405000002", "openingBalance": "50000.00", "currency": "INR"},
        ],
    }]
    used_pans.add("AAKCS2871Q")
    next_acct = 3
    aggr_plan = ["SANDAGGR1", "SANDAGGR2", "SANDAGGR1", "SANDAGGR2", "SANDAGGR2"]
    for n, (name, aggr) in enumerate(zip(CORP_NAMES, aggr_plan), start=2):
        accts = []
        for _ in range(rng.randint(1, 3)):
            bal = math.exp(rng.uniform(math.log(25_000), math.log(50_000_000)))
            paise = int(round(bal * 100))
            paise = max(2_500_000, min(5_000_000_000, paise))
            accts.append({"accountNo": f"000405{next_acct:06d}", "openingBalance": money(paise),
                          "currency": "INR"})
            next_acct += 1
        corps.append({
            "aggrId": aggr,
            "aggrName": AGGR_NAME[aggr],
            "corpId": f"SANDCORP{n}",
            "userId": f"SANDUSER{n}",
            "urn": f"SANDURN{n:04d}",
            # SANDUSER2 starts unregistered, for rehearsing Registration and its status.
            "registered": n != 2,
            "name": name,
            "pan": gen_pan("C", name[0], used_pans, prefix="AA"),
            "callbackUrl": None,
            "accounts": accts,
        })
    return corps


def gen_merchants():
    def m(mid, name, mcc):
        return {
            "merchantId": mid, "subMerchantId": mid, "terminalId": mcc,
            "merchantName": name, "vpa": name.lower().replace(" ", "") + "@icici",
            "mcc": mcc, "callbackUrl": None,
        }
    return [
        m("400000", "Sandbank Store", "5411"),
        m("400001", "Annapoorna Sweets", "5441"),
        m("400002", "Kaveri Medicals", "5912"),
        m("400003", "Ganesh Electronics", "5732"),
    ]


def gen_account_directory(ifsc_rows, persons, corps):
    icici = [r["ifsc"] for r in ifsc_rows if r["ifsc"].startswith("ICIC")]
    others = [r for r in ifsc_rows if not r["ifsc"].startswith("ICIC")]
    rows = [{"accountNo": "000405009999", "ifsc": "ICIC0000004", "holderName": "Ravi Kumar",
             "type": "SAVINGS"}]
    used = {"000405009999"}
    for p in persons:
        ifsc = "ICIC0000004" if p["pan"] == DEMO_PERSON["pan"] else rng.choice(icici)
        rows.append({"accountNo": p["savingsAccount"], "ifsc": ifsc,
                     "holderName": full_name(p["firstName"], p["middleName"], p["lastName"]),
                     "type": "SAVINGS"})
        used.add(p["savingsAccount"])
    for c in corps:
        for a in c["accounts"]:
            ifsc = "ICIC0000004" if c["corpId"] == "SANDCORP1" else rng.choice(icici)
            rows.append({"accountNo": a["accountNo"], "ifsc": ifsc, "holderName": c["name"],
                         "type": "CURRENT"})
            used.add(a["accountNo"])
    # 20 accounts at other banks, one bank at most twice.
    bank_uses = Counter()
    picked = []
    while len(picked) < 20:
        r = rng.choice(others)
        code = r["ifsc"][:4]
        if bank_uses[code] >= 2 or r in picked:
            continue
        bank_uses[code] += 1
        picked.append(r)
    for r in picked:
        code = r["ifsc"][:4]
        length = BANK_ACCT_LEN[code]
        while True:
            acct = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))
            if acct not in used and not acct.endswith("0000"):
                used.add(acct)
                break
        group = rng.choice(NAME_GROUPS)
        gender = "F" if rng.random() < 0.45 else "M"
        first, middle, last, _city = gen_name(group, gender)
        rows.append({"accountNo": acct, "ifsc": r["ifsc"],
                     "holderName": full_name(first, middle, last),
                     "type": "CURRENT" if rng.random() < 0.2 else "SAVINGS"})
    return rows


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------

MONEY_RE = re.compile(r"^(0|[1-9][0-9]*)\.[0-9]{2}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_money(s) -> bool:
    return isinstance(s, str) and bool(MONEY_RE.match(s))


def load(name):
    with open(FIXTURES / name, encoding="utf-8") as fh:
        raw = fh.read()
    assert raw.endswith("\n") and not raw.endswith("\n\n"), f"{name}: trailing newline"
    return json.loads(raw)


def validate():
    ifsc = load("ifsc.json")
    persons = load("persons.json")
    corps = load("corporates.json")
    accts = load("accounts.json")
    merchants = load("merchants.json")

    # ---- ifsc.json ----
    assert isinstance(ifsc, list) and len(ifsc) >= 220, len(ifsc)
    ifsc_keys = ["ifsc", "bank", "branch", "address", "city", "district", "state",
                 "neft", "rtgs", "imps", "upi"]
    codes = [r["ifsc"] for r in ifsc]
    assert codes == sorted(codes), "ifsc sorted"
    assert len(set(codes)) == len(codes), "ifsc unique"
    by_ifsc = {}
    city_state = {}
    for r in ifsc:
        assert list(r.keys()) == ifsc_keys, r
        assert re.fullmatch(r"[A-Z]{4}0[A-Z0-9]{6}", r["ifsc"]), r["ifsc"]
        assert r["ifsc"][:4] in BANK_NAME and r["bank"] == BANK_NAME[r["ifsc"][:4]], r
        for k in ("branch", "address", "city", "district", "state"):
            assert isinstance(r[k], str) and r[k].strip() == r[k] and r[k], (k, r)
        assert r["address"] == r["address"].upper(), r["address"]
        assert CITY_STATE.get(r["city"]) == r["state"], r
        assert city_state.setdefault(r["city"], r["state"]) == r["state"]
        for k in ("neft", "rtgs", "imps", "upi"):
            assert isinstance(r[k], bool)
        by_ifsc[r["ifsc"]] = r
    banks = {r["ifsc"][:4] for r in ifsc}
    assert len(banks) >= 16 and banks == set(BANK_NAME), banks
    assert sum(r["neft"] for r in ifsc) / len(ifsc) > 0.9
    assert sum(r["upi"] for r in ifsc) / len(ifsc) > 0.9
    rtgs_off = sum(not r["rtgs"] for r in ifsc) / len(ifsc)
    imps_off = sum(not r["imps"] for r in ifsc) / len(ifsc)
    assert 0.03 <= rtgs_off <= 0.07, rtgs_off
    assert 0.015 <= imps_off <= 0.045, imps_off
    for req in ("ICIC0000004", "ICIC0000001", "SBIN0000001", "HDFC0000001"):
        assert req in by_ifsc, req
    nariman = by_ifsc["ICIC0000004"]
    assert (nariman["bank"], nariman["branch"], nariman["city"], nariman["state"]) == \
        ("ICICI Bank", "Mumbai Nariman Point", "Mumbai", "Maharashtra")
    # branch names unique within a bank
    bb = Counter((r["bank"], r["branch"]) for r in ifsc)
    assert max(bb.values()) == 1, [k for k, v in bb.items() if v > 1]

    # ---- persons.json ----
    assert isinstance(persons, list) and len(persons) == 60
    assert persons[0] == DEMO_PERSON, "demo person"
    dp = persons[0]
    assert [a["type"] for a in sorted(dp["creditAccounts"], key=lambda a: a["type"])] == \
        ["AUTO_LOAN", "CREDIT_CARD", "HOME_LOAN"] and len(dp["enquiries"]) == 1
    for key in ("pan", "mobile", "customerId", "savingsAccount", "email"):
        vals = [p[key] for p in persons]
        assert len(set(vals)) == len(vals), key
    minus_one = 0
    bands = Counter()
    empty_middle = 0
    for p in persons:
        assert list(p.keys()) == PERSON_KEYS, p.keys()
        assert re.fullmatch(r"[A-Z]{3}P[A-Z][0-9]{4}[A-Z]", p["pan"]), p["pan"]
        assert p["pan"][4] == p["lastName"][0], p
        assert p["pan"][5:9] not in ("0000", "9999"), p["pan"]
        assert p["title"] in ("Shri", "Smt", "Kumari")
        for k in ("firstName", "lastName"):
            assert re.fullmatch(r"[A-Z][a-z]+", p[k]), p[k]
        assert p["middleName"] == "" or re.fullmatch(r"[A-Z][a-z]+", p["middleName"])
        empty_middle += p["middleName"] == ""
        # Title agrees with gender.
        male = any(p["firstName"] in g["male"] for g in NAME_GROUPS)
        female = any(p["firstName"] in g["female"] for g in NAME_GROUPS)
        if p["title"] == "Shri":
            assert male, p
            assert p["middleName"] not in ("Kaur", "Devi", "Kumari", "Rani") and p["lastName"] != "Kaur"
        else:
            assert female, p
            assert p["middleName"] != "Singh" and p["lastName"] != "Singh"
        assert DATE_RE.match(p["dateOfBirth"])
        dob = dt.date.fromisoformat(p["dateOfBirth"])
        assert age_on(dob, dt.date(2026, 1, 1)) >= 21 and age_on(dob, dt.date(2026, 12, 31)) <= 65, p
        assert re.fullmatch(r"[6-9][0-9]{9}", p["mobile"]), p["mobile"]
        if p is not persons[0]:
            assert re.fullmatch(re.escape(f"{p['firstName'].lower()}.{p['lastName'].lower()}") +
                                r"[0-9]@example\.in", p["email"]), p["email"]
        assert re.fullmatch(r"CUST[0-9]{6}", p["customerId"])
        assert re.fullmatch(r"000401[0-9]{6}", p["savingsAccount"])
        assert p["panStatus"] == "E"
        assert "2015-01-01" <= p["panLastUpdated"] <= "2025-12-31" and DATE_RE.match(p["panLastUpdated"])
        dt.date.fromisoformat(p["panLastUpdated"])
        assert is_money(p["monthlyIncome"])
        assert 1_800_000 <= to_paise(p["monthlyIncome"]) <= 45_000_000
        assert CITY_STATE.get(p["city"]) == p["state"], p
        score = p["cibilScore"]
        assert isinstance(score, int) and not isinstance(score, bool)
        accs, enqs = p["creditAccounts"], p["enquiries"]
        if score == -1:
            minus_one += 1
            assert accs == [] and enqs == []
            continue
        assert 300 <= score <= 900
        band = band_of(score)
        bands[band] += 1
        assert 1 <= len(accs) <= 6
        for a in accs:
            assert list(a.keys()) == ["type", "lender", "sanctionedAmount", "currentBalance",
                                      "overdueAmount", "dpd", "openedOn"]
            assert a["type"] in ACCOUNT_TYPES and isinstance(a["lender"], str) and a["lender"]
            for k in ("sanctionedAmount", "currentBalance", "overdueAmount"):
                assert is_money(a[k]), a
            s, b, o = (to_paise(a[k]) for k in ("sanctionedAmount", "currentBalance", "overdueAmount"))
            assert 0 < s and 0 <= b <= s and 0 <= o <= b, a
            assert isinstance(a["dpd"], int) and 0 <= a["dpd"] <= 180
            if a["dpd"] == 0:
                assert a["overdueAmount"] == "0.00", a
            else:
                assert o > 0, a
            assert DATE_RE.match(a["openedOn"])
            opened = dt.date.fromisoformat(a["openedOn"])
            assert add_years(dob, 18) <= opened <= dt.date(2025, 12, 31), (p["pan"], a)
        late = [a for a in accs if a["dpd"] > 0]
        if band == "EXCELLENT":
            assert not late
        elif band == "GOOD":
            assert len(late) <= 1
            for a in late:
                assert 1 <= a["dpd"] <= 30
                assert to_paise(a["overdueAmount"]) <= to_paise(a["sanctionedAmount"]) // 10, a
        elif band == "FAIR":
            assert 1 <= len(late) <= 2
            for a in late:
                assert 30 <= a["dpd"] <= 90
        else:
            assert sum(1 for a in late if 60 <= a["dpd"] <= 180) >= 2
        lo, hi = ENQUIRY_COUNTS[band]
        assert lo <= len(enqs) <= hi, (band, len(enqs))
        days = [e["daysAgo"] for e in enqs]
        assert days == sorted(days)
        for e in enqs:
            assert list(e.keys()) == ["daysAgo", "lender", "purpose", "amount"]
            assert isinstance(e["daysAgo"], int) and 1 <= e["daysAgo"] <= 180
            assert e["purpose"] in ACCOUNT_TYPES and e["lender"]
            assert is_money(e["amount"]) and to_paise(e["amount"]) > 0
    assert minus_one == 2
    assert 8 <= bands["SUBPRIME"] <= 12 and 10 <= bands["FAIR"] <= 14
    assert 16 <= bands["GOOD"] <= 20 and 18 <= bands["EXCELLENT"] <= 22, bands
    assert 20 <= empty_middle <= 40, empty_middle

    # ---- corporates.json ----
    assert isinstance(corps, list) and len(corps) == 6
    corp_keys = ["aggrId", "aggrName", "corpId", "userId", "urn", "registered", "name", "pan", "callbackUrl",
                 "accounts"]
    demo = corps[0]
    assert (demo["aggrId"], demo["aggrName"], demo["corpId"], demo["userId"], demo["urn"], demo["name"]) == \
        ("SANDAGGR1", "SANDBANK", "SANDCORP1", "SANDUSER1", "SANDURN0001", "Sandbank Demo Traders Pvt Ltd")
    assert demo["accounts"] == [
        {"accountNo": "000405000001", "openingBalance": "1000000.00", "currency": "INR"},
        {"accountNo": "000405000002", "openingBalance": "50000.00", "currency": "INR"},
    ]
    corp_accts = []
    for n, c in enumerate(corps, start=1):
        assert list(c.keys()) == corp_keys
        assert AGGR_NAME[c["aggrId"]] == c["aggrName"]
        assert c["corpId"] == f"SANDCORP{n}" and c["userId"] == f"SANDUSER{n}" and c["urn"] == f"SANDURN{n:04d}"
        assert c["registered"] is (c["userId"] != "SANDUSER2")
        assert re.fullmatch(r"[A-Z]{3}C[A-Z][0-9]{4}[A-Z]", c["pan"]) and c["pan"][5:9] not in ("0000", "9999")
        assert c["pan"][4] == c["name"][0]
        assert c["callbackUrl"] is None
        assert 1 <= len(c["accounts"]) <= 3
        for a in c["accounts"]:
            assert list(a.keys()) == ["accountNo", "openingBalance", "currency"]
            assert re.fullmatch(r"000405[0-9]{6}", a["accountNo"]) and not a["accountNo"].endswith("0000")
            assert is_money(a["openingBalance"]) and a["currency"] == "INR"
            if n > 1:
                assert 2_500_000 <= to_paise(a["openingBalance"]) <= 5_000_000_000
            corp_accts.append((a["accountNo"], c["name"]))
    assert len({a for a, _ in corp_accts}) == len(corp_accts)
    assert len({c["pan"] for c in corps}) == 6

    # ---- accounts.json ----
    assert accts[0] == {"accountNo": "000405009999", "ifsc": "ICIC0000004",
                        "holderName": "Ravi Kumar", "type": "SAVINGS"}
    nos = [a["accountNo"] for a in accts]
    assert len(set(nos)) == len(nos), "accountNo unique"
    by_no = {a["accountNo"]: a for a in accts}
    for a in accts:
        assert list(a.keys()) == ["accountNo", "ifsc", "holderName", "type"]
        assert re.fullmatch(r"[0-9]{9,18}", a["accountNo"]) and not a["accountNo"].endswith("0000"), a
        assert a["ifsc"] in by_ifsc, a
        assert a["type"] in ("SAVINGS", "CURRENT")
        assert a["holderName"] == " ".join(a["holderName"].split()) and a["holderName"]
    for p in persons:
        a = by_no[p["savingsAccount"]]
        assert a["ifsc"].startswith("ICIC") and a["type"] == "SAVINGS"
        assert a["holderName"] == full_name(p["firstName"], p["middleName"], p["lastName"])
    for no, name in corp_accts:
        a = by_no[no]
        assert a["ifsc"].startswith("ICIC") and a["type"] == "CURRENT" and a["holderName"] == name
    other = [a for a in accts if not a["ifsc"].startswith("ICIC")]
    assert len(other) == 20
    assert len(accts) == 1 + len(persons) + len(corp_accts) + 20

    # ---- merchants.json ----
    assert len(merchants) == 4
    assert merchants[0] == {"merchantId": "400000", "subMerchantId": "400000", "terminalId": "5411",
                            "merchantName": "Sandbank Store", "vpa": "sandbankstore@icici",
                            "mcc": "5411", "callbackUrl": None}
    for n, m in enumerate(merchants):
        assert list(m.keys()) == ["merchantId", "subMerchantId", "terminalId", "merchantName",
                                  "vpa", "mcc", "callbackUrl"]
        assert m["merchantId"] == str(400000 + n)
        assert m["vpa"] == m["merchantName"].lower().replace(" ", "") + "@icici"
        assert re.fullmatch(r"[0-9]{4}", m["mcc"]) and m["callbackUrl"] is None
    assert len({m["vpa"] for m in merchants}) == 4

    # Determinism is the caller's concern, but files must be valid UTF-8 JSON.
    return {"ifsc": len(ifsc), "banks": len(banks), "persons": len(persons),
            "corporates": len(corps), "accounts": len(accts), "merchants": len(merchants)}


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def add_savings_balances(persons) -> None:
    """Each person's savings balance: the demo person's is the catalogue's 2,50,000.00; the others hold
    two and a half months' income. Derived, not drawn, so the random stream above is untouched."""
    for p in persons:
        if p["pan"] == "ABCPE1234F":
            p["savingsBalance"] = "250000.00"
        else:
            income_paise = int(p["monthlyIncome"].replace(".", ""))
            p["savingsBalance"] = money(income_paise * 5 // 2)


def main() -> int:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    ifsc_rows = gen_ifsc()
    persons = gen_persons()
    corps = gen_corporates()
    merchants = gen_merchants()
    accounts = gen_account_directory(ifsc_rows, persons, corps)
    add_savings_balances(persons)

    written = [
        write_json("persons.json", persons),
        write_json("corporates.json", corps),
        write_json("accounts.json", accounts),
        write_json("merchants.json", merchants),
        write_json("ifsc.json", ifsc_rows),
    ]

    scores = Counter(band_of(p["cibilScore"]) for p in persons)
    print("wrote:")
    for path in written:
        print(f"  {os.path.relpath(path, ROOT)}")
    print(f"persons={len(persons)} corporates={len(corps)} accounts={len(accounts)} "
          f"merchants={len(merchants)} ifsc={len(ifsc_rows)} "
          f"banks={len({r['ifsc'][:4] for r in ifsc_rows})}")
    print("cibil score distribution: "
          f"-1 (no history)={scores['NONE']}, <600={scores['SUBPRIME']}, "
          f"600-699={scores['FAIR']}, 700-749={scores['GOOD']}, 750+={scores['EXCELLENT']}")
    print(f"ifsc rtgs=false: {sum(not r['rtgs'] for r in ifsc_rows)}, "
          f"imps=false: {sum(not r['imps'] for r in ifsc_rows)}")

    validate()
    print("all fixture checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
