#!/usr/bin/env python3
"""Counts the notifications a `vitals` binary sends for four scripted operator scenarios.

Each scenario gets its own `vitals serve` (fresh SQLite file, loopback port,
--allow-private-targets, system/workspace/database collectors off so the machine's own alerts do
not mix in), a webhook route to an in-process receiver, and optionally two `alertmanager` routes to
real Alertmanagers (Debian's prometheus-alertmanager) with default timing, whose own webhook
notifications are counted too. The four run in parallel; each is attributable because it has its
own server.

  a  hard_failure   one agent: healthy, then every execution fails, then healthy again
  b  heartbeat      one agent with a heartbeat expectation stops heartbeating, then resumes
  c  integration    an integration (TCP check) goes down; 10 agents depend on it and their
                    tool calls to it fail; then it comes back
  d  flap           one agent crash-loops: up (heartbeats + successful runs) / down (silent),
                    FLAP_PHASE seconds each, for --flap-minutes, then stays up

Only the API documented in the README is used. Prints a table and writes results.json (and the
raw notifications) to --out. Python standard library only.
"""

import argparse
import collections
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from notification_receiver import Receiver  # noqa: E402

AM_BIN = os.environ.get("ALERTMANAGER_BIN", "/usr/bin/prometheus-alertmanager")
# Alertmanager's timing defaults (its documentation: group_wait 30s, group_interval 5m,
# repeat_interval 4h). Two groupings: Debian's shipped route groups by
# [alertname, cluster, service] -- vitals' alerts carry only alertname of those -- and a grouping
# by source, the closest Alertmanager gets to an incident.
AM_GROUPINGS = {
    "am_alertname": ["alertname", "cluster", "service"],
    "am_source": ["organization", "source_type", "source_id"],
}
AM_GROUP_WAIT, AM_GROUP_INTERVAL, AM_REPEAT = 30, 300, "4h"
WARMUP = 30  # seconds of healthy traffic before every scenario's fault
# Scenarios a and c: the fault lasts FAULT s, then RECOVERY s of healthy traffic -- longer than the
# 5-minute window, so the rules judged on it clear; with LONG_WARMUP before, the hour's error rate
# ends below 20% and health can return to healthy. Only `failures` (more than 3 in the hour) holds.
LONG_WARMUP, FAULT, RECOVERY = 60, 90, 330
SCALE = 1.0  # --time-scale: shortens the scripted phases (not the flap) while developing


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
            try:
                return r.status, (json.loads(text) if text else None)
            except ValueError:  # Alertmanager's /-/ready answers plain text
                return r.status, text
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def must(method, url, body=None):
    status, reply = http(method, url, body)
    if status >= 300:
        raise RuntimeError(f"{method} {url} -> {status}: {reply}")
    return reply


def wait_ready(url, proc, what, seconds=30):
    """Waits for `url` to answer 200; stops `proc` when it does not, so nothing is left behind."""
    try:
        wait_answer(url, proc, what, seconds)
    except Exception:
        proc.terminate()
        proc.wait(10)
        raise


def wait_answer(url, proc, what, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            if http("GET", url, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready at {url}")


class Alertmanager:
    def __init__(self, workdir, name, group_by, receiver_url):
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        labels = ", ".join(f"'{label}'" for label in group_by)
        with open(os.path.join(self.dir, "alertmanager.yml"), "w") as f:
            f.write(
                "route:\n  receiver: hook\n"
                f"  group_by: [{labels}]\n  group_wait: {AM_GROUP_WAIT}s\n"
                f"  group_interval: {AM_GROUP_INTERVAL}s\n  repeat_interval: {AM_REPEAT}\n"
                "receivers:\n  - name: hook\n    webhook_configs:\n"
                f"      - url: '{receiver_url}'\n        send_resolved: true\n"
            )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.dir, "alertmanager.log"), "w")
        self.proc = subprocess.Popen(
            [AM_BIN, f"--config.file={self.dir}/alertmanager.yml",
             f"--storage.path={self.dir}/data", f"--web.listen-address=127.0.0.1:{self.port}",
             "--cluster.listen-address=", "--log.level=warn"],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_ready(self.url + "/-/ready", self.proc, "alertmanager " + name)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        self.log.close()


class Vitals:
    def __init__(self, binary, workdir, name):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(workdir, f"vitals-{name}.log"), "w")
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{self.port}",
             "--db", os.path.join(workdir, f"vitals-{name}.db"), "--allow-private-targets",
             "--collect-system=false", "--collect-workspaces=false",
             "--collect-databases=false", "--threads", "1", "--synchronous", "normal"],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_ready(self.url + "/readyz", self.proc, "vitals " + name)

    def execution(self, agent, ok, integration=None):
        item = {"agent_id": agent, "action_type": "tool_call", "action_name": "call",
                "status": "success" if ok else "error", "latency_ms": 120}
        if not ok:
            item["error_message"] = "upstream refused the connection"
        if integration:
            item["integration_id"] = integration
        must("POST", self.url + "/api/v1/executions", item)

    def heartbeat(self, agent):
        must("POST", self.url + "/api/v1/heartbeats", {"agent_id": agent})

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)
        self.log.close()


