#!/usr/bin/env python3
"""Regenerates src/main/resources/krpc/valid.vectors and valid-noncanonical.vectors.

The binary parts (ids, compact nodes, peers, tokens) come from a seeded PRNG, so running this
again gives the same files byte for byte. The invalid set (invalid.vectors) is written by hand.
Run from the testdata directory: python3 tools/gen_krpc_vectors.py
"""
import random
import os

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "main", "resources", "krpc")
rnd = random.Random(20260521)

A = b"abcdefghij0123456789"
M = b"mnopqrstuvwxyz123456"


def rbytes(n):
    return bytes(rnd.getrandbits(8) for _ in range(n))


def ipv4():
    while True:
        first = rnd.choice([24, 31, 37, 46, 62, 77, 78, 79, 81, 83, 86, 87, 89, 91, 93, 95, 109,
                            176, 178, 185, 188, 212, 213, 217])
        b = bytes([first, rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255)])
        return b


def ipv6():
    prefix = rnd.choice([b"\x2a\x01", b"\x2a\x02", b"\x24\x0e", b"\x26\x00", b"\x20\x01"])
    return prefix + rbytes(14)


def port():
    return rnd.randrange(1024, 65536).to_bytes(2, "big")


def node4():
    return rbytes(20) + ipv4() + port()


def node6():
    return rbytes(20) + ipv6() + port()


def peer4():
    return ipv4() + port()


def peer6():
    return ipv6() + port()


class Unsorted(dict):
    """A dict encoded in insertion order (for the non-canonical set)."""


def bencode(v, key=None, out=None):
    """Encodes v into a list of (kind, bytes) segments: 'text' or ('hex', stride)."""
    if out is None:
        out = []
    if isinstance(v, int) and not isinstance(v, bool):
        out.append(("text", b"i%de" % v))
    elif isinstance(v, (bytes, str)):
        b = v.encode("utf-8") if isinstance(v, str) else v
        out.append(("text", b"%d:" % len(b)))
        printable = all(0x20 <= c < 0x7f and c != 0x5c for c in b) and not b.startswith(b" ") \
            and not b.endswith(b" ")
        if printable and len(b) <= 80:
            if b:
                out.append(("text", b))
        else:
            stride = 32
            if key == b"nodes" and len(b) % 26 == 0:
                stride = 26
            elif key == b"nodes6" and len(b) % 38 == 0:
                stride = 38
            elif key == b"samples":
                stride = 20
            out.append((("hex", stride), b))
    elif isinstance(v, list):
        out.append(("text", b"l"))
        for x in v:
            bencode(x, key, out)
        out.append(("text", b"e"))
    elif isinstance(v, dict):
        out.append(("text", b"d"))
        items = list(v.items()) if isinstance(v, Unsorted) else sorted(v.items())
        for k, x in items:
            bencode(k, None, out)
            bencode(x, k, out)
        out.append(("text", b"e"))
    else:
        raise TypeError(v)
    return out


def render(segments):
    """Merges segments into manifest lines."""
    lines = []
    text = b""

    def flush():
        nonlocal text
        while text:
            chunk, text = text[:96], text[96:]
            lines.append("text: " + chunk.decode("ascii"))

    for kind, b in segments:
        if kind == "text":
            text += b
        else:
            flush()
            stride = kind[1]
            for i in range(0, len(b), stride):
                lines.append("hex: " + b[i:i + stride].hex())
    flush()
    return lines


def raw(segments):
    return b"".join(b for _, b in segments)


vectors = []
noncanonical = []


def vec(name, desc, msg, target=vectors):
    segs = bencode(msg)
    target.append((name, desc, segs))
    return raw(segs)


def q(t, method, args, **top):
    m = {b"t": t, b"y": b"q", b"q": method, b"a": args}
    for k, v in top.items():
        m[k.encode()] = v
    return m


def r(t, body, **top):
    m = {b"t": t, b"y": b"r", b"r": body}
    for k, v in top.items():
        m[k.encode()] = v
    return m


def e(t, code, msg, **top):
    m = {b"t": t, b"y": b"e", b"e": [code, msg]}
    for k, v in top.items():
        m[k.encode()] = v
    return m


# --- BEP 5, byte for byte ---------------------------------------------------------------------
vec("bep5_ping_query", "BEP 5 ping query, byte for byte", q(b"aa", b"ping", {b"id": A}))
vec("bep5_ping_response", "BEP 5 ping response, byte for byte", r(b"aa", {b"id": M}))
vec("bep5_find_node_query", "BEP 5 find_node query, byte for byte",
    q(b"aa", b"find_node", {b"id": A, b"target": M}))
vec("bep5_get_peers_query", "BEP 5 get_peers query, byte for byte",
    q(b"aa", b"get_peers", {b"id": A, b"info_hash": M}))
vec("bep5_get_peers_response_values", "BEP 5 get_peers response with peers, byte for byte",
    r(b"aa", {b"id": A, b"token": b"aoeusnth", b"values": [b"axje.u", b"idhtnm"]}))
vec("bep5_announce_peer_query", "BEP 5 announce_peer query (implied_port 1), byte for byte",
    q(b"aa", b"announce_peer",
      {b"id": A, b"implied_port": 1, b"info_hash": M, b"port": 6881, b"token": b"aoeusnth"}))
vec("bep5_announce_peer_response", "BEP 5 announce_peer response, byte for byte",
    r(b"aa", {b"id": M}))
vec("bep5_error", "BEP 5 error example (201, 'A Generic Error Ocurred' sic), byte for byte",
    e(b"aa", 201, b"A Generic Error Ocurred"))
# The BEP 5 find_node response and get_peers response with nodes use the 9-byte placeholder
# "def456..." for nodes, which is not a multiple of 26: they are in invalid.vectors, and here
# with real compact node info instead.
vec("bep5_find_node_response_real_nodes",
    "BEP 5 find_node response with the placeholder replaced by one real 26-byte node",
    r(b"aa", {b"id": b"0123456789abcdefghij", b"nodes": node4()}))
