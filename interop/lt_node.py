#!/usr/bin/python3
"""Run N libtorrent (rasterbar 2.0.x) DHT nodes on loopback, driven by JSON lines.

Each node is its own ``lt.session`` listening on its own 127.x.y.z address.
Commands arrive as one JSON object per line on stdin; every reply is one JSON
object per line on stdout.  stderr carries human-readable diagnostics only.

See interop/README.md for the full protocol.  Quick reference::

    {"cmd":"ping"}
    {"cmd":"bootstrap","nodes":["127.0.0.1:6881"]}          # all local nodes
    {"cmd":"add_node","addr":"127.0.0.1:6881","node":3}
    {"cmd":"announce","infohash":"<hex40>","node":0}
    {"cmd":"get_peers","infohash":"<hex40>","node":1,"timeout":10,"min_peers":1}
    {"cmd":"table"}  {"cmd":"table","node":0,"full":true}
    {"cmd":"wait_table","min":4,"timeout":20}
    {"cmd":"stats"}
    {"cmd":"watch","addrs":["127.0.0.1:6881"]}
    {"cmd":"watch_report"}  {"cmd":"events","clear":true}
    {"cmd":"quit"}

Any command may carry "req": <any JSON>; it is echoed back in the reply.

The script exits by itself when stdin reaches EOF, on SIGTERM/SIGINT/SIGHUP,
and after --max-lifetime seconds.  A parent supervisor process restarts the
worker if it dies before printing its ready line (libtorrent 2.0.8 can crash
while starting a session).
"""

import argparse
import collections
import ctypes
import json
import os
import queue
import random
import re
import resource
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

PROTOCOL_VERSION = 1


# --------------------------------------------------------------------------
# argument parsing
# --------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--count", type=int, default=1, help="number of DHT nodes (default 1)")
    p.add_argument("--ip-base", default="127.1.0.1",
                   help="address of node 0; node i gets ip-base + i (skipping .0/.255) (default 127.1.0.1)")
    p.add_argument("--port", type=int, default=0,
                   help="UDP/TCP port for every node (each has its own IP); 0 = ephemeral (default)")
    p.add_argument("--bootstrap", default="",
                   help="comma separated ip:port initial contacts, used by libtorrent's own bootstrap at start")
    p.add_argument("--ids", default="", help="comma separated hex node ids for nodes 0..k-1 (rest random)")
    p.add_argument("--seed", type=int, default=None, help="seed for random node ids (reproducible ids)")
    p.add_argument("--max-lifetime", type=float, default=600.0,
                   help="hard limit in seconds after which the process exits (default 600)")
    p.add_argument("--watch", default="", help="comma separated ip:port endpoints to watch from the start")
    p.add_argument("--startup-retries", type=int, default=3,
                   help="restart a worker that dies before 'ready' this many times (default 3)")
    p.add_argument("--start-timeout", type=float, default=20.0,
                   help="seconds allowed for all sessions to start listening (default 20)")
    p.add_argument("--poll-ms", type=float, default=20.0, help="alert polling interval (default 20 ms)")
    p.add_argument("--trace-lookups", action="store_true",
                   help="enable libtorrent's DHT log so that get_peers can report per-lookup figures "
                        "(queries, time to done); meant for a probe process of one node")
    p.add_argument("--verbose", action="store_true", help="diagnostics on stderr")
    p.add_argument("--worker-fd", type=int, default=None, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.count < 1:
        p.error("--count must be >= 1")
    return a


def log(msg):
    sys.stderr.write("[lt_node %d] %s\n" % (os.getpid(), msg))
    sys.stderr.flush()


# --------------------------------------------------------------------------
# supervisor: restarts the worker if it dies before it is ready
# --------------------------------------------------------------------------

PR_SET_PDEATHSIG = 1


def _set_pdeathsig():
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:
        pass


def supervise(args, argv):
    deadline = time.monotonic() + args.max_lifetime + 5.0
    child = None

    def forward(signum, _frame):
        if child is not None and child.poll() is None:
            try:
                child.send_signal(signum)
            except OSError:
                pass
        if signum != signal.SIGCHLD:
            # give the worker a moment, then make sure it is gone
            t_end = time.monotonic() + 3.0
            while child is not None and child.poll() is None and time.monotonic() < t_end:
                time.sleep(0.05)
            if child is not None and child.poll() is None:
                child.kill()
            os._exit(128 + signum)

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, forward)

    attempts = max(1, args.startup_retries + 1)
    last_rc = None
    for attempt in range(attempts):
        r, w = os.pipe()
        cmd = [sys.executable, os.path.abspath(__file__), "--worker-fd", str(w)] + argv
        child = subprocess.Popen(cmd, pass_fds=(w,), preexec_fn=_set_pdeathsig, close_fds=True)
        os.close(w)
        got_ready = False
        # wait for the worker's "ready" byte (or EOF when it dies)
        with os.fdopen(r, "rb", buffering=0) as rf:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                ready, _, _ = select.select([rf], [], [], min(remaining, 1.0))
                if ready:
                    b = rf.read(1)
                    if b == b"R":
                        got_ready = True
                    break
                if child.poll() is not None:
                    break
        if got_ready:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    log("supervisor: max lifetime exceeded, killing worker")
                    child.kill()
                    child.wait()
                    return 124
                try:
                    return child.wait(timeout=min(remaining, 1.0))
                except subprocess.TimeoutExpired:
                    continue
        # worker never became ready
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        last_rc = child.returncode
        log("worker exited before ready (rc=%s), attempt %d/%d" % (last_rc, attempt + 1, attempts))
        if time.monotonic() >= deadline:
            break
    out = {"ready": False, "error": "worker failed to start (rc=%s)" % last_rc}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 1


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def alloc_ips(base, n):
    v = struct.unpack("!I", socket.inet_aton(base))[0]
    out = []
    while len(out) < n:
        ip = socket.inet_ntoa(struct.pack("!I", v))
        last = v & 0xFF
        if last not in (0, 255):
            if not ip.startswith("127."):
                raise ValueError("address %s is outside 127.0.0.0/8" % ip)
            out.append(ip)
        v += 1
    return out