class Port:
    """A loopback TCP listener standing for an integration: open() accepts, close() refuses."""

    def __init__(self):
        self.port = free_port()
        self.sock = None
        self.thread = None

    def open(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(16)
        sock = self.sock

        def accept():
            while True:
                try:
                    conn, _ = sock.accept()
                    conn.close()
                except OSError:
                    return

        self.thread = threading.Thread(target=accept, daemon=True)
        self.thread.start()

    def close(self):
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


def every(seconds, period, fn, scaled=True):
    """Calls fn() every `period` seconds for `seconds` seconds (times SCALE when `scaled`)."""
    end = time.time() + seconds * (SCALE if scaled else 1)
    while time.time() < end:
        fn()
        time.sleep(max(0.0, min(period, end - time.time())))


STOP = threading.Event()  # set once the counts are taken


def hold(t, period, fn):
    """Ends the scripted part (marks t["end"], sets t["done"]) and keeps the last healthy traffic
    going until STOP, so that the wait for the last deliveries does not itself look like an
    outage (a heartbeat agent falling silent)."""
    t["end"] = time.time()
    t["done"].set()
    while not STOP.wait(period):
        fn()


def hard_failure(v, t):
    v.execution("worker-a", True)  # registered implicitly by its first execution
    every(LONG_WARMUP, 1, lambda: v.execution("worker-a", True))
    t["fault"] = time.time()
    every(FAULT, 1, lambda: v.execution("worker-a", False))
    t["recovered"] = time.time()
    every(RECOVERY, 1, lambda: v.execution("worker-a", True))
    hold(t, 1, lambda: v.execution("worker-a", True))


def heartbeat_loss(v, t):
    must("PUT", v.url + "/api/v1/agents/beacon-b",
         {"name": "beacon-b", "heartbeat": {"interval_ms": 5000, "failure_threshold": 3}})
    every(WARMUP, 2, lambda: v.heartbeat("beacon-b"))
    t["fault"] = time.time()
    time.sleep(90 * SCALE)
    t["recovered"] = time.time()
    every(120, 2, lambda: v.heartbeat("beacon-b"))
    hold(t, 2, lambda: v.heartbeat("beacon-b"))


def integration_down(v, t):
    port = Port()
    port.open()
    must("POST", v.url + "/api/v1/checks",
         {"id": "payments-tcp", "kind": "tcp", "target_type": "integration",
          "target_id": "payments-api", "address": f"127.0.0.1:{port.port}",
          "interval_seconds": 5, "timeout_ms": 2000, "retries": 0})
    agents = [f"shop-{i:02d}" for i in range(1, 11)]
    for a in agents:
        must("PUT", v.url + f"/api/v1/agents/{a}", {"name": a, "depends_on": ["payments-api"]})
    state = {"up": True}

    def calls():
        for a in agents:
            v.execution(a, state["up"], "payments-api")

    every(LONG_WARMUP, 2, calls)
    t["fault"] = time.time()
    port.close()
    state["up"] = False
    every(FAULT, 2, calls)
    t["recovered"] = time.time()
    port.open()
    state["up"] = True
    every(RECOVERY, 2, calls)
    try:
        hold(t, 2, calls)
    finally:
        port.close()


def flap(v, t, minutes, phase):
    must("PUT", v.url + "/api/v1/agents/flappy-d",
         {"name": "flappy-d", "heartbeat": {"interval_ms": 5000, "failure_threshold": 3}})

    def up():
        v.heartbeat("flappy-d")
        v.execution("flappy-d", True)

    every(WARMUP, 2, up)
    t["fault"] = time.time()
    end = time.time() + minutes * 60
    while time.time() < end:
        time.sleep(min(phase, max(0, end - time.time())))  # down: silent
        every(min(phase, max(0, end - time.time())), 2, up, scaled=False)
    t["recovered"] = time.time()
    every(240, 2, up)
    hold(t, 2, up)


SCENARIOS = {
    "a": ("hard_failure", "one agent fails hard (every execution) for 90 s, then recovers"),
    "b": ("heartbeat", "one agent stops heartbeating for 90 s, then resumes"),
    "c": ("integration", "integration down 90 s, 10 dependent agents failing their calls to it"),
    "d": ("flap", "one agent crash-loops (up/down every {phase} s) for {minutes} min"),
}


def listed(reply, key):
    """A list answer: a bare array, or an object naming its list (both shapes have been served)."""
    return reply.get(key, []) if isinstance(reply, dict) else reply


def summarize(name, v, rec, am_names, t):
    hooks = rec.records(f"/hook/{name}")
    by_change = collections.Counter(r["body"].get("change", "?") for r in hooks
                                    if isinstance(r["body"], dict))
    by_subject = collections.Counter()
    for r in hooks:
        b = r["body"] if isinstance(r["body"], dict) else {}
        subject = b.get("incident") or b.get("alert") or {}
        key = subject.get("cause") or subject.get("type") or "?"
        by_subject[f'{b.get("change", "?")}:{subject.get("source_id", "?")}:{key}:{subject.get("severity", "?")}'] += 1
    alerts = listed(must("GET", v.url + "/api/health/alerts?state=all&limit=1000"), "alerts")
    open_alerts = listed(must("GET", v.url + "/api/health/alerts?state=open&limit=1000"), "alerts")
    opened = {a["alert_id"]: a for a in alerts}
    am = {}
    for n in am_names:
        notes = rec.records(f"/am/{name}/{n}")
        am[n] = {"notifications": len(notes),
                 "by_status": dict(collections.Counter(r["body"].get("status", "?")
                                                      for r in notes)),
                 "alerts_per_notification": [len(r["body"].get("alerts", [])) for r in notes]}
    t0 = t.get("start", 0)
    return {
        "scenario": SCENARIOS[name][0],
        "alerts_opened": len(opened),
        "alerts_by_type": dict(collections.Counter(a.get("type", "?") for a in opened.values())),
        "alerts_open_at_end": sorted(f'{a.get("source_id")}:{a.get("type")}' for a in open_alerts),
        "webhook_notifications": len(hooks),
        "webhook_by_change": dict(by_change),
        "webhook_by_subject": dict(by_subject),
        "webhook_times_s": [round(r["t"] - t0, 1) for r in hooks],
        "alertmanager": am,
        "phases_s": {k: round(x - t0, 1) for k, x in t.items() if isinstance(x, float)},
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("vitals", help="path of the vitals binary to measure")
    p.add_argument("--label", default="run", help="name of this run in the output (before/after)")
    p.add_argument("--scenarios", default="abcd", help="which of a b c d to run (default all)")
    p.add_argument("--flap-minutes", type=float, default=10)
    p.add_argument("--flap-phase", type=float, default=25, help="seconds up, then down")
    p.add_argument("--time-scale", type=float, default=1.0,
                   help="factor on the warm-up, fault and recovery phases (development only)")
    p.add_argument("--no-alertmanager", action="store_true")
    p.add_argument("--settle", type=float, default=30,
                   help="seconds to wait after the scripts end for the last deliveries")
    p.add_argument("--am-wait", type=float, default=AM_GROUP_INTERVAL + 15,
                   help="seconds after vitals' last webhook notification to wait for "
                        "Alertmanager's last group notification")
    p.add_argument("--out", default=None, help="directory for results (default: a temp dir)")
    args = p.parse_args()
    global SCALE
    SCALE = args.time_scale

    out = args.out or f"/tmp/vitals-notification-{args.label}-{os.getpid()}"
    os.makedirs(out, exist_ok=True)
    binary = os.path.abspath(args.vitals)
    use_am = not args.no_alertmanager and os.access(AM_BIN, os.X_OK)
    if not args.no_alertmanager and not use_am:
        print(f"note: {AM_BIN} not found, running without Alertmanager", file=sys.stderr)
    rec = Receiver(0, os.path.join(out, "notifications.jsonl")).start()
    started = time.time()
    servers, ams, threads, times, errors = {}, [], [], {}, {}

    def run(name, fn, *extra):
        try:
            fn(servers[name], times[name], *extra)
        except Exception as e:  # reported, never silently dropped
            errors[name] = repr(e)

    fns = {"a": (hard_failure,), "b": (heartbeat_loss,), "c": (integration_down,),
           "d": (flap, args.flap_minutes, args.flap_phase)}
    try:
        for name in args.scenarios:
            v = servers[name] = Vitals(binary, out, name)
            must("POST", v.url + "/api/v1/routes",
                 {"id": "hook", "kind": "webhook",
                  "url": f"http://127.0.0.1:{rec.port}/hook/{name}"})
            if use_am:
                for n, group_by in AM_GROUPINGS.items():
                    am = Alertmanager(out, f"{n}-{name}", group_by,
                                      f"http://127.0.0.1:{rec.port}/am/{name}/{n}")
                    ams.append(am)
                    must("POST", v.url + "/api/v1/routes",
                         {"id": n, "kind": "alertmanager", "url": am.url})
            times[name] = {"start": time.time(), "done": threading.Event()}
            fn, *extra = fns[name]
            threads.append(threading.Thread(target=run, args=(name, fn, *extra), daemon=True))
            threads[-1].start()
        for name in times:
            while not times[name]["done"].wait(1):
                if name in errors:
                    break
        time.sleep(args.settle)
        if use_am:
            # Alertmanager sends a group's change at its next group_interval tick: wait one
            # interval (plus margin) after the last change vitals delivered.
            last = max([r["t"] for r in rec.records("/hook/")] + [time.time()])
            wait = last + args.am_wait - time.time()
            if wait > 0:
                print(f"waiting {wait:.0f} s for Alertmanager's group_interval", flush=True)
                time.sleep(wait)
        results = {"label": args.label, "binary": binary, "flap_minutes": args.flap_minutes,
                   "flap_phase_s": args.flap_phase, "alertmanager": use_am,
                   "alertmanager_config": {"groupings": AM_GROUPINGS,
                                           "group_wait_s": AM_GROUP_WAIT,
                                           "group_interval_s": AM_GROUP_INTERVAL,
                                           "repeat_interval": AM_REPEAT},
                   "errors": errors, "scenarios": {}}
        for name, v in servers.items():
            results["scenarios"][name] = summarize(name, v, rec, list(AM_GROUPINGS) if use_am
                                                   else [], times[name])
        results["total_seconds"] = round(time.time() - started)
    finally:
        STOP.set()
        for th in threads:
            th.join(10)
        for v in servers.values():
            v.stop()
        for am in ams:
            am.stop()
        rec.stop()
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    print_table(results, args)
    print(f"results: {out}/results.json ({results['total_seconds']} s)")
    if errors:
        print("errors:", errors, file=sys.stderr)
        sys.exit(1)


def print_table(results, args):
    print(f"\n{results['label']}: alerts opened, webhook notifications, Alertmanager's")
    for name, r in results["scenarios"].items():
        title = SCENARIOS[name][1].format(phase=args.flap_phase, minutes=args.flap_minutes)
        am = " ".join(f"{n}={x['notifications']}" for n, x in r["alertmanager"].items())
        print(f"  {name} {title}\n     alerts={r['alerts_opened']} {r['alerts_by_type']}\n"
              f"     webhook={r['webhook_notifications']} {r['webhook_by_change']}\n"
              f"     {am}\n     open at end: {r['alerts_open_at_end']}")


if __name__ == "__main__":
    main()