vec("bep5_get_peers_response_real_nodes",
    "BEP 5 get_peers response with nodes, placeholder replaced by one real 26-byte node",
    r(b"aa", {b"id": A, b"nodes": node4(), b"token": b"aoeusnth"}))

# --- every message type, as real nodes send them ----------------------------------------------
LT = b"LT\x01\x02"
UT = b"UT\xb5\x12"
vec("ping_query_binary_t_v", "ping with a binary transaction id and a libtorrent client version",
    q(rbytes(2), b"ping", {b"id": rbytes(20)}, v=LT))
vec("ping_response_ip4", "ping response with BEP 42 'ip' (our IPv4 address as seen) and 'v'",
    r(rbytes(2), {b"id": rbytes(20)}, ip=peer4(), v=UT))
vec("ping_response_ip6", "ping response with an 18-byte IPv6 BEP 42 'ip'",
    r(rbytes(2), {b"id": rbytes(20)}, ip=peer6()))
vec("find_node_query_want", "find_node with BEP 32 want [n4, n6]",
    q(rbytes(2), b"find_node", {b"id": rbytes(20), b"target": rbytes(20), b"want": [b"n4", b"n6"]},
      v=LT))
vec("find_node_query_ro", "find_node from a BEP 43 read-only node (ro=1) wanting only n6",
    q(rbytes(2), b"find_node", {b"id": rbytes(20), b"target": rbytes(20), b"want": [b"n6"]},
      ro=1))
vec("find_node_response_8_nodes", "find_node response with 8 IPv4 nodes",
    r(rbytes(2), {b"id": rbytes(20), b"nodes": b"".join(node4() for _ in range(8))}, v=UT))
vec("find_node_response_nodes6", "BEP 32 response with nodes (3) and nodes6 (4)",
    r(rbytes(2), {b"id": rbytes(20), b"nodes": b"".join(node4() for _ in range(3)),
                  b"nodes6": b"".join(node6() for _ in range(4))}))
vec("find_node_response_only_nodes6", "BEP 32 response with only nodes6 (2 IPv6 nodes)",
    r(rbytes(2), {b"id": rbytes(20), b"nodes6": b"".join(node6() for _ in range(2))}))
vec("find_node_response_90_nodes", "find_node response listing 90 nodes (2340-byte nodes string)",
    r(rbytes(2), {b"id": rbytes(20), b"nodes": b"".join(node4() for _ in range(90))}, v=LT))
vec("find_node_response_empty_nodes", "find_node response from a node with an empty table",
    r(rbytes(2), {b"id": rbytes(20), b"nodes": b""}))
vec("get_peers_query_ro", "get_peers from a BEP 43 read-only node (ro=1)",
    q(rbytes(2), b"get_peers", {b"id": rbytes(20), b"info_hash": rbytes(20)}, ro=1, v=LT))
vec("get_peers_query_scrape", "BEP 33 get_peers with scrape=1 and noseed=1",
    q(rbytes(2), b"get_peers",
      {b"id": rbytes(20), b"info_hash": rbytes(20), b"noseed": 1, b"scrape": 1}))
vec("get_peers_query_want_n6", "get_peers from a dual-stack node wanting n4 and n6",
    q(rbytes(4), b"get_peers",
      {b"id": rbytes(20), b"info_hash": rbytes(20), b"want": [b"n4", b"n6"]}))
vec("get_peers_response_nodes", "get_peers response with 8 nodes and a token, no peers",
    r(rbytes(2), {b"id": rbytes(20), b"nodes": b"".join(node4() for _ in range(8)),
                  b"token": rbytes(4)}, v=UT))
m309 = r(rbytes(2), {b"id": rbytes(20), b"nodes": b"".join(node4() for _ in range(8)),
                     b"token": rbytes(8), b"values": [peer4(), peer4()]})
assert len(raw(bencode(m309))) == 309, len(raw(bencode(m309)))
vec("get_peers_response_309",
    "realistic 309-byte get_peers response: id, 8 nodes, 8-byte token, 2 peers (the benchmark's)",
    m309)
vec("get_peers_response_values_ipv6", "get_peers response with 3 IPv6 peers (18-byte values)",
    r(rbytes(2), {b"id": rbytes(20), b"token": rbytes(8), b"values": [peer6() for _ in range(3)]}))
vec("get_peers_response_mixed", "dual-stack get_peers response: nodes, nodes6, v4 and v6 values",
    r(rbytes(2), {b"id": rbytes(20), b"nodes": b"".join(node4() for _ in range(2)),
                  b"nodes6": node6(), b"token": rbytes(4),
                  b"values": [peer4(), peer6(), peer4()]}, ip=peer4()))
vec("get_peers_response_empty_values", "get_peers response with an empty values list",
    r(rbytes(2), {b"id": rbytes(20), b"token": rbytes(4), b"values": []}))
vec("get_peers_response_bep33", "BEP 33 scrape response with BFpe and BFsd (256 bytes each)",
    r(rbytes(2), {b"BFpe": rbytes(256), b"BFsd": rbytes(256), b"id": rbytes(20),
                  b"nodes": node4(), b"token": rbytes(4)}))
vec("announce_peer_query_port", "announce_peer with an explicit port and no implied_port",
    q(rbytes(2), b"announce_peer",
      {b"id": rbytes(20), b"info_hash": rbytes(20), b"port": 51413, b"token": rbytes(4)}, v=UT))
vec("announce_peer_query_implied_port_0", "announce_peer with implied_port=0 sent explicitly",
    q(rbytes(2), b"announce_peer",
      {b"id": rbytes(20), b"implied_port": 0, b"info_hash": rbytes(20), b"port": 6881,
       b"token": rbytes(8)}))
