#!/usr/bin/env python3
"""A webhook receiver that records every POST it gets, for the notification scenarios.

Used two ways: imported by notification_scenarios.py (Receiver, in-process thread), or run alone
(`notification_receiver.py --port 9099 --out notifications.jsonl`) to watch what a running vitals
or Alertmanager sends. Each POST becomes one record {"t": unix seconds, "path": ..., "body": the
parsed JSON, or the raw text when it is not JSON}; the answer is always 200, so a sender never
retries and every record is one notification.

Python standard library only (no pip).
"""

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Listens on 127.0.0.1:`port` (0: any free port). Thread-safe: records() may be called while
    requests arrive."""

    def __init__(self, port=0, out_path=None):
        self._lock = threading.Lock()
        self._records = []
        self._out = open(out_path, "a", encoding="utf-8") if out_path else None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8", "replace")
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw
                receiver._add({"t": time.time(), "path": self.path, "body": body})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # quiet: the records are the log
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        if self._out:
            self._out.close()

    def _add(self, record):
        with self._lock:
            self._records.append(record)
            if self._out:
                self._out.write(json.dumps(record) + "\n")
                self._out.flush()

    def records(self, path_prefix=""):
        with self._lock:
            return [r for r in self._records if r["path"].startswith(path_prefix)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9099)
    parser.add_argument("--out", default="notifications.jsonl")
    args = parser.parse_args()
    receiver = Receiver(args.port, args.out).start()
    print(f"recording POSTs to 127.0.0.1:{receiver.port} in {args.out}; Ctrl-C stops", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        receiver.stop()


if __name__ == "__main__":
    main()
