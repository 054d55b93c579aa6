#!/usr/bin/env python3
"""The baseline: file one access request per hire with python-gitlab, one
request at a time, the usual loop: search the project for the hire's key,
then create the issue (confidential, labelled, assigned to the manager,
looked up once per name, due on the start date)."""
import csv
import hashlib
import sys
import time

import gitlab

url, token, roster = sys.argv[1], sys.argv[2], sys.argv[3]
project_path = "gitlab-com/team-member-epics/access-requests"

started = time.perf_counter()
gl = gitlab.Gitlab(url, private_token=token)
gl.auth()
project = gl.projects.get(project_path)
created = 0
managers = {}  # looked up once per name, as onboard does
with open(roster, newline="") as f:
    for row in csv.DictReader(f):
        key = "onboard" + hashlib.sha256(
            f"onboard-ar/v1\n{row['email'].lower()}\n{row['start_date']}".encode()
        ).hexdigest()[:16]
        if project.issues.list(search=key, in_="description", get_all=True):
            continue
        if row["manager"] not in managers:
            managers[row["manager"]] = gl.users.list(username=row["manager"])[0]
        manager = managers[row["manager"]]
        project.issues.create({
            "title": f"{row['name']}, Clari, Outreach.io, {row['role']}",
            "description": f"Access request for {row['name']}\n\n<!-- onboard-request key: {key} -->\n",
            "confidential": True,
            "labels": ["AR-Approval::Needs Manager Approval", "NewAccessRequest", "BaselineEntitlementAR"],
            "assignee_ids": [manager.id],
            "due_date": row["start_date"],
        })
        created += 1
print(f"python-gitlab, sequential: {created} issues in {time.perf_counter() - started:.2f} s")