vec("announce_peer_query_implied_port_no_port",
    "announce_peer with implied_port=1 and no port (accepted: the source port is used)",
    q(rbytes(2), b"announce_peer",
      {b"id": rbytes(20), b"implied_port": 1, b"info_hash": rbytes(20), b"token": rbytes(8)}))
vec("announce_peer_query_seed", "announce_peer with the BEP 33 'seed' flag (kept as an extra)",
    q(rbytes(2), b"announce_peer",
      {b"id": rbytes(20), b"info_hash": rbytes(20), b"port": 6881, b"seed": 1,
       b"token": rbytes(4)}))
vec("announce_peer_port_bounds", "announce_peer with port 65535 (the largest allowed)",
    q(rbytes(2), b"announce_peer",
      {b"id": rbytes(20), b"info_hash": rbytes(20), b"port": 65535, b"token": rbytes(4)}))
vec("sample_infohashes_query", "BEP 51 sample_infohashes query",
    q(rbytes(2), b"sample_infohashes", {b"id": rbytes(20), b"target": rbytes(20)}))
vec("sample_infohashes_response", "BEP 51 response: interval, nodes, num, 5 samples",
    r(rbytes(2), {b"id": rbytes(20), b"interval": 21600,
                  b"nodes": b"".join(node4() for _ in range(2)), b"num": 1234,
                  b"samples": rbytes(100)}))
vec("sample_infohashes_response_empty", "BEP 51 response with no samples and interval 0",
    r(rbytes(2), {b"id": rbytes(20), b"interval": 0, b"nodes": node4(), b"num": 0,
                  b"samples": b""}))
vec("bep44_get_query", "BEP 44 get query with target and seq",
    q(rbytes(2), b"get", {b"id": rbytes(20), b"seq": 3, b"target": rbytes(20)}))
vec("bep44_put_query", "BEP 44 put query (mutable) with cas, k, seq, sig, token and v",
    q(rbytes(2), b"put", {b"cas": 3, b"id": rbytes(20), b"k": rbytes(32), b"seq": 4,
                          b"sig": rbytes(64), b"token": rbytes(4), b"v": b"Hello World!"}))
vec("bep44_get_response_mutable", "BEP 44 get response: id, k, nodes, seq, sig, token, v",
    r(rbytes(2), {b"id": rbytes(20), b"k": rbytes(32), b"nodes": node4(), b"seq": 4,
                  b"sig": rbytes(64), b"token": rbytes(4), b"v": b"Hello World!"}))
vec("bep44_get_response_immutable", "BEP 44 get response whose v is a list (raw bytes kept)",
    r(rbytes(2), {b"id": rbytes(20), b"token": rbytes(4),
                  b"v": [b"spam", 42, {b"a": b"b", b"c": [1, 2]}]}))
vec("unknown_method_query", "a method nobody defines ('vote'): kept as Unknown so a server can answer 204",
    q(rbytes(2), b"vote", {b"id": rbytes(20), b"target": rbytes(20), b"vote": 5}))
vec("unknown_method_query_no_id", "an unknown method whose arguments lack id: still an Unknown query",
    q(b"zz", b"frobnicate", {b"x": [1, b"y"]}))
vec("error_204", "error 204 Method Unknown with a client version",
    e(rbytes(2), 204, b"Method Unknown", v=LT))
vec("error_203_utf8", "error 203 with a UTF-8 message",
    e(b"ab", 203, "Protocol Error: caf\u00e9"))
vec("error_202_ip", "error 202 carrying a BEP 42 ip",
    e(rbytes(2), 202, b"Server Error", ip=peer4()))
vec("error_empty_message", "error with an empty message string", e(b"e1", 201, b""))
vec("extras_top_level", "a query with unknown top-level keys (bs, p) that must be kept",
    q(rbytes(2), b"ping", {b"id": rbytes(20)}, bs=[b"x", 1], p=6881))
vec("extras_in_args", "get_peers with unknown keys in a (bs, noseed, p, seed)",
    q(rbytes(2), b"get_peers", {b"bs": 1, b"id": rbytes(20), b"info_hash": rbytes(20),
                                b"noseed": 0, b"p": 6881, b"seed": 0}))
vec("extras_in_response", "a response with unknown keys in r (bs, p, scrape) and at top level (p)",
    r(rbytes(2), {b"bs": {b"x": 1}, b"id": rbytes(20), b"p": 6881, b"scrape": 1}, p=1))
vec("transaction_id_tricky", "a 4-byte transaction id holding 'e', ':' and a digit",
    q(b"e:1\x00", b"ping", {b"id": rbytes(20)}))
vec("transaction_id_empty", "an empty transaction id (accepted)",
    r(b"", {b"id": rbytes(20)}))
vec("id_tricky_bytes", "an id made of bencode syntax bytes (d, e, l, i, :, digits)",
    q(b"aa", b"ping", {b"id": b"de:li0e9:d123456789e"}))
vec("extreme_integers", "64-bit integer limits and zero as extras in a",
    q(b"aa", b"ping", {b"id": A, b"max": 9223372036854775807, b"min": -9223372036854775808,
                        b"neg": -1, b"zero": 0}))
vec("ping_query_ro_0", "a query with ro=0 sent explicitly (kept as an extra)",
    q(b"aa", b"ping", {b"id": A}, ro=0))
vec("query_with_ip", "a query carrying a BEP 42 ip (kept as an extra)",
    q(b"aa", b"ping", {b"id": A}, ip=peer4()))
vec("response_with_stray_keys", "a response that also carries q, e and ro=1 (kept as extras)",
    r(b"aa", {b"id": M}, q=b"ping", e=[201, b"x"], ro=1))
