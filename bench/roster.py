#!/usr/bin/env python3
"""Writes a roster of N hires (CSV) to stdout.

    bench/roster.py N            SAL-heavy plain roster: four roles, one start date
    bench/roster.py N --mixed    every hireable role, optional tools added and
                                 left out, 20 start weeks, five countries and none,
                                 names with Markdown, HTML and @-mentions
"""
import datetime
import pathlib
import re
import sys

ROLES = [
    "strategic-account-leader",
    "sales-development-representative",
    "technical-account-manager",
    "commercial-account-executive",
]
# (with, without) per role, cycled through.
CHOICES = {
    "strategic-account-leader": [("", ""), ("datafox", ""), ("conversica;datafox", "zendesk"), ("", "chorus")],
    "sales-development-representative": [("", ""), ("salesforce-inbox", "")],
    "technical-account-manager": [("", ""), ("clari;versiondot", "")],
    "commercial-account-executive": [("", ""), ("", "clari")],
}
COUNTRIES = ["US", "GB", "DE", "FR", "JP", "none", ""]
NAMES = [
    "Ada Lovelace",
    "Zoë *Star* O'Brien",
    "<b>Bold</b> Lee",
    "@all Smith",
    "Grace [Hopper](http://x)",
    "José_García #1",
    "Ngozi ~Okafor~ & Sons",
    "/close Nakamura",
]
ROOT = pathlib.Path(__file__).resolve().parent.parent


def holidays(country):
    if country in ("none", ""):
        country = "US" if country == "" else None
    if country is None:
        return set()
    text = (ROOT / "roles" / "holidays" / f"{country}.yaml").read_text()
    return {datetime.date.fromisoformat(d) for d in re.findall(r"date: (\d{4}-\d{2}-\d{2})", text)}


def business_day(day, off):
    while day.weekday() >= 5 or day in off:
        day += datetime.timedelta(days=1)
    return day


n = int(sys.argv[1])
mixed = "--mixed" in sys.argv[2:]
if not mixed:
    print("name,email,username,role,start_date,manager,buddy")
    for i in range(n):
        print(f"Hire {i},hire{i}@example.com,,{ROLES[i % len(ROLES)]},2026-12-07,mgr.jones,")
    sys.exit()

off = {c: holidays(c) for c in COUNTRIES}
first = datetime.date(2027, 1, 4)
print("name,email,username,role,start_date,manager,buddy,with,without,country")
for i in range(n):
    role = ROLES[i % len(ROLES)]
    with_, without = CHOICES[role][(i // len(ROLES)) % len(CHOICES[role])]
    country = COUNTRIES[i % len(COUNTRIES)]
    start = business_day(first + datetime.timedelta(weeks=i % 20, days=i % 3), off[country])
    name = f"{NAMES[i % len(NAMES)]} {i}"
    name = '"' + name.replace('"', '""') + '"' if any(c in name for c in ',"') else name
    buddy = f"buddy.{i % 7}" if i % 2 else ""
    print(f"{name},hire{i}@example.com,hire{i},{role},{start},mgr.{i % 13},{buddy},{with_},{without},{country}")
