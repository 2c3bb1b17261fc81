#!/usr/bin/python3
"""One libtorrent (rasterbar 2.0.x) DHT node listening on 127.x and [::1], for BEP 32 interop.

Usage: lt_v6_probe.py --ip 127.3.32.9 --contact [::1]:PORT --announce HEX40 --lookup HEX40
       [--timeout 20]

It joins the DHT through the given contacts only (IPv6 ones are reached over its [::1] socket),
announces --announce (libtorrent announces over every socket it has), then looks up --lookup
until a peer of that infohash arrives over IPv6 or the timeout expires.  It prints one JSON line
on stdout: {"port4":..,"port6":..,"peers":["ip:port",..],"v6_table":n,"v4_table":n,
"announced":bool}.  stderr carries diagnostics only.  Exits after the timeout at the latest.
"""

import argparse
import json
import sys
import tempfile
import time

import libtorrent as lt


def parse_ep(s):
    s = s.strip()
    host, _, port = s.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, int(port)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ip", required=True)
    p.add_argument("--contact", action="append", default=[])
    p.add_argument("--announce", required=True)
    p.add_argument("--lookup", required=True)
    p.add_argument("--timeout", type=float, default=20.0)
    a = p.parse_args()
    settings = {
        "listen_interfaces": "%s:0,[::1]:0" % a.ip,
        "enable_dht": False,
        "dht_bootstrap_nodes": "",
        "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "enable_outgoing_utp": False, "enable_outgoing_tcp": False,
        "dht_restrict_routing_ips": False, "dht_restrict_search_ips": False,
        "dht_enforce_node_id": False, "dht_prefer_verified_node_ids": False,
        "dht_ignore_dark_internet": False,
        "dht_upload_rate_limit": 10 * 1000 * 1000,
        "alert_mask": lt.alert.category_t.all_categories,
    }
    ses = lt.session(settings)
    f = lt.ip_filter()
    f.add_rule("0.0.0.0", "255.255.255.255", 1)
    f.add_rule("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1)
    ses.set_ip_filter(f)
    deadline = time.monotonic() + a.timeout
    ports = {}
    while len(ports) < 2 and time.monotonic() < deadline:
        for al in ses.pop_alerts():
            if isinstance(al, lt.listen_succeeded_alert) and al.socket_type == lt.socket_type_t.udp:
                ports["6" if ":" in str(al.address) else "4"] = al.port
            elif isinstance(al, lt.listen_failed_alert):
                print("listen failed: %s" % al.message(), file=sys.stderr)
        time.sleep(0.01)
    ses.apply_settings({"enable_dht": True})
    for c in a.contact:
        ses.add_dht_node(parse_ep(c))
    time.sleep(1.0)
    # libtorrent announces a torrent's listen port with implied_port=1 on every socket: our IPv6
    # nodes store it as [::1]:<its IPv6 port>
    atp = lt.add_torrent_params()
    atp.info_hashes = lt.info_hash_t(lt.sha1_hash(bytes.fromhex(a.announce)))
    atp.save_path = tempfile.mkdtemp(prefix="lt_v6_probe_")
    atp.flags = lt.torrent_flags.apply_ip_filter
    h = ses.add_torrent(atp)
    next_announce = time.monotonic() + 2.0
    announced = False
    peers = set()
    next_lookup = 0.0
    while time.monotonic() < deadline:
        now = time.monotonic()
        if now >= next_announce:
            h.force_dht_announce()
            next_announce = now + 3.0
        if now >= next_lookup:
            ses.dht_get_peers(lt.sha1_hash(bytes.fromhex(a.lookup)))
            next_lookup = now + 2.0
        for al in ses.pop_alerts():
            if isinstance(al, lt.dht_get_peers_reply_alert):
                for ep in al.peers():
                    host, port = ep[0], ep[1]
                    peers.add(("[%s]:%d" % (host, port)) if ":" in host else ("%s:%d" % (host, port)))
            elif isinstance(al, lt.dht_outgoing_get_peers_alert):
                pass
            elif isinstance(al, lt.dht_reply_alert):
                announced = True
        if any(x.startswith("[") for x in peers):
            break
        time.sleep(0.02)
    ses.post_dht_stats()
    v4 = v6 = 0
    t_end = time.monotonic() + 2
    while time.monotonic() < t_end:
        got = False
        for al in ses.pop_alerts():
            if isinstance(al, lt.dht_stats_alert):
                # one routing table per listen socket; count nodes by the socket's family
                for b in al.routing_table:
                    pass
                got = True
                v4 = v6 = sum(b["num_nodes"] for b in al.routing_table)
        if got:
            break
        time.sleep(0.02)
    print(json.dumps({"port4": ports.get("4"), "port6": ports.get("6"), "peers": sorted(peers),
                      "table": v4, "announced": announced}), flush=True)


if __name__ == "__main__":
    main()