vec("error_with_stray_keys", "an error that also carries a, q and ro=1 (kept as extras)",
    e(b"aa", 201, b"x", a={b"id": A}, q=b"ping", ro=1))
nest = b"l" * 14 + b"e" * 14


def nested(n):
    v = []
    for _ in range(n - 1):
        v = [v]
    return v


vec("deepest_nesting", "nesting exactly at the KRPC limit (16 levels: top, a, 14 lists)",
    q(b"aa", b"ping", {b"id": A, b"x": nested(14)}))

# --- valid but not canonical: must decode, re-encode sorted -----------------------------------
vec("unsorted_top_level", "ping query with top-level keys in t, y, q, a order",
    Unsorted([(b"t", b"aa"), (b"y", b"q"), (b"q", b"ping"), (b"a", {b"id": A})]), noncanonical)
vec("unsorted_args", "find_node with target before id",
    Unsorted([(b"a", Unsorted([(b"target", M), (b"id", A)])), (b"q", b"find_node"),
              (b"t", b"aa"), (b"y", b"q")]), noncanonical)
vec("unsorted_response", "get_peers response with r keys in values, token, nodes, id order",
    Unsorted([(b"y", b"r"), (b"t", rbytes(2)),
              (b"r", Unsorted([(b"values", [peer4()]), (b"token", rbytes(4)),
                               (b"nodes", node4()), (b"id", rbytes(20))]))]), noncanonical)
vec("unsorted_error", "error with keys in y, e, t order",
    Unsorted([(b"y", b"e"), (b"e", [201, b"A Generic Error"]), (b"t", b"aa")]), noncanonical)
vec("unsorted_extra_dict", "an extra dictionary value inside a whose own keys are unsorted",
    Unsorted([(b"a", Unsorted([(b"id", A), (b"zz", Unsorted([(b"b", 1), (b"a", 2)]))])),
              (b"q", b"ping"), (b"t", b"aa"), (b"y", b"q")]), noncanonical)
vec("unsorted_many_keys", "a response with 6 extra keys in reverse order",
    Unsorted([(b"y", b"r"), (b"x6", 6), (b"x5", 5), (b"x4", 4), (b"x3", 3), (b"t", b"aa"),
              (b"r", {b"id": M}), (b"x2", 2), (b"x1", 1)]), noncanonical)
vec("unsorted_version_before_t", "a real-world order: v before t, y last, a first",
    Unsorted([(b"a", {b"id": A}), (b"v", LT), (b"t", b"aa"), (b"q", b"ping"), (b"y", b"q")]),
    noncanonical)

# BEP 44 queries added later: at the end of the valid set, so the bytes above stay as they were
vec("bep44_get_query_no_seq", "BEP 44 get query without seq (immutable or any mutable item)",
    q(rbytes(2), b"get", {b"id": rbytes(20), b"target": rbytes(20)}))
vec("bep44_put_query_immutable", "BEP 44 immutable put: token and v (a dictionary) only",
    q(rbytes(2), b"put", {b"id": rbytes(20), b"token": rbytes(8),
                          b"v": {b"a": [1, 2], b"b": b"text"}}))
vec("bep44_put_query_salt", "BEP 44 mutable put with salt and without cas",
    q(rbytes(2), b"put", {b"id": rbytes(20), b"k": rbytes(32), b"salt": b"foobar", b"seq": 1,
                          b"sig": rbytes(64), b"token": rbytes(8), b"v": b"Hello World!"}))


HEADER = """# {title}
# Generated by tools/gen_krpc_vectors.py (seeded PRNG): edit that script, not this file.
#
# Format: blocks of 'key: value' lines. 'name:' starts a vector; 'description:' documents it.
# The bytes are the concatenation, in order, of every 'text:' (ASCII, with \\xNN and \\\\
# escapes), 'hex:' (hex digits) and 'repeat: N TEXT' (TEXT, escapes allowed, N times) line.
# Lines starting with '#' and blank lines are ignored.
"""


def write(fname, title, items):
    with open(os.path.join(OUT, fname), "w", newline="\n") as f:
        f.write(HEADER.format(title=title))
        for name, desc, segs in items:
            f.write("\nname: %s\n" % name)
            f.write("description: %s\n" % desc)
            for line in render(segs):
                f.write(line + "\n")


write("valid.vectors",
      "Valid, canonical KRPC messages: each must decode and re-encode byte-identical.", vectors)
write("valid-noncanonical.vectors",
      "Valid KRPC messages with unsorted keys: each must decode, and re-encode sorted.",
      noncanonical)
print(len(vectors), "valid,", len(noncanonical), "non-canonical")


# --- invalid: each with the reason (substring) and the offset a strict decoder reports ---------
# The error offset is marked with <@> in the bytes; ('repeat', n, unit) items repeat a unit.
MARK = b"<@>"
ID = b"2:id20:" + A
PING_A = b"d1:a" + b"d" + ID + b"e"  # 'a' of a ping, open top-level dict
invalid = []


def bad(name, desc, parts, reason, t=None):
    if isinstance(parts, bytes):
        parts = [parts]
    data = b""
    offset = None
    lines = []
    for p in parts:
        if isinstance(p, tuple):
            _, n, unit = p
            data += unit * n
            lines.append("repeat: %d %s" % (n, esc(unit)))
        else:
            if MARK in p:
                assert offset is None
                offset = len(data) + p.index(MARK)
                p = p.replace(MARK, b"")
            data += p
            for i in range(0, len(p), 96):
                lines.append("text: " + esc(p[i:i + 96]))
    assert offset is not None, name
    invalid.append((name, desc, lines, reason, offset, t))


def esc(b):
    out = []
    for c in b:
        if c == 0x5c:
            out.append("\\\\")
        elif 0x20 <= c < 0x7f:
            out.append(chr(c))
        else:
            out.append("\\x%02x" % c)
    s = "".join(out)
    assert not s.endswith(" ")
    return s


