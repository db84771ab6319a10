#!/usr/bin/env python3
"""Prints the BENCHMARKS.md table of notification_scenarios.py runs: one "before" results.json,
optionally one "after", side by side per scenario.

  notification_table.py BEFORE/results.json [AFTER/results.json]

Alertmanager's figures come from the "before" run (vitals posting one Alertmanager alert per
vitals alert, as a Prometheus rule per condition would); when the "after" run had Alertmanager
too, its figures (fed one Alertmanager alert per incident) are shown in their own columns.
"""

import json
import sys

GOALS = {
    "a": "1 per incident change (open, severity rise, resolve)",
    "b": "1 per incident change (open, severity rise, resolve)",
    "c": "1 per incident change; dependents' held while the integration is down",
    "d": "at most 2 for the episode",
}
TITLES = {
    "a": "(a) one agent fails hard, recovers",
    "b": "(b) heartbeat lost 90 s, resumes",
    "c": "(c) integration down, 10 dependent agents",
    "d": "(d) agent flaps {m:g} min (25 s up / 25 s down)",
}


def changes(s):
    by = s["webhook_by_change"]
    inner = ", ".join(f"{k} {v}" for k, v in sorted(by.items()))
    return f"**{s['webhook_notifications']}** ({inner})" if by else "**0**"


def am(s, name):
    x = s["alertmanager"].get(name)
    if not x:
        return "—"
    inner = ", ".join(f"{k} {v}" for k, v in sorted(x["by_status"].items()))
    return f"{x['notifications']} ({inner})" if inner else "0"


def still_open(s):
    types = sorted({x.split(":", 1)[1] for x in s["alerts_open_at_end"]})
    n = len(s["alerts_open_at_end"])
    return f"{n} ({', '.join(types)})" if n else "0"


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    before = json.load(open(sys.argv[1]))
    after = json.load(open(sys.argv[2])) if len(sys.argv) == 3 else None
    after_am = bool(after and after.get("alertmanager"))
    head = ["scenario", "alerts opened", "webhook before", "webhook after",
            "Alertmanager by alertname", "Alertmanager by source", "alerts open at the end"]
    if after_am:
        head += ["AM by alertname, after", "AM by source, after"]
    head += ["goal"]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for name, b in before["scenarios"].items():
        a = after["scenarios"].get(name) if after else None
        opened = str(b["alerts_opened"])
        if a and a["alerts_opened"] != b["alerts_opened"]:
            opened += f" (after: {a['alerts_opened']})"
        row = [TITLES[name].format(m=before["flap_minutes"]), opened, changes(b),
               changes(a) if a else "not run", am(b, "am_alertname"), am(b, "am_source"),
               still_open(b)]
        if after_am:
            row += [am(a, "am_alertname") if a else "—", am(a, "am_source") if a else "—"]
        row += [GOALS[name]]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
