#!/usr/bin/env python3
"""Writes a roster of N hires (CSV) to stdout, cycling through four roles."""
import sys

ROLES = [
    "strategic-account-leader",
    "sales-development-representative",
    "technical-account-manager",
    "commercial-account-executive",
]

n = int(sys.argv[1])
print("name,email,username,role,start_date,manager,buddy")
for i in range(n):
    print(f"Hire {i},hire{i}@example.com,,{ROLES[i % len(ROLES)]},2026-12-07,mgr.jones,")