TAIL_Q = b"1:q4:ping1:t2:aa1:y1:qe"
# bencode-level errors, inside otherwise plausible messages
bad("int_leading_zero", "port i06881e: leading zero in an integer (inside a, before t)",
    b"d1:ad" + ID + b"9:info_hash20:" + M + b"4:port<@>i06881e5:token2:xxe1:q13:announce_peer1:t2:aa1:y1:qe",
    "integer has a leading zero")
bad("int_leading_zero_after_t", "an extra key z after t holding i00e",
    PING_A + TAIL_Q[:-1] + b"1:z<@>i00ee", "integer has a leading zero", t="aa")
bad("string_length_leading_zero", "v given as 04:LT..: leading zero in a string length",
    PING_A + b"1:q4:ping1:t2:aa1:v<@>04:LT\x01\x021:y1:qe", "byte string length has a leading zero",
    t="aa")
bad("string_length_leading_zero_t", "t given as 02:aa", b"d1:t<@>02:aa1:y1:qe",
    "byte string length has a leading zero")
bad("negative_zero", "i-0e after t", PING_A + TAIL_Q[:-1] + b"1:z<@>i-0ee", "negative zero", t="aa")
bad("int_minus_only", "i-e inside a", b"d1:ad" + ID + b"3:num<@>i-ee" + TAIL_Q,
    "integer has no digits")
bad("int_empty", "ie after t", PING_A + TAIL_Q[:-1] + b"1:z<@>iee", "integer has no digits", t="aa")
bad("int_overflow", "i9223372036854775808e (2^63) after t",
    PING_A + TAIL_Q[:-1] + b"1:z<@>i9223372036854775808ee", "integer overflows 64 bits", t="aa")
bad("int_underflow", "i-9223372036854775809e after t",
    PING_A + TAIL_Q[:-1] + b"1:z<@>i-9223372036854775809ee", "integer overflows 64 bits", t="aa")
bad("int_huge", "a 40-digit integer", PING_A + TAIL_Q[:-1] + b"1:z<@>i" + b"9" * 40 + b"ee",
    "integer overflows 64 bits", t="aa")
bad("int_plus_sign", "i+1e", PING_A + TAIL_Q[:-1] + b"1:zi<@>+1ee", "invalid character in integer",
    t="aa")
bad("int_bad_char", "i12a4e inside a", b"d1:ad" + ID + b"3:numi12<@>a4ee" + TAIL_Q,
    "invalid character in integer")
bad("int_space", "i 1e", PING_A + TAIL_Q[:-1] + b"1:zi<@> 1ee", "invalid character in integer",
    t="aa")
bad("int_unterminated", "an integer running to the end of input", b"d1:t2:aa1:z<@>i123",
    "unterminated integer", t="aa")
bad("huge_string_length", "400000000:a must fail at once, before allocating anything",
    b"d1:t<@>400000000:a", "byte string length 400000000 exceeds remaining input 1")
bad("string_length_too_large", "a string length beyond 2^31", b"d1:t<@>99999999999:a",
    "byte string length too large")
bad("string_length_bad_char", "2x:aa", b"d1:t2<@>x:aa1:y1:qe", "invalid byte string length")
bad("string_length_unterminated", "a string length running to the end of input", b"d1:t<@>12",
    "unterminated byte string length")
bad("string_negative_length", "-1:a as a value", b"d1:t<@>-1:a1:y1:qe", "unexpected byte 0x2d")
bad("string_truncated", "the id string is cut short",
    b"d1:ad2:id<@>20:abcdefgh", "byte string length 20 exceeds remaining input 8")
bad("bad_byte", "0xff where a value should start", b"d1:t<@>\xff", "unexpected byte 0xff")
bad("unexpected_e", "'e' where a value should start", b"d1:t<@>e", "unexpected 'e'")
bad("deep_nesting", "10000 nested lists in a: rejected at the 16-level KRPC limit",
    [b"d1:a", ("repeat", 15, b"l"), b"<@>", ("repeat", 10000 - 15, b"l")],
    "nesting deeper than 16")
bad("deep_nesting_dicts", "10000 nested dictionaries d1:a...",
    [("repeat", 16, b"d1:a"), b"<@>", ("repeat", 10000 - 16, b"d1:a")], "nesting deeper than 16")
bad("deepest_nesting_plus_one", "one level more than the deepest valid vector",
    b"d1:ad" + ID + b"1:x" + b"l" * 14 + b"<@>l" + b"e" * 15 + b"e" + TAIL_Q, "nesting deeper than 16")
bad("duplicate_key_sorted", "t twice in a row",
    PING_A + b"1:q4:ping1:t2:aa<@>1:t2:bb1:y1:qe", "duplicate dictionary key", t="aa")
bad("duplicate_key_unsorted", "t, y, q, then t again (unsorted dictionary)",
    b"d1:t2:aa1:y1:q1:q4:ping<@>1:t2:bb1:ad" + ID + b"ee", "duplicate dictionary key", t="aa")
bad("duplicate_key_not_adjacent", "a, q, t, then a again",
    PING_A + b"1:q4:ping1:t2:aa<@>1:ad" + ID + b"e1:y1:qe", "duplicate dictionary key", t="aa")
bad("duplicate_key_in_args", "id twice inside a", b"d1:ad" + ID + b"<@>" + ID + b"e" + TAIL_Q,
    "duplicate dictionary key")
bad("duplicate_key_nested_unsorted", "a duplicate inside an unsorted extra dictionary",
    b"d1:ad" + ID + b"1:xd1:bi1e1:ai2e<@>1:bi3eee" + TAIL_Q, "duplicate dictionary key")
bad("non_string_key", "an integer as a dictionary key", b"d<@>i1e1:ae",
    "dictionary key must be a byte string")