def parse_ep(s):
    s = s.strip()
    host, _, port = s.rpartition(":")
    if not host or not port:
        raise ValueError("bad endpoint %r (want ip:port)" % s)
    port = int(port)
    socket.inet_aton(host)  # validates dotted IPv4
    if not 0 < port < 65536:
        raise ValueError("bad port in %r" % s)
    return host, port


def ep_str(ip, port):
    return "%s:%d" % (ip, port)


def compact_ep(ip, port):
    return socket.inet_aton(ip) + struct.pack("!H", port)


def parse_hash(h):
    if not isinstance(h, str) or not re.fullmatch(r"[0-9a-fA-F]{40}", h):
        raise ValueError("infohash must be 40 hex characters")
    return bytes.fromhex(h)


def jsonable(v, depth=0):
    """Convert a bdecoded libtorrent structure to JSON (bytes -> text or hex)."""
    if depth > 6:
        return "..."
    if isinstance(v, dict):
        return {jsonable(k, depth + 1) if isinstance(k, bytes) else str(k): jsonable(x, depth + 1)
                for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x, depth + 1) for x in v]
    if isinstance(v, bytes):
        try:
            s = v.decode("ascii")
            if all(32 <= ord(c) < 127 for c in s):
                return s
        except UnicodeDecodeError:
            pass
        return v.hex()
    return v


def rss_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024.0, 1)
    except OSError:
        pass
    return None


PKT_RE = re.compile(r"^(<==|==>)\s*\[([^\]]+)\]")


# --------------------------------------------------------------------------
# worker
# --------------------------------------------------------------------------

class Out:
    lock = threading.Lock()

    @classmethod
    def send(cls, obj):
        data = json.dumps(obj, separators=(",", ":")) + "\n"
        with cls.lock:
            try:
                sys.stdout.write(data)
                sys.stdout.flush()
            except (BrokenPipeError, ValueError):
                os._exit(0)


class Node:
    def __init__(self, index, ip, nid):
        self.index = index
        self.ip = ip
        self.nid = nid
        self.port = None
        self.ses = None
        self.listening = False
        self.dht_enabled = False
        self.torrents = {}          # infohash bytes -> torrent handle
        self.incoming_announces = collections.deque(maxlen=2000)
        self.incoming_get_peers = 0
        self.errors = collections.deque(maxlen=200)
        self.last_stats = None      # dict of dht.* counters
        self.last_table = None      # routing table buckets
        self.last_live = None       # live node list
        self.last_table_size = 0

    @property
    def addr(self):
        return ep_str(self.ip, self.port or 0)

    def info(self):
        return {"index": self.index, "addr": self.addr, "id": self.nid.hex()}


class Op:
    """A command whose reply depends on alerts that arrive later."""

    def __init__(self, daemon, msg, deadline):
        self.d = daemon
        self.msg = msg
        self.deadline = deadline
        self.done = False

    def on_alert(self, node, a):
        pass

    def poll(self, now):
        pass

    def finish(self, **kw):
        if not self.done:
            self.done = True
            self.d.reply(self.msg, **kw)


TRAVERSAL_RE = re.compile(r"^\[(\d+)\] (\S+)(?: (.*))?$")


