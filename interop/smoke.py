#!/usr/bin/python3
"""Smoke test / reference client for lt_node.py and bt_node.js.

Starts a mixed loopback network (libtorrent + bittorrent-dht nodes), bootstraps
them to each other, announces one infohash from each implementation and checks
that get_peers issued by the *other* implementation finds it.  Prints timings
and resource use.  Exit code 0 = pass.

Run through smoke.sh (which wraps it in `timeout`).
"""

import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Proc:
    """One lt_node.py / bt_node.js process spoken to over stdin/stdout."""

    def __init__(self, name, argv):
        self.name = name
        self.t_spawn = time.monotonic()
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=None, text=True, bufsize=1, cwd=HERE)
        self.lines = queue.Queue()
        self.req = 0
        threading.Thread(target=self._reader, daemon=True).start()
        self.ready = None

    def _reader(self):
        for line in self.p.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _next(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("%s: no reply in time" % self.name)
        line = self.lines.get(timeout=remaining)
        if line is None:
            raise EOFError("%s: process closed stdout (rc=%s)" % (self.name, self.p.poll()))
        return json.loads(line)

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        msg = self._next(deadline)
        if not msg.get("ready"):
            raise RuntimeError("%s failed to start: %s" % (self.name, msg))
        self.ready = msg
        self.startup = time.monotonic() - self.t_spawn
        return msg

    def call(self, cmd, **fields):
        """Send one command and wait for the reply carrying the same "req".

        The client-side wait is the command's own "timeout" (if any) + 15 s.
        """
        self.req += 1
        msg = dict(fields, cmd=cmd, req=self.req)
        self.p.stdin.write(json.dumps(msg) + "\n")
        self.p.stdin.flush()
        deadline = time.monotonic() + float(fields.get("timeout", 0)) + 15
        while True:
            r = self._next(deadline)
            if r.get("req") == msg["req"]:
                if not r.get("ok"):
                    raise RuntimeError("%s: %s failed: %s" % (self.name, cmd, r))
                return r

    def addrs(self):
        return [n["addr"] for n in self.ready["nodes"]]

    def close(self, timeout=10):
        try:
            self.call("quit")
        except Exception:
            pass
        try:
            self.p.stdin.close()
        except Exception:
            pass
        try:
            return self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            return self.p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lt", type=int, default=20, help="libtorrent nodes (default 20)")
    ap.add_argument("--bt", type=int, default=20, help="bittorrent-dht nodes (default 20)")
    ap.add_argument("--lt-base", default="127.1.0.1")
    ap.add_argument("--bt-base", default="127.2.0.1")
    ap.add_argument("--lifetime", type=float, default=300, help="max lifetime passed to the node processes")
    ap.add_argument("--lookup-timeout", type=float, default=20)
    ap.add_argument("--bt-args", default="", help="extra args for bt_node.js (e.g. '--latency-ms 20')")
    a = ap.parse_args()

    t0 = time.monotonic()
    lt = Proc("lt", ["/usr/bin/python3", os.path.join(HERE, "lt_node.py"), "--count", str(a.lt),
                     "--ip-base", a.lt_base, "--max-lifetime", str(a.lifetime)])
    bt = Proc("bt", ["node", os.path.join(HERE, "bt_node.js"), "--count", str(a.bt),
                     "--ip-base", a.bt_base, "--max-lifetime", str(a.lifetime)] + a.bt_args.split())
    procs = [lt, bt]
    ok = False
    try:
        lt.wait_ready()
        bt.wait_ready()
        t_ready = time.monotonic() - t0
        print("ready: lt %d nodes in %.2fs, bt %d nodes in %.2fs (wall %.2fs)"
              % (a.lt, lt.startup, a.bt, bt.startup, t_ready))

        lt_addrs, bt_addrs = lt.addrs(), bt.addrs()
        # every node gets a few contacts of both implementations
        seeds = lt_addrs[:3] + bt_addrs[:3]
        lt.call("watch", addrs=bt_addrs[:2])          # inspect libtorrent's view of bt replies
        lt.call("bootstrap", nodes=seeds)
        bt.call("bootstrap", nodes=seeds)
        w_lt = lt.call("wait_table", min=8, timeout=40)
        w_bt = bt.call("wait_table", min=8, timeout=40)
        t_boot = time.monotonic() - t0
        print("tables: lt reached=%s min=%d max=%d (%.2fs); bt reached=%s min=%d max=%d (%.2fs); wall %.2fs"
              % (w_lt["reached"], min(w_lt["sizes"]), max(w_lt["sizes"]), w_lt["elapsed"],
                 w_bt["reached"], min(w_bt["sizes"]), max(w_bt["sizes"]), w_bt["elapsed"], t_boot))

        ih_lt = os.urandom(20).hex()
        ih_bt = os.urandom(20).hex()
        lt_src = a.lt // 2
        bt_src = a.bt // 2
        r1 = lt.call("announce", infohash=ih_lt, node=lt_src)
        r2 = bt.call("announce", infohash=ih_bt, node=bt_src)
        print("announce: lt node %d as %s; bt node %d as %s (acked by %d nodes)"
              % (lt_src, r1["announced_as"], bt_src, r2["announced_as"], r2["acked"]))

        # libtorrent announces asynchronously (get_peers traversal, then
        # announce_peer to the 8 closest nodes that gave a token): wait until
        # some node stored it.  Then search from nodes that did NOT store the
        # announcement themselves, so the peer must come over the network.
        stored = {}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            stored = {"lt": {}, "bt": {}}
            for name, proc in (("lt", lt), ("bt", bt)):
                for rec in proc.call("announces")["announces"]:
                    stored[name].setdefault(rec["infohash"], set()).add(rec["node"])
            n_lt = len(stored["lt"].get(ih_lt, ())) + len(stored["bt"].get(ih_lt, ()))
            if n_lt >= 4:
                break
            time.sleep(0.2)
        print("stored by: ih_lt on lt%s bt%s; ih_bt on lt%s bt%s" % (
            sorted(stored["lt"].get(ih_lt, ())), sorted(stored["bt"].get(ih_lt, ())),
            sorted(stored["lt"].get(ih_bt, ())), sorted(stored["bt"].get(ih_bt, ()))))

        def searcher(name, count, ih, avoid):
            holders = stored[name].get(ih, set())
            for i in reversed(range(count)):
                if i not in holders and i != avoid:
                    return i
            return count - 1

        failures = []
        checks = [
            ("bt finds lt", bt, searcher("bt", a.bt, ih_lt, -1), ih_lt, r1["announced_as"]),
            ("lt finds bt", lt, searcher("lt", a.lt, ih_bt, -1), ih_bt, r2["announced_as"]),
            ("lt finds lt", lt, searcher("lt", a.lt, ih_lt, lt_src), ih_lt, r1["announced_as"]),
            ("bt finds bt", bt, searcher("bt", a.bt, ih_bt, bt_src), ih_bt, r2["announced_as"]),
        ]
        for name, proc, node, ih, want in checks:
            r = proc.call("get_peers", infohash=ih, node=node, timeout=a.lookup_timeout,
                          min_peers=1, interval=2)
            found = want in r["peers"]
            src = (" via " + r["from"].get(want, "?")) if "from" in r and found else ""
            print("%-12s node %-3d peers=%s%s lookups=%d %.2fs -> %s"
                  % (name, node, r["peers"][:4], src, r["lookups"], r["elapsed"],
                     "OK" if found else "FAIL"))
            if not found:
                failures.append(name)

        rep = lt.call("watch_report")["report"]
        for ep, c in rep.items():
            print("libtorrent view of bt node %s: %s" % (ep, json.dumps(c, sort_keys=True)))
        errs = lt.call("errors")["errors"]
        if errs:
            print("libtorrent error alerts: %d, e.g. %s" % (len(errs), errs[:3]))

        s_lt = lt.call("stats")["process"]
        s_bt = bt.call("stats")["process"]
        print("resources: lt pid %d rss %.1f MB cpu %.2fs threads %d; bt pid %d rss %.1f MB cpu %.2fs"
              % (s_lt["pid"], s_lt["rss_mb"], s_lt["cpu_s"], s_lt["os_threads"],
                 s_bt["pid"], s_bt["rss_mb"], s_bt["cpu_s"]))
        ok = not failures
        print("SMOKE %s in %.2fs%s" % ("PASS" if ok else "FAIL", time.monotonic() - t0,
                                      "" if ok else " (failed: %s)" % ", ".join(failures)))
    finally:
        for p in procs:
            rc = p.close()
            if rc not in (0, None):
                print("%s exited with rc=%s" % (p.name, rc))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