bad("list_as_key", "a list as a dictionary key after t", b"d1:t2:aa<@>l1:ae1:xe",
    "dictionary key must be a byte string", t="aa")
bad("trailing_data", "one byte after a complete ping", b"d1:ad" + ID + b"e" + TAIL_Q + b"<@>x",
    "trailing data after the value (1 bytes)", t="aa")
bad("trailing_message", "two pings in one datagram",
    b"d1:ad" + ID + b"e" + TAIL_Q + b"<@>d1:ad" + ID + b"e" + TAIL_Q,
    "trailing data after the value", t="aa")
# truncations
bad("truncated_empty", "an empty datagram", b"<@>", "a KRPC message must be a dictionary")
bad("truncated_after_d", "just 'd'", b"d<@>", "unterminated dictionary")
bad("truncated_after_key", "a key with no value", b"d1:ad2:id<@>", "unexpected end of input")
bad("truncated_in_length", "cut inside a string length", b"d1:ad2:id<@>2",
    "unterminated byte string length")
bad("truncated_in_int", "cut inside an integer",
    b"d1:ad" + ID + b"9:info_hash20:" + M + b"4:port<@>i68", "unterminated integer")
bad("truncated_in_list", "cut inside values",
    b"d1:rd" + ID + b"5:token8:aoeusnth6:valuesl6:axje.u<@>", "unterminated list")
bad("truncated_before_last_e", "a ping without its final 'e'",
    b"d1:ad" + ID + b"e" + TAIL_Q[:-1] + b"<@>", "unterminated dictionary", t="aa")
bad("truncated_inner_dict", "a ping whose a is never closed",
    b"d1:ad" + ID + b"<@>", "unterminated dictionary")
# KRPC structure
bad("not_a_dict_list", "a list at top level", b"<@>l1:ae", "a KRPC message must be a dictionary")
bad("not_a_dict_int", "an integer at top level", b"<@>i1e", "a KRPC message must be a dictionary")
bad("not_a_dict_string", "a string at top level", b"<@>4:spam",
    "a KRPC message must be a dictionary")
bad("too_large", "65508 bytes: larger than any UDP datagram",
    [b"<@>", ("repeat", 65508, b"d")], "message larger than 65507 bytes")
bad("missing_t", "a ping without t", b"<@>" + PING_A + b"1:q4:ping1:y1:qe",
    "missing transaction id 't'")
bad("t_not_a_string", "t given as an integer", b"<@>" + PING_A + b"1:q4:ping1:ti1e1:y1:qe",
    "missing transaction id 't'")
bad("missing_y", "a ping without y", b"<@>" + PING_A + b"1:q4:ping1:t2:aae",
    "missing message type 'y'", t="aa")
bad("unknown_y", "y = x", b"<@>" + PING_A + b"1:q4:ping1:t2:aa1:y1:xe",
    "unknown message type 'y'", t="aa")
bad("unknown_y_long", "y = query", b"<@>" + PING_A + b"1:q4:ping1:t2:aa1:y5:querye",
    "unknown message type 'y'", t="aa")
bad("unknown_y_high_byte", "y = 0xff", b"<@>" + PING_A + b"1:q4:ping1:t2:aa1:y1:\xffe",
    "unknown message type 'y'", t="aa")
bad("y_not_a_string", "y given as an integer", b"<@>" + PING_A + b"1:q4:ping1:t2:aa1:yi1ee",
    "missing message type 'y'", t="aa")
bad("query_without_a", "a query with no arguments", b"<@>d1:q4:ping1:t2:aa1:y1:qe",
    "query without arguments 'a'", t="aa")
bad("query_with_r_not_a", "a query carrying r instead of a",
    b"<@>d1:q4:ping1:rd" + ID + b"e1:t2:aa1:y1:qe", "query without arguments 'a'", t="aa")
bad("query_a_not_a_dict", "a query whose a is a list",
    b"<@>d1:al2:ide1:q4:ping1:t2:aa1:y1:qe", "query without arguments 'a'", t="aa")
bad("query_without_q", "a query with no method", b"<@>" + PING_A + b"1:t2:aa1:y1:qe",
    "query without method 'q'", t="aa")
bad("response_without_r", "a response with no r", b"<@>d1:t2:aa1:y1:re", "response without 'r'",
    t="aa")
bad("error_without_e", "an error with no e", b"<@>d1:t2:aa1:y1:ee", "error without 'e'", t="aa")
bad("error_e_not_a_list", "an error whose e is a string", b"<@>d1:e3:bad1:t2:aa1:y1:ee",
    "error without 'e'", t="aa")
bad("both_a_and_r", "a message with both a and r",
    PING_A + b"1:q4:ping1:r<@>d" + ID + b"e1:t2:aa1:y1:qe", "message has both 'a' and 'r'")
bad("missing_id", "ping with empty arguments", b"d1:a<@>de" + TAIL_Q, "query arguments lack 'id'",
    t="aa")
bad("id_19_bytes", "an id of 19 bytes", b"d1:ad2:id<@>19:" + A[:19] + b"e" + TAIL_Q,
    "'id' must be 20 bytes, got 19", t="aa")
bad("id_21_bytes", "a response id of 21 bytes", b"d1:rd2:id<@>21:" + A + b"xe1:t2:aa1:y1:re",
    "'id' must be 20 bytes, got 21", t="aa")
bad("id_not_a_string", "id given as an integer", b"d1:ad2:id<@>i5ee" + TAIL_Q,
    "'id' must be a byte string", t="aa")
bad("response_missing_id", "a response with empty r", b"d1:r<@>de1:t2:aa1:y1:re",
    "response lacks 'id'", t="aa")
bad("find_node_without_target", "find_node with only id",
    b"d1:a<@>d" + ID + b"e1:q9:find_node1:t2:aa1:y1:qe", "find_node lacks 'target'", t="aa")