class GetPeersOp(Op):
    """get_peers command.

    With ``until_done`` (needs --trace-lookups) exactly one dht_get_peers()
    traversal runs and the reply comes when libtorrent logs it COMPLETED, with
    per-lookup figures taken from libtorrent's DHT log: the traversal is the
    first one logged "NEW target: <infohash>" after the call, "INVOKE" lines
    are queries sent, "RESPONSE" replies used, "1ST_TIMEOUT"/"TIMEOUT" short
    and full timeouts.  Times are measured when the alerts are popped: in a
    --trace-lookups process of one node the loop waits on libtorrent's alert
    queue and pops them as they are posted; otherwise they are late by up to
    --poll-ms.
    """

    def __init__(self, daemon, msg, node, ih, timeout, min_peers, interval, until_done=False):
        Op.__init__(self, daemon, msg, time.monotonic() + timeout)
        self.node = node
        self.ih = ih
        self.min_peers = min_peers
        self.interval = interval
        self.started = time.monotonic()
        self.peers = []
        self.seen = set()
        self.lookups = 0
        self.next_lookup = 0.0
        self.replies = 0
        self.until_done = until_done
        self.trace = None
        if until_done:
            if not daemon.args.trace_lookups:
                raise ValueError("until_done needs lt_node.py --trace-lookups")
            self.trace = {"traversal": None, "first_peer_s": None, "done_s": None, "invoked": 0,
                          "responses": 0, "short_timeouts": 0, "timeouts": 0, "completed": False}

    def on_trace(self, msg):
        m = TRAVERSAL_RE.match(msg)
        if not m:
            return
        tid, what, rest = int(m.group(1)), m.group(2), m.group(3) or ""
        t = self.trace
        if t["traversal"] is None:
            if what == "NEW" and rest.startswith("target: " + self.ih.hex()):
                t["traversal"] = tid
            return
        if tid != t["traversal"]:
            return
        if what == "INVOKE":
            t["invoked"] += 1
        elif what == "RESPONSE":
            t["responses"] += 1
        elif what == "1ST_TIMEOUT":
            t["short_timeouts"] += 1
        elif what == "TIMEOUT":
            t["timeouts"] += 1
        elif what == "COMPLETED":
            t["completed"] = True
            t["done_s"] = round(time.monotonic() - self.started, 4)
            self._reply()

    def on_alert(self, node, a):
        if node is not self.node:
            return
        if self.trace is not None and isinstance(a, self.d.lt.dht_log_alert):
            self.on_trace(a.log_message())
            return
        if not isinstance(a, self.d.lt.dht_get_peers_reply_alert):
            return
        if bytes(a.info_hash.to_bytes()) != self.ih:
            return
        if self.trace is not None and self.trace["first_peer_s"] is None and a.num_peers() > 0:
            self.trace["first_peer_s"] = round(time.monotonic() - self.started, 4)
        self.replies += 1
        for ip, port in a.peers():
            e = ep_str(ip, port)
            if e not in self.seen:
                self.seen.add(e)
                self.peers.append(e)
        if self.min_peers > 0 and len(self.peers) >= self.min_peers and not self.until_done:
            self._reply()

    def poll(self, now):
        if now >= self.deadline:
            self._reply()
        elif now >= self.next_lookup:
            self.node.ses.dht_get_peers(self.d.lt.sha1_hash(self.ih))
            self.lookups += 1
            if self.lookups == 1:
                self.started = time.monotonic()
            self.next_lookup = (now + self.interval if self.interval > 0 and not self.until_done
                                else float("inf"))

    def _reply(self):
        extra = {"trace": self.trace} if self.trace is not None else {}
        self.finish(node=self.node.index, infohash=self.ih.hex(), peers=self.peers,
                    lookups=self.lookups, responses_with_peers=self.replies,
                    elapsed=round(time.monotonic() - self.started, 3), **extra)


class CollectOp(Op):
    """Post dht_stats / dht_live_nodes / session_stats and reply when all arrived."""

    def __init__(self, daemon, msg, nodes, want_table, want_live, want_stats, builder):
        Op.__init__(self, daemon, msg, time.monotonic() + 5.0)
        self.nodes = nodes
        self.builder = builder
        self.waiting = set()
        lt = daemon.lt
        for n in nodes:
            if not n.dht_enabled:
                continue
            if want_table:
                self.waiting.add((n.index, "table"))
                n.ses.post_dht_stats()
            if want_live:
                self.waiting.add((n.index, "live"))
                n.ses.dht_live_nodes(lt.sha1_hash(n.nid))
            if want_stats:
                self.waiting.add((n.index, "stats"))
                n.ses.post_session_stats()
        if not self.waiting:
            self._reply()

    def on_alert(self, node, a):
        lt = self.d.lt
        key = None
        if isinstance(a, lt.dht_stats_alert):
            key = (node.index, "table")
        elif isinstance(a, lt.dht_live_nodes_alert):
            key = (node.index, "live")
        elif isinstance(a, lt.session_stats_alert):
            key = (node.index, "stats")
        if key in self.waiting:
            self.waiting.discard(key)
            if not self.waiting:
                self._reply()

    def poll(self, now):
        if now >= self.deadline:
            self._reply(partial=True)

    def _reply(self, partial=False):
        if self.done:
            return
        kw = self.builder(self.nodes)
        if partial:
            kw["partial"] = True
        self.finish(**kw)


