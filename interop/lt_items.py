#!/usr/bin/python3
"""One libtorrent (rasterbar 2.0.x) DHT node that puts and gets BEP 44 items, for interop.

Usage: lt_items.py --ip 127.x.y.z --contact IP:PORT [--contact ...] [--timeout 20] ACTION...
  --put-immutable TEXT                 dht_put_immutable_item of the string TEXT
  --put-mutable TEXT --secret HEX128 --pubkey HEX64 [--salt S]
                                       dht_put_mutable_item (libtorrent's 64-byte secret key)
  --get-immutable HEX40                dht_get_immutable_item
  --get-mutable HEX64 [--salt S]       dht_get_mutable_item (waits for the authoritative answer)
Actions run in the order puts, then gets. It prints one JSON line on stdout:
{"put_immutable": {"target", "num_success"}, "put_mutable": {"target", "seq", "num_success"},
 "immutable": {"value"} or null, "mutable": {"seq", "value", "signature"} or null}.
Values are printed as latin-1 text when the item is a string. stderr carries diagnostics only.
"""

import argparse
import json
import sys
import time

import libtorrent as lt


def parse_ep(s):
    host, _, port = s.strip().rpartition(":")
    return host, int(port)


def text(v):
    if isinstance(v, dict) and "value" in v:  # the 2.0 binding wraps items as {"key", "value"}
        v = v["value"]
    if isinstance(v, bytes):
        return v.decode("latin-1")
    return v


def wait_for(ses, pred, timeout):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        for al in ses.pop_alerts():
            r = pred(al)
            if r is not None:
                done, value = r
                last = value
                if done:
                    return value
        time.sleep(0.02)
    return last


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ip", required=True)
    p.add_argument("--contact", action="append", default=[])
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--put-immutable")
    p.add_argument("--put-mutable")
    p.add_argument("--secret")
    p.add_argument("--pubkey")
    p.add_argument("--salt", default="")
    p.add_argument("--get-immutable")
    p.add_argument("--get-mutable")
    a = p.parse_args()
    settings = {
        "listen_interfaces": "%s:0" % a.ip,
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
    ready = wait_for(ses, lambda al: (True, True) if isinstance(al, lt.listen_succeeded_alert) else None, 10)
    if not ready:
        print("listen did not succeed", file=sys.stderr)
    ses.apply_settings({"enable_dht": True})
    for c in a.contact:
        ses.add_dht_node(parse_ep(c))
    time.sleep(2.0)
    out = {}
    salt = a.salt.encode("utf-8")

    def put_done(al):
        if isinstance(al, lt.dht_put_alert):
            return True, al
        return None

    if a.put_immutable is not None:
        target = ses.dht_put_immutable_item(a.put_immutable.encode("latin-1"))
        al = wait_for(ses, put_done, a.timeout)
        out["put_immutable"] = {"target": str(target), "num_success": al.num_success if al else None}
    if a.put_mutable is not None:
        ses.dht_put_mutable_item(bytes.fromhex(a.secret), bytes.fromhex(a.pubkey),
                                 a.put_mutable.encode("latin-1"), salt)
        al = wait_for(ses, put_done, a.timeout)
        out["put_mutable"] = None if al is None else {
            "target": str(al.target), "seq": al.seq, "num_success": al.num_success}
    if a.get_immutable is not None:
        ses.dht_get_immutable_item(lt.sha1_hash(bytes.fromhex(a.get_immutable)))
        al = wait_for(ses, lambda x: (True, x) if isinstance(x, lt.dht_immutable_item_alert) else None, a.timeout)
        item = None if al is None else al.item
        out["immutable"] = None if item is None else {
            "value": text(item)}
    if a.get_mutable is not None:
        ses.dht_get_mutable_item(bytes.fromhex(a.get_mutable), salt)
        al = wait_for(ses, lambda x: (bool(x.authoritative), x)
                      if isinstance(x, lt.dht_mutable_item_alert) else None, a.timeout)
        out["mutable"] = None if al is None or al.seq < 0 or al.item is None else {
            "seq": al.seq, "value": text(al.item), "signature": bytes(al.signature).hex(),
            "authoritative": bool(al.authoritative)}
    print(json.dumps(out, default=str), flush=True)


if __name__ == "__main__":
    main()