bad("target_19_bytes", "find_node target of 19 bytes",
    b"d1:ad" + ID + b"6:target<@>19:" + M[:19] + b"e1:q9:find_node1:t2:aa1:y1:qe",
    "'target' must be 20 bytes, got 19", t="aa")
bad("get_peers_without_info_hash", "get_peers with only id",
    b"d1:a<@>d" + ID + b"e1:q9:get_peers1:t2:aa1:y1:qe", "get_peers lacks 'info_hash'", t="aa")
bad("sample_infohashes_without_target", "sample_infohashes with only id",
    b"d1:a<@>d" + ID + b"e1:q17:sample_infohashes1:t2:aa1:y1:qe",
    "sample_infohashes lacks 'target'", t="aa")
ANN = b"1:q13:announce_peer1:t2:aa1:y1:qe"
bad("announce_without_token", "announce_peer without token",
    b"d1:a<@>d" + ID + b"9:info_hash20:" + M + b"4:porti6881ee" + ANN,
    "announce_peer lacks 'token'", t="aa")
bad("announce_without_info_hash", "announce_peer without info_hash",
    b"d1:a<@>d" + ID + b"4:porti6881e5:token2:xxe" + ANN, "announce_peer lacks 'info_hash'", t="aa")
bad("announce_without_port", "announce_peer with neither port nor implied_port",
    b"d1:a<@>d" + ID + b"9:info_hash20:" + M + b"5:token2:xxe" + ANN, "announce_peer lacks 'port'",
    t="aa")
bad("announce_implied_port_0_without_port", "implied_port=0 does not replace port",
    b"d1:a<@>d" + ID + b"12:implied_porti0e9:info_hash20:" + M + b"5:token2:xxe" + ANN,
    "announce_peer lacks 'port'", t="aa")
bad("port_out_of_range", "port 65536",
    b"d1:ad" + ID + b"9:info_hash20:" + M + b"4:port<@>i65536e5:token2:xxe" + ANN,
    "'port' out of range: 65536", t="aa")
bad("port_negative", "port -1",
    b"d1:ad" + ID + b"9:info_hash20:" + M + b"4:port<@>i-1e5:token2:xxe" + ANN,
    "'port' out of range: -1", t="aa")
bad("port_not_an_integer", "port given as a string",
    b"d1:ad" + ID + b"9:info_hash20:" + M + b"4:port<@>4:68815:token2:xxe" + ANN,
    "'port' must be an integer", t="aa")
bad("implied_port_not_an_integer", "implied_port given as a string",
    b"d1:ad" + ID + b"12:implied_port<@>1:19:info_hash20:" + M + b"5:token2:xxe" + ANN,
    "'implied_port' must be an integer", t="aa")
bad("token_not_a_string", "announce token given as an integer",
    b"d1:ad" + ID + b"9:info_hash20:" + M + b"4:porti1e5:token<@>i1ee" + ANN,
    "'token' must be a byte string", t="aa")
bad("want_not_strings", "want holding an integer",
    b"d1:ad" + ID + b"6:target20:" + M + b"4:wantl<@>i4eee1:q9:find_node1:t2:aa1:y1:qe",
    "'want' must be a list of byte strings", t="aa")
RT = b"e1:t2:aa1:y1:re"
bad("bep5_find_node_response_literal",
    "the BEP 5 find_node response as printed: its 9-byte 'def456...' placeholder is not a node",
    b"d1:rd2:id20:0123456789abcdefghij5:nodes<@>9:def456..." + RT,
    "'nodes' length 9 is not a multiple of 26", t="aa")
bad("bep5_get_peers_response_nodes_literal",
    "the BEP 5 get_peers response with nodes as printed (9-byte placeholder)",
    b"d1:rd2:id20:abcdefghij01234567895:nodes<@>9:def456...5:token8:aoeusnth" + RT,
    "'nodes' length 9 is not a multiple of 26", t="aa")
bad("nodes_25_bytes", "a nodes string one byte short of a node",
    b"d1:rd" + ID + b"5:nodes<@>25:" + b"n" * 25 + RT, "'nodes' length 25 is not a multiple of 26",
    t="aa")
bad("nodes_not_a_string", "nodes given as a list", b"d1:rd" + ID + b"5:nodes<@>le" + RT,
    "'nodes' must be a byte string", t="aa")
bad("nodes6_26_bytes", "nodes6 holding an IPv4 node",
    b"d1:rd" + ID + b"6:nodes6<@>26:" + b"n" * 26 + RT, "'nodes6' length 26 is not a multiple of 38",
    t="aa")
bad("nodes6_37_bytes", "BEP 32: nodes6 truncated one byte short of a node",
    b"d1:rd" + ID + b"6:nodes6<@>37:" + b"n" * 37 + RT, "'nodes6' length 37 is not a multiple of 38",
    t="aa")
bad("nodes6_odd_length", "BEP 32: two IPv6 nodes and one stray byte in nodes6",
    b"d1:rd" + ID + b"6:nodes6<@>77:" + b"n" * 77 + RT, "'nodes6' length 77 is not a multiple of 38",
    t="aa")
bad("nodes_38_bytes", "BEP 32: an IPv6 node (38 bytes) in the IPv4 nodes field",
    b"d1:rd" + ID + b"5:nodes<@>38:" + b"n" * 38 + RT, "'nodes' length 38 is not a multiple of 26",
    t="aa")
bad("values_entry_5_bytes", "a values entry of 5 bytes",
    b"d1:rd" + ID + b"5:token2:xx6:valuesl6:axje.u<@>5:idhtne" + RT,
    "'values' entry must be 6 or 18 bytes, got 5", t="aa")
bad("values_entry_26_bytes", "a node info (26 bytes) in values",
    b"d1:rd" + ID + b"5:token2:xx6:valuesl<@>26:" + b"v" * 26 + b"e" + RT,
    "'values' entry must be 6 or 18 bytes, got 26", t="aa")