class WaitTableOp(Op):
    def __init__(self, daemon, msg, nodes, minimum, timeout):
        Op.__init__(self, daemon, msg, time.monotonic() + timeout)
        self.nodes = nodes
        self.min = minimum
        self.started = time.monotonic()
        self.next_post = 0.0

    def sizes(self):
        return [n.last_table_size for n in self.nodes]

    def poll(self, now):
        sizes = self.sizes()
        if all(s >= self.min for s in sizes):
            self.finish(reached=True, sizes=sizes, elapsed=round(now - self.started, 3))
        elif now >= self.deadline:
            self.finish(reached=False, sizes=sizes, elapsed=round(now - self.started, 3))
        elif now >= self.next_post:
            for n in self.nodes:
                if n.dht_enabled:
                    n.ses.post_dht_stats()
            self.next_post = now + 0.5


class Daemon:
    def __init__(self, args, lt):
        self.args = args
        self.lt = lt
        self.t0 = time.monotonic()
        self.deadline = self.t0 + args.max_lifetime
        self.cmds = queue.Queue()
        self.ops = []
        self.scheduled = []   # (time, callable)
        self.watch_eps = set()
        self.watch_ips = set()
        self.events = collections.deque(maxlen=20000)
        self.watch_counts = collections.defaultdict(collections.Counter)
        self.tmpdir = tempfile.mkdtemp(prefix="lt_node_")
        self.nodes = []
        self.stopping = False
        self.boot_contacts = [parse_ep(s) for s in args.bootstrap.split(",") if s.strip()]
        ips = alloc_ips(args.ip_base, args.count)
        rng = random.Random(args.seed) if args.seed is not None else None
        given = [bytes.fromhex(x.strip()) for x in args.ids.split(",") if x.strip()]
        for i, ip in enumerate(ips):
            if i < len(given):
                nid = given[i]
                if len(nid) != 20:
                    raise ValueError("node id %d is not 20 bytes" % i)
            elif rng is not None:
                nid = bytes(rng.getrandbits(8) for _ in range(20))
            else:
                nid = os.urandom(20)
            self.nodes.append(Node(i, ip, nid))
        for e in args.watch.split(","):
            if e.strip():
                self._add_watch(e.strip())

    # ---------------- session setup ----------------

    def base_mask(self):
        c = self.lt.alert.category_t
        m = (c.error_notification | c.status_notification | c.dht_notification
             | c.dht_operation_notification | c.stats_notification)
        if self.watch_eps or self.args.trace_lookups:
            m |= c.dht_log_notification
        return m

    def settings(self, node):
        return {
            "listen_interfaces": "%s:%d" % (node.ip, self.args.port),
            "outgoing_interfaces": node.ip,
            "enable_dht": False,          # enabled once the listen socket is up
            "dht_bootstrap_nodes": "",
            "enable_lsd": False,
            "enable_upnp": False,
            "enable_natpmp": False,
            "enable_outgoing_utp": False,
            "enable_outgoing_tcp": False,
            "dht_restrict_routing_ips": False,
            "dht_restrict_search_ips": False,
            "dht_enforce_node_id": False,
            "dht_prefer_verified_node_ids": False,
            "dht_ignore_dark_internet": False,
            "dht_block_ratelimit": 100000,
            "dht_upload_rate_limit": 10 * 1000 * 1000,   # must NOT be 0 (division by zero)
            "dht_announce_interval": 60,
            "announce_to_all_tiers": False,
            "aio_threads": 1,
            "hashing_threads": 1,
            "alert_queue_size": 100000,
            "alert_mask": self.base_mask(),
            "user_agent": "jdht-interop-lt",
        }

    def start(self):
        lt = self.lt
        dht_nodes = [compact_ep(h, p) for h, p in self.boot_contacts]
        for n in self.nodes:
            state = {b"dht state": {b"node-id": [n.nid + socket.inet_aton(n.ip)]}}
            if dht_nodes:
                state[b"dht state"][b"nodes"] = dht_nodes
            params = lt.read_session_params(lt.bencode(state))
            params.settings = self.settings(n)
            n.ses = lt.session(params)
            f = lt.ip_filter()
            f.add_rule("0.0.0.0", "255.255.255.255", 1)  # never talk BitTorrent to anyone
            n.ses.set_ip_filter(f)
        t_end = time.monotonic() + self.args.start_timeout
        pending = set(range(len(self.nodes)))
        while pending:
            if time.monotonic() > t_end:
                raise RuntimeError("nodes %s did not start listening" % sorted(pending)[:10])
            for i in list(pending):
                n = self.nodes[i]
                for a in n.ses.pop_alerts():
                    if isinstance(a, lt.listen_failed_alert):
                        raise RuntimeError("node %d: %s" % (i, a.message()))
                    if isinstance(a, lt.listen_succeeded_alert):
                        n.port = a.port
                        n.listening = True
                if n.listening:
                    n.ses.apply_settings({"enable_dht": True})
                    n.dht_enabled = True
                    pending.discard(i)
            time.sleep(0.005)
        for n in self.nodes:
            n.port = n.ses.listen_port() or n.port

    # ---------------- main loop ----------------

    def stdin_reader(self):
        try:
            for line in sys.stdin:
                self.cmds.put(line)
        except Exception as e:  # pragma: no cover
            log("stdin error: %s" % e)
        self.cmds.put(None)

    def run(self):
        threading.Thread(target=self.stdin_reader, daemon=True).start()
        if self.boot_contacts:
            self.schedule_followup(list(self.nodes), 1.0)
        poll = self.args.poll_ms / 1000.0
        # a traced probe of one session waits on libtorrent itself, so that alerts (and the
        # times taken from them) are handled when they are posted, not at the next poll
        waiter = self.nodes[0].ses if self.args.trace_lookups and len(self.nodes) == 1 else None
        while True:
            now = time.monotonic()
            if now >= self.deadline:
                log("max lifetime reached, exiting")
                self.shutdown(2)
            try:
                if waiter is not None:
                    waiter.wait_for_alert(max(1, int(self.args.poll_ms)))
                    line = self.cmds.get_nowait()
                else:
                    line = self.cmds.get(timeout=poll)
                while True:
                    if line is None:
                        self.shutdown(0)
                    self.handle_line(line)
                    line = self.cmds.get_nowait()
            except queue.Empty:
                pass
            self.pump_alerts()
            now = time.monotonic()
            if self.scheduled:
                due = [s for s in self.scheduled if s[0] <= now]
                self.scheduled = [s for s in self.scheduled if s[0] > now]
                for _, fn in due:
                    fn()
            for op in list(self.ops):
                if not op.done:
                    op.poll(now)
            self.ops = [op for op in self.ops if not op.done]

    def pump_alerts(self):
        lt = self.lt
        for n in self.nodes:
            if n.ses is None:
                continue
            for a in n.ses.pop_alerts():
                try:
                    self.on_alert(n, a)
                    for op in self.ops:
                        if not op.done:
                            op.on_alert(n, a)
                except Exception as e:
                    log("error handling %s: %s: %s" % (type(a).__name__, type(e).__name__, e))

    def on_alert(self, n, a):
        lt = self.lt
        if isinstance(a, lt.dht_pkt_alert):
            self.on_pkt(n, a)
        elif isinstance(a, lt.dht_log_alert):
            self.on_dht_log(n, a)
        elif isinstance(a, lt.dht_announce_alert):
            n.incoming_announces.append({"infohash": bytes(a.info_hash.to_bytes()).hex(),
                                         "peer": ep_str(str(a.ip), a.port)})
        elif isinstance(a, lt.dht_get_peers_alert):
            n.incoming_get_peers += 1
        elif isinstance(a, lt.dht_stats_alert):
            n.last_table = [{"nodes": b["num_nodes"], "replacements": b["num_replacements"]}
                            for b in a.routing_table]
            n.last_table_size = sum(b["nodes"] for b in n.last_table)
            n.last_active_requests = len(a.active_requests)
        elif isinstance(a, lt.dht_live_nodes_alert):
            live = []
            for e in a.nodes:
                if isinstance(e, dict):
                    nid, ep = e.get("nid"), e.get("endpoint")
                else:
                    nid, ep = e
                if hasattr(nid, "to_bytes"):
                    nid = bytes(nid.to_bytes())
                nid = nid.hex() if isinstance(nid, bytes) else str(nid)
                live.append({"id": nid, "addr": ep_str(ep[0], ep[1])})
            n.last_live = live
        elif isinstance(a, lt.session_stats_alert):
            vals = a.values
            n.last_stats = {k[4:]: v for k, v in vals.items() if k.startswith("dht.")}
        elif a.category() & lt.alert.category_t.error_notification:
            rec = {"t": round(time.monotonic() - self.t0, 3), "type": type(a).__name__,
                   "msg": a.message()}
            n.errors.append(rec)
            if self.args.verbose:
                log("node %d error: %s" % (n.index, rec["msg"]))

    # ---------------- watching packets ----------------

    def _add_watch(self, e):
        ip, port = parse_ep(e)
        self.watch_eps.add(ep_str(ip, port))
        self.watch_ips.add(ip)

    def on_pkt(self, n, a):
        if not self.watch_eps:
            return
        m = a.message()
        mm = PKT_RE.match(m)
        if not mm:
            return
        ep = mm.group(2)
        if ep not in self.watch_eps:
            return
        direction = "in" if mm.group(1) == "<==" else "out"
        rec = {"t": round(time.monotonic() - self.t0, 3), "node": n.index, "kind": "pkt",
               "dir": direction, "peer": ep}
        try:
            d = self.lt.bdecode(bytes(a.pkt_buf))
        except Exception:
            d = None
        if isinstance(d, dict):
            y = d.get(b"y", b"")
            y = y.decode("ascii", "replace") if isinstance(y, bytes) else str(y)
            rec["y"] = y
            t = d.get(b"t")
            if isinstance(t, bytes):
                rec["tid"] = t.hex()
            if y == "q":
                q = d.get(b"q", b"")
                rec["q"] = q.decode("ascii", "replace") if isinstance(q, bytes) else str(q)
            elif y == "e":
                rec["e"] = jsonable(d.get(b"e"))
            elif y == "r":
                r = d.get(b"r")
                if isinstance(r, dict):
                    rec["keys"] = sorted(k.decode("ascii", "replace") for k in r.keys())
                    nodes = r.get(b"nodes")
                    if isinstance(nodes, bytes):
                        rec["nodes"] = len(nodes) // 26
                    vals = r.get(b"values")
                    if isinstance(vals, list):
                        rec["values"] = len(vals)
            rec["size"] = len(bytes(a.pkt_buf))
        else:
            rec["y"] = "?"
        rec["text"] = m[:400]
        self.events.append(rec)
        c = self.watch_counts[ep]
        key = direction + "_" + rec.get("y", "?")
        if rec.get("q"):
            key += "_" + rec["q"]
        c[key] += 1

    LOG_PATTERNS = (
        ("reply with transaction id", "rpc_reply_accepted"),
        ("reply with error from", "rpc_reply_error"),
        ("reply with (malformed) error", "rpc_reply_malformed_error"),
        ("short-timing out transaction", "rpc_short_timeout"),
        ("timing out transaction", "rpc_timeout"),
        ("RESPONSE id:", "traversal_response"),
        ("reply with unknown transaction id", "rpc_unknown_tid"),
    )

    def on_dht_log(self, n, a):
        if not self.watch_ips:
            return
        msg = a.log_message()
        hit = None
        for ep in self.watch_eps:
            if ep in msg:
                hit = ep
                break
        if hit is None:
            return
        rec = {"t": round(time.monotonic() - self.t0, 3), "node": n.index, "kind": "log",
               "peer": hit, "msg": msg[:400]}
        self.events.append(rec)
        for pat, key in self.LOG_PATTERNS:
            if pat in msg:
                self.watch_counts[hit][key] += 1
                break

    def set_masks(self):
        m = self.base_mask()
        for n in self.nodes:
            n.ses.apply_settings({"alert_mask": m})

    # ---------------- command handling ----------------

    def reply(self, msg, ok=True, **kw):
        out = {}
        if isinstance(msg, dict):
            if "req" in msg:
                out["req"] = msg["req"]
            if "cmd" in msg:
                out["cmd"] = msg["cmd"]
        out["ok"] = ok
        out.update(kw)
        Out.send(out)

    def select_nodes(self, msg, default_all=True):
        sel = msg.get("node", None)
        if sel is None or sel == "all":
            if default_all:
                return list(self.nodes)
            sel = 0
        if isinstance(sel, int):
            sel = [sel]
        if not isinstance(sel, list):
            raise ValueError("'node' must be an index, a list of indexes or \"all\"")
        out = []
        for i in sel:
            if not isinstance(i, int) or not 0 <= i < len(self.nodes):
                raise ValueError("node index %r out of range 0..%d" % (i, len(self.nodes) - 1))
            out.append(self.nodes[i])
        return out

    def one_node(self, msg):
        nodes = self.select_nodes(msg, default_all=False)
        if len(nodes) != 1:
            raise ValueError("this command takes exactly one node index")
        return nodes[0]

    def handle_line(self, line):
        line = line.strip()
        if not line:
            return
        try:
            msg = json.loads(line)
            if not isinstance(msg, dict):
                raise ValueError("command must be a JSON object")
        except ValueError as e:
            self.reply({}, ok=False, error="bad json: %s" % e)
            return
        cmd = msg.get("cmd")
        fn = getattr(self, "cmd_" + str(cmd), None) if isinstance(cmd, str) else None
        if fn is None:
            self.reply(msg, ok=False, error="unknown cmd %r" % (cmd,))
            return
        try:
            fn(msg)
        except Exception as e:
            self.reply(msg, ok=False, error="%s: %s" % (type(e).__name__, e))

    def cmd_ping(self, msg):
        self.reply(msg, uptime=round(time.monotonic() - self.t0, 3))

    def cmd_nodes(self, msg):
        self.reply(msg, nodes=[n.info() for n in self.nodes])

    def cmd_add_node(self, msg):
        addrs = msg.get("addrs") or ([msg["addr"]] if "addr" in msg else [])
        eps = [parse_ep(a) for a in addrs]
        if not eps:
            raise ValueError("add_node needs 'addr' or 'addrs'")
        targets = self.select_nodes(msg)
        for n in targets:
            for h, p in eps:
                if (h, p) != (n.ip, n.port):
                    n.ses.add_dht_node((h, p))
        self.reply(msg, nodes=len(targets))

    def cmd_bootstrap(self, msg):
        eps = [parse_ep(a) for a in msg.get("nodes", [])]
        if not eps:
            raise ValueError("bootstrap needs a non-empty 'nodes' list of ip:port")
        targets = self.select_nodes(msg)
        sample = int(msg.get("sample", 0))
        for n in targets:
            mine = [e for e in eps if e != (n.ip, n.port)]
            if 0 < sample < len(mine):
                mine = random.sample(mine, sample)
            for h, p in mine:
                n.ses.add_dht_node((h, p))
        self.schedule_followup(targets, float(msg.get("delay", 0.5)))
        self.reply(msg, nodes=len(targets), contacts=len(eps))

    def schedule_followup(self, targets, delay):
        """Lookups that make the routing tables fill like a bootstrap.

        libtorrent only confirms nodes that answered one of its own queries,
        and nodes that merely queried us wait in the replacement cache, so a
        network whose contacts start empty converges very slowly by itself.
        Lookups of our own id (and one random id), repeated while the
        contacts learn about everybody, fix that.
        """
        lt = self.lt
        now = time.monotonic()

        def self_lookup(nodes=targets):
            for n in nodes:
                n.ses.dht_get_peers(lt.sha1_hash(n.nid))

        def random_lookup(nodes=targets):
            for n in nodes:
                n.ses.dht_get_peers(lt.sha1_hash(os.urandom(20)))

        self.scheduled.append((now + delay, self_lookup))
        self.scheduled.append((now + delay + 2.0, random_lookup))
        self.scheduled.append((now + delay + 4.0, self_lookup))

    def cmd_announce(self, msg):
        lt = self.lt
        n = self.one_node(msg)
        ih = parse_hash(msg.get("infohash"))
        h = n.torrents.get(ih)
        if h is None:
            atp = lt.add_torrent_params()
            atp.info_hashes = lt.info_hash_t(lt.sha1_hash(ih))
            d = os.path.join(self.tmpdir, "n%d" % n.index)
            os.makedirs(d, exist_ok=True)
            atp.save_path = d
            # not paused, not auto-managed; apply the block-everything ip filter
            atp.flags = lt.torrent_flags.apply_ip_filter
            h = n.ses.add_torrent(atp)
            n.torrents[ih] = h
        else:
            h.force_dht_announce()
        # libtorrent announces its own listen port with implied_port=1; the
        # requested port cannot be honoured by the python binding.
        self.reply(msg, node=n.index, infohash=ih.hex(), announced_as=n.addr,
                   port_ignored=("port" in msg and msg["port"] != n.port))

    def cmd_unannounce(self, msg):
        n = self.one_node(msg)
        ih = parse_hash(msg.get("infohash"))
        h = n.torrents.pop(ih, None)
        if h is not None:
            n.ses.remove_torrent(h)
        self.reply(msg, node=n.index, removed=h is not None)

    def cmd_get_peers(self, msg):
        n = self.one_node(msg)
        ih = parse_hash(msg.get("infohash"))
        timeout = float(msg.get("timeout", 10))
        min_peers = int(msg.get("min_peers", 1))
        interval = float(msg.get("interval", 3.0))
        op = GetPeersOp(self, msg, n, ih, timeout, min_peers, interval, bool(msg.get("until_done", False)))
        self.ops.append(op)
        op.poll(time.monotonic())

    cmd_lookup = cmd_get_peers

    def cmd_table(self, msg):
        nodes = self.select_nodes(msg)
        full = bool(msg.get("full", False))

        def build(nodes):
            out = []
            for n in nodes:
                e = n.info()
                e["size"] = n.last_table_size
                e["buckets"] = n.last_table or []
                if full:
                    e["entries"] = n.last_live or []
                out.append(e)
            return {"nodes": out}
        self.ops.append(CollectOp(self, msg, nodes, True, full, False, build))

    def cmd_wait_table(self, msg):
        nodes = self.select_nodes(msg)
        self.ops.append(WaitTableOp(self, msg, nodes, int(msg.get("min", 1)),
                                    float(msg.get("timeout", 20))))

    def cmd_stats(self, msg):
        nodes = self.select_nodes(msg)
        r = resource.getrusage(resource.RUSAGE_SELF)

        def build(nodes):
            out = []
            for n in nodes:
                e = n.info()
                e["table_size"] = n.last_table_size
                e["counters"] = {k: v for k, v in (n.last_stats or {}).items() if v}
                e["incoming_get_peers"] = n.incoming_get_peers
                e["incoming_announces"] = len(n.incoming_announces)
                e["errors"] = len(n.errors)
                e["torrents"] = [ih.hex() for ih in n.torrents]
                out.append(e)
            return {"nodes": out,
                    "process": {"pid": os.getpid(), "rss_mb": rss_mb(),
                                "cpu_s": round(r.ru_utime + r.ru_stime, 3),
                                "threads": threading.active_count(),
                                "os_threads": len(os.listdir("/proc/self/task")),
                                "uptime": round(time.monotonic() - self.t0, 3)}}
        self.ops.append(CollectOp(self, msg, nodes, True, False, True, build))

    def cmd_announces(self, msg):
        nodes = self.select_nodes(msg)
        out = []
        for n in nodes:
            for rec in n.incoming_announces:
                r = dict(rec)
                r["node"] = n.index
                out.append(r)
        self.reply(msg, announces=out)

    def cmd_errors(self, msg):
        nodes = self.select_nodes(msg)
        out = []
        for n in nodes:
            for rec in n.errors:
                r = dict(rec)
                r["node"] = n.index
                out.append(r)
            if msg.get("clear"):
                n.errors.clear()
        self.reply(msg, errors=out)

    def cmd_watch(self, msg):
        addrs = msg.get("addrs") or ([msg["addr"]] if "addr" in msg else [])
        if msg.get("clear"):
            self.watch_eps.clear()
            self.watch_ips.clear()
        for e in addrs:
            self._add_watch(e)
        self.set_masks()
        self.reply(msg, watching=sorted(self.watch_eps))

    def cmd_watch_report(self, msg):
        eps = [msg["addr"]] if "addr" in msg else sorted(self.watch_eps)
        self.reply(msg, report={ep: dict(self.watch_counts.get(ep, {})) for ep in eps})

    def cmd_events(self, msg):
        limit = int(msg.get("limit", 1000))
        kind = msg.get("kind")
        peer = msg.get("addr")
        evs = [e for e in self.events
               if (kind is None or e["kind"] == kind) and (peer is None or e["peer"] == peer)]
        total = len(evs)
        evs = evs[-limit:] if limit >= 0 else evs
        if msg.get("clear"):
            self.events.clear()
            self.watch_counts.clear()
        self.reply(msg, total=total, events=evs)

    def cmd_quit(self, msg):
        self.reply(msg)
        self.shutdown(0)

    # ---------------- shutdown ----------------

    def shutdown(self, rc):
        if self.stopping:
            os._exit(rc)
        self.stopping = True
        # hard watchdog in case libtorrent's destructors hang
        t = threading.Timer(5.0, lambda: os._exit(rc))
        t.daemon = True
        t.start()
        try:
            for n in self.nodes:
                if n.ses is not None:
                    n.ses.pause()
            self.nodes = []
        finally:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            try:
                sys.stdout.flush()
            except Exception:
                pass
            os._exit(rc)


def worker(args):
    import libtorrent as lt  # imported here so the supervisor stays small

    d = Daemon(args, lt)

    def on_signal(signum, _frame):
        d.shutdown(128 + signum)

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    t_start = time.monotonic()
    try:
        d.start()
    except Exception as e:
        log("start failed: %s" % e)
        shutil.rmtree(d.tmpdir, ignore_errors=True)
        os._exit(3)
    Out.send({"ready": True, "impl": "libtorrent", "version": lt.__version__,
              "protocol": PROTOCOL_VERSION, "pid": os.getpid(),
              "startup_s": round(time.monotonic() - t_start, 3),
              "nodes": [n.info() for n in d.nodes]})
    if args.worker_fd is not None:
        try:
            os.write(args.worker_fd, b"R")
            os.close(args.worker_fd)
        except OSError:
            pass
    d.run()


def main():
    argv = sys.argv[1:]
    args = parse_args(argv)
    if args.worker_fd is None:
        # strip nothing: the worker gets the same arguments plus --worker-fd
        sys.exit(supervise(args, argv))
    worker(args)


if __name__ == "__main__":
    main()