bad("values_not_a_list", "values given as one string",
    b"d1:rd" + ID + b"5:token2:xx6:values<@>6:axje.u" + RT, "'values' must be a list", t="aa")
bad("values_entry_not_a_string", "an integer in values",
    b"d1:rd" + ID + b"5:token2:xx6:valuesl<@>i1ee" + RT, "'values' entries must be byte strings",
    t="aa")
bad("samples_30_bytes", "BEP 51 samples not a multiple of 20",
    b"d1:rd" + ID + b"7:samples<@>30:" + b"s" * 30 + RT,
    "'samples' must be a multiple of 20 bytes, got 30", t="aa")
bad("interval_not_an_integer", "BEP 51 interval given as a string",
    b"d1:rd" + ID + b"8:interval<@>2:60" + RT, "'interval' must be an integer", t="aa")
bad("k_31_bytes", "BEP 44 k of 31 bytes", b"d1:rd" + ID + b"1:k<@>31:" + b"k" * 31 + RT,
    "'k' must be 32 bytes, got 31", t="aa")
bad("sig_63_bytes", "BEP 44 sig of 63 bytes", b"d1:rd" + ID + b"3:sig<@>63:" + b"s" * 63 + RT,
    "'sig' must be 64 bytes, got 63", t="aa")
bad("seq_not_an_integer", "BEP 44 seq given as a string", b"d1:rd" + ID + b"3:seq<@>1:1" + RT,
    "'seq' must be an integer", t="aa")
bad("bfsd_255_bytes", "BEP 33 BFsd of 255 bytes", b"d1:rd4:BFsd<@>255:" + b"b" * 255 + ID + RT,
    "'BFsd' must be 256 bytes, got 255", t="aa")
TQ_GET = b"e1:q3:get1:t2:aa1:y1:qe"
TQ_PUT = b"e1:q3:put1:t2:aa1:y1:qe"
bad("get_without_target", "BEP 44 get query lacking target", b"d1:a<@>d" + ID + TQ_GET,
    "get lacks 'target'", t="aa")
bad("get_seq_not_an_integer", "BEP 44 get query with seq given as a string",
    b"d1:ad" + ID + b"3:seq<@>1:16:target20:" + M + TQ_GET, "'seq' must be an integer", t="aa")
bad("put_without_token", "BEP 44 put lacking token", b"d1:a<@>d" + ID + b"1:v3:abc" + TQ_PUT,
    "put lacks 'token'", t="aa")
bad("put_without_v", "BEP 44 put lacking v", b"d1:a<@>d" + ID + b"5:token2:xx" + TQ_PUT,
    "put lacks 'v'", t="aa")
bad("put_k_31_bytes", "BEP 44 put whose k is 31 bytes",
    b"d1:ad" + ID + b"1:k<@>31:" + b"k" * 31 + b"3:seqi1e5:token2:xx1:v3:abc" + TQ_PUT,
    "'k' must be 32 bytes, got 31", t="aa")
bad("put_sig_65_bytes", "BEP 44 put whose sig is 65 bytes",
    b"d1:ad" + ID + b"1:k32:" + b"k" * 32 + b"3:seqi1e3:sig<@>65:" + b"s" * 65
    + b"5:token2:xx1:v3:abc" + TQ_PUT, "'sig' must be 64 bytes, got 65", t="aa")
bad("put_k_without_sig", "BEP 44 mutable put lacking sig",
    b"d1:a<@>d" + ID + b"1:k32:" + b"k" * 32 + b"3:seqi1e5:token2:xx1:v3:abc" + TQ_PUT,
    "mutable put needs 'k', 'sig' and 'seq'", t="aa")
bad("put_immutable_with_salt", "BEP 44 put with salt but no k",
    b"d1:a<@>d" + ID + b"4:salt3:abc5:token2:xx1:v3:abc" + TQ_PUT,
    "immutable put with 'seq', 'cas' or 'salt'", t="aa")
bad("put_salt_not_a_string", "BEP 44 put with salt given as an integer",
    b"d1:ad" + ID + b"1:k32:" + b"k" * 32 + b"4:salt<@>i1e" + TQ_PUT,
    "'salt' must be a byte string", t="aa")
ET = b"1:t2:aa1:y1:ee"
bad("error_without_code", "an error list holding only a message",
    b"d1:e<@>l23:A Generic Error Ocurrede" + ET, "'e' must start with an integer code", t="aa")
bad("error_empty_list", "an empty error list", b"d1:e<@>le" + ET,
    "'e' must start with an integer code", t="aa")
bad("error_code_out_of_range", "an error code beyond 32 bits",
    b"d1:e<@>li4294967296e3:bade" + ET, "error code out of range", t="aa")
bad("error_message_not_a_string", "an error message given as an integer",
    b"d1:eli201e<@>i5ee" + ET, "error message must be a byte string", t="aa")
bad("error_three_elements", "an error list with a third element",
    b"d1:eli201e3:bad<@>3:xyze" + ET, "'e' must hold a code and a message only", t="aa")

with open(os.path.join(OUT, "invalid.vectors"), "w", newline="\n") as f:
    f.write(HEADER.format(
        title="Malformed KRPC datagrams and the error a strict decoder must report."))
    f.write("# Invalid vectors add 'reason:' (substring of the reason), 'offset:' (byte offset of\n"
            "# the error) and 't:' when the error must carry the transaction id.\n")
    for name, desc, lines, reason, offset, t in invalid:
        f.write("\nname: %s\n" % name)
        f.write("description: %s\n" % desc)
        for line in lines:
            f.write(line + "\n")
        f.write("reason: %s\n" % reason)
        f.write("offset: %d\n" % offset)
        if t is not None:
            f.write("t: %s\n" % t)
print(len(invalid), "invalid")
