#!/usr/bin/env node
// Run N npm `bittorrent-dht` nodes on loopback, driven by JSON lines on stdin.
//
// Every node is its own DHT instance bound to its own 127.x.y.z address.
// One JSON command per stdin line, one JSON reply per stdout line; stderr is
// for human-readable diagnostics.  The protocol is the same as lt_node.py's;
// see interop/README.md.
//
// The process exits on stdin EOF, SIGTERM/SIGINT/SIGHUP, and after
// --max-lifetime seconds.

import DHT from 'bittorrent-dht'
import bencode from 'bencode'
import crypto from 'crypto'
import net from 'net'
import readline from 'readline'
import fs from 'fs'

const PROTOCOL_VERSION = 1
const DHT_VERSION = (() => {
  try {
    const p = new URL('./node_modules/bittorrent-dht/package.json', import.meta.url)
    return JSON.parse(fs.readFileSync(p, 'utf8')).version
  } catch (e) { return 'unknown' }
})()

// ---------------------------------------------------------------- arguments

const USAGE = `usage: node bt_node.js [options]
  --count N              number of DHT nodes (default 1)
  --ip-base IP           address of node 0; node i gets ip-base + i (default 127.2.0.1)
  --port P               UDP port of every node; 0 = ephemeral (default 0)
  --bootstrap LIST       comma separated ip:port contacts used at start (default: none)
  --ids LIST             comma separated hex node ids for nodes 0..k-1 (rest random)
  --seed S               seed for random node ids (reproducible ids)
  --max-lifetime SEC     hard limit after which the process exits (default 600)
  --latency-ms MEAN      delay every reply by a random latency with this mean (default 0)
  --latency-dist D       exp | uniform | fixed (default exp; uniform = [0, 2*MEAN])
  --latency-scope S      replies | all  (all = also delay outgoing queries) (default replies)
  --silent K             the last K nodes never answer queries (dead nodes) (default 0)
  --max-reply-nodes K    cap 'nodes' in find_node/get_peers/get replies to the K closest
                         (default 8; 0 = unmodified bittorrent-dht, whole routing table)
  --max-reply-values V   cap 'values' in get_peers replies (default 100; 0 = unlimited)
  --watch LIST           comma separated ip:port endpoints whose packets are recorded
  --verbose              diagnostics on stderr`

function parseArgs (argv) {
  const a = {
    count: 1,
    ipBase: '127.2.0.1',
    port: 0,
    bootstrap: '',
    ids: '',
    seed: null,
    maxLifetime: 600,
    latencyMs: 0,
    latencyDist: 'exp',
    latencyScope: 'replies',
    silent: 0,
    maxReplyNodes: 8,
    maxReplyValues: 100,
    watch: '',
    verbose: false
  }
  const num = (v, name) => {
    const n = Number(v)
    if (!Number.isFinite(n)) die(`bad number for ${name}: ${v}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const v = () => {
      if (i + 1 >= argv.length) die(`missing value for ${k}`)
      return argv[++i]
    }
    switch (k) {
      case '--count': a.count = num(v(), k); break
      case '--ip-base': a.ipBase = v(); break
      case '--port': a.port = num(v(), k); break
      case '--bootstrap': a.bootstrap = v(); break
      case '--ids': a.ids = v(); break
      case '--seed': a.seed = num(v(), k); break
      case '--max-lifetime': a.maxLifetime = num(v(), k); break
      case '--latency-ms': a.latencyMs = num(v(), k); break
      case '--latency-dist': a.latencyDist = v(); break
      case '--latency-scope': a.latencyScope = v(); break
      case '--silent': a.silent = num(v(), k); break
      case '--max-reply-nodes': a.maxReplyNodes = num(v(), k); break
      case '--max-reply-values': a.maxReplyValues = num(v(), k); break
      case '--watch': a.watch = v(); break
      case '--verbose': a.verbose = true; break
      case '-h': case '--help': process.stdout.write(USAGE + '\n'); process.exit(0); break
      default: die(`unknown option ${k}\n${USAGE}`)
    }
  }
  if (a.count < 1) die('--count must be >= 1')
  if (!['exp', 'uniform', 'fixed'].includes(a.latencyDist)) die('--latency-dist must be exp|uniform|fixed')
  if (!['replies', 'all'].includes(a.latencyScope)) die('--latency-scope must be replies|all')
  if (a.silent < 0 || a.silent > a.count) die('--silent must be between 0 and --count')
  return a
}

function die (msg) {
  process.stderr.write(`[bt_node] ${msg}\n`)
  process.exit(2)
}

function log (msg) {
  process.stderr.write(`[bt_node ${process.pid}] ${msg}\n`)
}

// ---------------------------------------------------------------- helpers

function allocIps (base, n) {
  if (net.isIPv4(base) !== true) die(`bad --ip-base ${base}`)
  let v = base.split('.').reduce((acc, x) => acc * 256 + Number(x), 0)
  const out = []
  while (out.length < n) {
    const ip = [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.')
    const last = v & 255
    if (last !== 0 && last !== 255) {
      if (!ip.startsWith('127.')) die(`address ${ip} is outside 127.0.0.0/8`)
      out.push(ip)
    }
    v++
  }
  return out
}

function parseEp (s) {
  if (typeof s !== 'string') throw new Error(`bad endpoint ${JSON.stringify(s)} (want "ip:port")`)
  const i = s.lastIndexOf(':')
  const host = s.slice(0, i)
  const port = Number(s.slice(i + 1))
  if (i <= 0 || !net.isIPv4(host) || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`bad endpoint ${JSON.stringify(s)} (want "ip:port")`)
  }
  return { host, port }
}

function parseHash (h) {
  if (typeof h !== 'string' || !/^[0-9a-fA-F]{40}$/.test(h)) throw new Error('infohash must be 40 hex characters')
  return Buffer.from(h, 'hex')
}

// small deterministic PRNG (mulberry32) for --seed
function makeRng (seed) {
  let t = seed >>> 0
  return function () {
    t = (t + 0x6D2B79F5) >>> 0
    let r = Math.imul(t ^ (t >>> 15), 1 | t)
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296
  }
}

function round3 (x) { return Math.round(x * 1000) / 1000 }
function round6 (x) { return Math.round(x * 1e6) / 1e6 }

function toJsonable (v, depth = 0) {
  if (depth > 6) return '...'
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) {
    const b = Buffer.from(v)
    const s = b.toString('latin1')
    return /^[\x20-\x7e]*$/.test(s) ? s : b.toString('hex')
  }
  if (Array.isArray(v)) return v.map(x => toJsonable(x, depth + 1))
  if (v && typeof v === 'object') {
    const o = {}
    for (const k of Object.keys(v)) o[k] = toJsonable(v[k], depth + 1)
    return o
  }
  return v
}

function send (obj) {
  try {
    process.stdout.write(JSON.stringify(obj) + '\n')
  } catch (e) {
    process.exit(0)
  }
}

// ---------------------------------------------------------------- state

const args = parseArgs(process.argv.slice(2))
const T0 = Date.now()
const nowS = () => (Date.now() - T0) / 1000
const rng = args.seed !== null ? makeRng(args.seed) : null
const latencyRng = args.seed !== null ? makeRng(args.seed + 1) : Math.random
const watchEps = new Set()
const events = [] // recorded packets of watched endpoints (bounded)
const MAX_EVENTS = 20000
const watchCounts = new Map() // ep -> {key: count}
const bootContacts = args.bootstrap.split(',').map(s => s.trim()).filter(Boolean).map(parseEp)
for (const e of args.watch.split(',').map(s => s.trim()).filter(Boolean)) watchEps.add(epKey(parseEp(e)))
const nodes = []
let stopping = false

function epKey (ep) { return `${ep.host || ep.address}:${ep.port}` }

function count (ep, key) {
  let c = watchCounts.get(ep)
  if (!c) { c = {}; watchCounts.set(ep, c) }
  c[key] = (c[key] || 0) + 1
}

function drawLatency () {
  const m = args.latencyMs
  if (m <= 0) return 0
  const u = latencyRng()
  if (args.latencyDist === 'fixed') return m
  if (args.latencyDist === 'uniform') return u * 2 * m
  return -m * Math.log(1 - u) // exponential with mean m
}

function recordPacket (node, dir, ep, buf) {
  const key = epKey(ep)
  if (!watchEps.has(key)) return
  const rec = { t: round3(nowS()), node: node.index, kind: 'pkt', dir, peer: key, size: buf.length }
  let msg = null
  try { msg = bencode.decode(buf) } catch (e) { rec.y = '?'; rec.decode_error = String(e.message || e) }
  if (msg) {
    const y = msg.y ? Buffer.from(msg.y).toString() : '?'
    rec.y = y
    if (msg.t) rec.tid = Buffer.from(msg.t).toString('hex')
    if (y === 'q') rec.q = msg.q ? Buffer.from(msg.q).toString() : '?'
    if (y === 'e') rec.e = toJsonable(msg.e)
    if (y === 'r' && msg.r) {
      rec.keys = Object.keys(msg.r).sort()
      if (msg.r.nodes) rec.nodes = Math.floor(msg.r.nodes.length / 26)
      if (Array.isArray(msg.r.values)) rec.values = msg.r.values.length
    }
    rec.msg = toJsonable(msg)
  }
  events.push(rec)
  if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS)
  count(key, `${dir}_${rec.y}${rec.q ? '_' + rec.q : ''}`)
}

// ---------------------------------------------------------------- node setup

function makeNode (index, ip, id) {
  const node = {
    index,
    ip,
    id,
    port: 0,
    silent: index >= args.count - args.silent,
    dht: null,
    stats: {
      queries_in: {},
      replies_out: 0,
      errors_out: 0,
      dropped_silent: 0,
      queries_out: 0,
      responses_in: 0,
      timeouts: 0,
      warnings: 0,
      reply_nodes_trimmed: 0,
      reply_values_trimmed: 0,
      latency_sum_ms: 0,
      latency_n: 0
    },
    announcesIn: [],
    warnings: [],
    traces: new Map(), // infohash hex -> per-lookup counters of a get_peers with until_done
    torrents: new Set()
  }
  const dht = new DHT({
    nodeId: id,
    bootstrap: bootContacts.map(e => `${e.host}:${e.port}`), // ALWAYS explicit: unset = public routers
    host: false
  })
  node.dht = dht
  const rpc = dht._rpc // k-rpc
  const sock = rpc.socket // k-rpc-socket
  const udp = sock.socket // dgram socket

  // --- reply size cap: k-rpc's response(node, query, response, nodes, cb)
  // bittorrent-dht passes rpc.nodes.closest(target) == the WHOLE routing table,
  // sorted by distance; keep only the K closest so replies fit in 1500 bytes.
  const origResponse = rpc.response.bind(rpc)
  rpc.response = function (peer, query, response, nodesList, cb) {
    if (typeof nodesList === 'function') { cb = nodesList; nodesList = null }
    if (Array.isArray(nodesList) && args.maxReplyNodes > 0 && nodesList.length > args.maxReplyNodes) {
      nodesList = nodesList.slice(0, args.maxReplyNodes)
      node.stats.reply_nodes_trimmed++
    }
    if (response && Array.isArray(response.values) && args.maxReplyValues > 0 &&
        response.values.length > args.maxReplyValues) {
      response.values = response.values.slice(0, args.maxReplyValues)
      node.stats.reply_values_trimmed++
    }
    return origResponse(peer, query, response, nodesList, cb)
  }

  // --- silent (dead) nodes and latency: wrap the socket-level reply paths
  const wrapReply = (name) => {
    const orig = sock[name].bind(sock)
    sock[name] = function (peer, req, res, cb) {
      if (node.silent) { node.stats.dropped_silent++; return }
      if (name === 'response') node.stats.replies_out++
      else node.stats.errors_out++
      const d = drawLatency()
      if (d > 0) {
        node.stats.latency_sum_ms += d
        node.stats.latency_n++
        setTimeout(() => { if (!stopping && !sock.destroyed) orig(peer, req, res, cb) }, d)
      } else {
        orig(peer, req, res, cb)
      }
    }
  }
  wrapReply('response')
  wrapReply('error')

  // --- outgoing packets: watch recording and optional query latency
  const origSend = sock.send.bind(sock)
  sock.send = function (peer, message, cb) {
    if (watchEps.size) {
      try { recordPacket(node, 'out', peer, bencode.encode(message)) } catch (e) {}
    }
    if (message && message.y === 'q') {
      node.stats.queries_out++
      const tr = traceOf(node, message)
      if (tr) tr.queries++
      if (args.latencyScope === 'all') {
        const d = drawLatency()
        if (d > 0) {
          setTimeout(() => { if (!stopping && !sock.destroyed) origSend(peer, message, cb) }, d)
          return
        }
      }
    }
    return origSend(peer, message, cb)
  }

  // --- count timeouts of our own queries
  const origQuery = sock.query.bind(sock)
  sock.query = function (peer, query, cb) {
    const tr = traceOf(node, query)
    return origQuery(peer, query, function (err, res, p2, req) {
      if (tr) {
        if (err && err.code === 'ETIMEDOUT') tr.timeouts++
        else if (err) tr.errors++
        else tr.responses++
      }
      if (err && err.code === 'ETIMEDOUT') {
        node.stats.timeouts++
        if (watchEps.size) {
          const k = epKey(peer)
          if (watchEps.has(k)) count(k, 'timeout')
        }
      } else if (!err) {
        node.stats.responses_in++
      }
      if (cb) cb(err, res, p2, req)
    })
  }

  // k-rpc-socket handles a datagram synchronously in its own 'message' listener and emits its
  // warnings (bad bencode, unexpected transaction id, out of order response) from there without
  // the sender: remember the sender around that listener so warnings can name it
  let warnFrom = null
  udp.prependListener('message', (buf, rinfo) => { warnFrom = `${rinfo.address}:${rinfo.port}` })
  udp.on('message', (buf, rinfo) => {
    warnFrom = null
    if (watchEps.size) recordPacket(node, 'in', rinfo, buf)
  })
  sock.on('query', (q) => {
    const name = q && q.q ? Buffer.from(q.q).toString() : '?'
    node.stats.queries_in[name] = (node.stats.queries_in[name] || 0) + 1
  })
  dht.on('announce_peer', (ih, peer) => {
    if (node.announcesIn.length < 2000) {
      node.announcesIn.push({ infohash: Buffer.from(ih).toString('hex'), peer: `${peer.host}:${peer.port}` })
    }
  })
  dht.on('announce', (peer, ih) => {
    // 'announce' carries the stored peer (implied port already applied)
    const last = node.announcesIn[node.announcesIn.length - 1]
    if (last && last.infohash === Buffer.from(ih).toString('hex')) last.stored = `${peer.host}:${peer.port}`
  })
  dht.on('warning', (err) => {
    node.stats.warnings++
    const w = { t: round3(nowS()), msg: String(err && err.message) }
    if (warnFrom) {
      w.from = warnFrom
      if (watchEps.has(warnFrom)) count(warnFrom, 'warning')
    }
    if (node.warnings.length < 200) node.warnings.push(w)
    if (args.verbose) log(`node ${index} warning: ${err && err.message}`)
  })
  dht.on('error', (err) => {
    node.warnings.push({ t: round3(nowS()), msg: 'error: ' + String(err && err.message) })
    log(`node ${index} error: ${err && err.message}`)
  })
  return node
}

// the trace of a running get_peers (until_done) that this outgoing query belongs to, if any
function traceOf (node, message) {
  if (!node.traces.size || !message || !message.q || !message.a || !message.a.info_hash) return null
  if (Buffer.from(message.q).toString() !== 'get_peers') return null
  return node.traces.get(Buffer.from(message.a.info_hash).toString('hex')) || null
}

function info (n) {
  const o = { index: n.index, addr: `${n.ip}:${n.port}`, id: n.id.toString('hex') }
  if (n.silent) o.silent = true
  return o
}

function startAll () {
  return new Promise((resolve, reject) => {
    const ips = allocIps(args.ipBase, args.count)
    const given = args.ids.split(',').map(s => s.trim()).filter(Boolean)
    let pending = args.count
    const timer = setTimeout(() => reject(new Error(`${pending} nodes did not start listening`)), 20000)
    for (let i = 0; i < args.count; i++) {
      let id
      if (i < given.length) {
        id = Buffer.from(given[i], 'hex')
        if (id.length !== 20) die(`node id ${i} is not 20 bytes`)
      } else if (rng) {
        id = Buffer.alloc(20)
        for (let j = 0; j < 20; j++) id[j] = Math.floor(rng() * 256)
      } else {
        id = crypto.randomBytes(20)
      }
      const n = makeNode(i, ips[i], id)
      nodes.push(n)
      n.dht.once('error', (err) => { clearTimeout(timer); reject(new Error(`node ${i} (${ips[i]}): ${err.message}`)) })
      n.dht.listen(args.port, ips[i], () => {
        n.port = n.dht.address().port
        if (--pending === 0) { clearTimeout(timer); resolve() }
      })
    }
  })
}

// ---------------------------------------------------------------- commands

function reply (msg, ok, extra) {
  const out = {}
  if (msg && typeof msg === 'object') {
    if ('req' in msg) out.req = msg.req
    if ('cmd' in msg) out.cmd = msg.cmd
  }
  out.ok = ok
  Object.assign(out, extra || {})
  send(out)
}

function selectNodes (msg, defaultAll = true) {
  let sel = msg.node
  if (sel === undefined || sel === null || sel === 'all') {
    if (defaultAll) return nodes.slice()
    sel = 0
  }
  if (Number.isInteger(sel)) sel = [sel]
  if (!Array.isArray(sel)) throw new Error("'node' must be an index, a list of indexes or \"all\"")
  return sel.map(i => {
    if (!Number.isInteger(i) || i < 0 || i >= nodes.length) throw new Error(`node index ${i} out of range 0..${nodes.length - 1}`)
    return nodes[i]
  })
}

function oneNode (msg) {
  const s = selectNodes(msg, false)
  if (s.length !== 1) throw new Error('this command takes exactly one node index')
  return s[0]
}

function tableEntries (n) {
  return n.dht._rpc.nodes.toArray().map(c => ({ id: Buffer.from(c.id).toString('hex'), addr: `${c.host}:${c.port}` }))
}

function tableSize (n) { return n.dht._rpc.nodes.count() }

function bootstrapNode (n, eps, sample) {
  const rpc = n.dht._rpc
  let contacts = eps.filter(e => !(e.host === n.ip && e.port === n.port))
  if (sample > 0 && sample < contacts.length) {
    // random subset (partial Fisher-Yates)
    contacts = contacts.slice()
    for (let i = 0; i < sample; i++) {
      const j = i + Math.floor(Math.random() * (contacts.length - i))
      const t = contacts[i]; contacts[i] = contacts[j]; contacts[j] = t
    }
    contacts = contacts.slice(0, sample)
  }
  rpc.bootstrap = contacts.map(e => ({ host: e.host, port: e.port }))
  for (const e of contacts) n.dht.addNode({ host: e.host, port: e.port }) // ping, then add
  // iterative find_node on our own id, starting from the contacts
  rpc.populate(rpc.id, { q: 'find_node', a: { id: rpc.id, target: rpc.id } }, () => {})
}

const commands = {
  ping (msg) { reply(msg, true, { uptime: round3(nowS()) }) },

  nodes (msg) { reply(msg, true, { nodes: nodes.map(info) }) },

  bootstrap (msg) {
    const eps = (msg.nodes || []).map(parseEp)
    if (!eps.length) throw new Error("bootstrap needs a non-empty 'nodes' list of ip:port")
    const targets = selectNodes(msg)
    const sample = Number(msg.sample || 0)
    for (const n of targets) bootstrapNode(n, eps, sample)
    reply(msg, true, { nodes: targets.length, contacts: eps.length })
  },

  add_node (msg) {
    const addrs = msg.addrs || (msg.addr ? [msg.addr] : [])
    const eps = addrs.map(parseEp)
    if (!eps.length) throw new Error("add_node needs 'addr' or 'addrs'")
    const targets = selectNodes(msg)
    for (const n of targets) {
      for (const e of eps) {
        if (e.host === n.ip && e.port === n.port) continue
        if (msg.id) n.dht.addNode({ host: e.host, port: e.port, id: msg.id })
        else n.dht.addNode({ host: e.host, port: e.port })
      }
    }
    reply(msg, true, { nodes: targets.length })
  },

  announce (msg) {
    const n = oneNode(msg)
    const ih = parseHash(msg.infohash)
    const port = msg.port === undefined || msg.port === null ? 0 : Number(msg.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('bad port')
    const t0 = Date.now()
    n.torrents.add(ih.toString('hex'))
    n.dht.announce(ih, port, (err, acked) => {
      reply(msg, !err, {
        node: n.index,
        infohash: ih.toString('hex'),
        announced_as: `${n.ip}:${port || n.port}`,
        implied_port: !port,
        acked: acked || 0,
        elapsed: round3((Date.now() - t0) / 1000),
        ...(err ? { error: String(err.message || err) } : {})
      })
    })
  },

  get_peers (msg) {
    const n = oneNode(msg)
    const ih = parseHash(msg.infohash)
    const hex = ih.toString('hex')
    const timeout = Number(msg.timeout === undefined ? 10 : msg.timeout) * 1000
    const minPeers = Number(msg.min_peers === undefined ? 1 : msg.min_peers)
    const interval = Number(msg.interval === undefined ? 3 : msg.interval) * 1000
    const t0 = Date.now()
    const peers = []
    const seen = new Set()
    let lookups = 0
    let finished = false
    let timer = null
    let retry = null
    let abort = null
    const from = {}
    // until_done: one lookup; reply when it ends, with its own figures (queries = get_peers sent
    // for this infohash, responses/timeouts/errors of those, time to first peer and to done)
    const untilDone = !!msg.until_done
    const p0 = performance.now() // sub-millisecond clock for the trace
    const trace = untilDone ? { first_peer_s: null, done_s: null, queries: 0, responses: 0, timeouts: 0, errors: 0, completed: false } : null
    if (trace) {
      if (n.traces.has(hex)) throw new Error('a traced get_peers for this infohash is already running on this node')
      n.traces.set(hex, trace)
    }
    const onPeer = (peer, infoHash, src) => {
      if (Buffer.from(infoHash).toString('hex') !== hex) return
      const k = `${peer.host}:${peer.port}`
      // src is the replying node, or null when the peer came from this node's own store
      const source = src ? `${src.host || src.address}:${src.port}` : 'local'
      // time to first peer counts peers from other nodes only, not from this node's own store
      if (trace && trace.first_peer_s === null && src) trace.first_peer_s = round6((performance.now() - p0) / 1000)
      if (seen.has(k)) {
        if (from[k] === 'local' && src) from[k] = source
        return
      }
      seen.add(k)
      peers.push(k)
      from[k] = source
      if (minPeers > 0 && peers.length >= minPeers && !untilDone) finish()
    }
    function finish () {
      if (finished) return
      finished = true
      clearTimeout(timer)
      clearTimeout(retry)
      n.dht.removeListener('peer', onPeer)
      if (abort) abort()
      if (trace) n.traces.delete(hex)
      reply(msg, true, { node: n.index, infohash: hex, peers, from, lookups, elapsed: round3((Date.now() - t0) / 1000), ...(trace ? { trace } : {}) })
    }
    function runLookup () {
      if (finished) return
      lookups++
      abort = n.dht.lookup(ih, () => {
        if (finished) return
        if (trace) {
          trace.completed = true
          trace.done_s = round6((performance.now() - p0) / 1000)
          finish()
          return
        }
        if (interval > 0) retry = setTimeout(runLookup, Math.max(0, interval - 0))
      })
    }
    n.dht.on('peer', onPeer)
    timer = setTimeout(finish, timeout)
    runLookup()
  },

  table (msg) {
    const targets = selectNodes(msg)
    const full = !!msg.full
    reply(msg, true, {
      nodes: targets.map(n => {
        const o = info(n)
        o.size = tableSize(n)
        if (full) o.entries = tableEntries(n)
        return o
      })
    })
  },

  wait_table (msg) {
    const targets = selectNodes(msg)
    const min = Number(msg.min === undefined ? 1 : msg.min)
    const timeout = Number(msg.timeout === undefined ? 20 : msg.timeout) * 1000
    const t0 = Date.now()
    const check = () => {
      const sizes = targets.map(tableSize)
      const reached = sizes.every(s => s >= min)
      if (reached || Date.now() - t0 >= timeout) {
        reply(msg, true, { reached, sizes, elapsed: round3((Date.now() - t0) / 1000) })
      } else {
        setTimeout(check, 100)
      }
    }
    check()
  },

  stats (msg) {
    const targets = selectNodes(msg)
    const mem = process.memoryUsage()
    const cpu = process.cpuUsage()
    reply(msg, true, {
      nodes: targets.map(n => {
        const o = info(n)
        o.table_size = tableSize(n)
        o.counters = Object.assign({}, n.stats, {
          latency_mean_ms: n.stats.latency_n ? round3(n.stats.latency_sum_ms / n.stats.latency_n) : 0
        })
        o.incoming_announces = n.announcesIn.length
        o.errors = n.warnings.length
        o.torrents = [...n.torrents]
        return o
      }),
      process: {
        pid: process.pid,
        rss_mb: Math.round(mem.rss / 1048576 * 10) / 10,
        heap_mb: Math.round(mem.heapUsed / 1048576 * 10) / 10,
        cpu_s: round3((cpu.user + cpu.system) / 1e6),
        uptime: round3(nowS())
      }
    })
  },

  announces (msg) {
    const out = []
    for (const n of selectNodes(msg)) for (const a of n.announcesIn) out.push(Object.assign({ node: n.index }, a))
    reply(msg, true, { announces: out })
  },

  errors (msg) {
    const out = []
    for (const n of selectNodes(msg)) {
      for (const w of n.warnings) out.push(Object.assign({ node: n.index }, w))
      if (msg.clear) n.warnings = []
    }
    reply(msg, true, { errors: out })
  },

  silence (msg) {
    const targets = selectNodes(msg)
    const on = msg.on === undefined ? true : !!msg.on
    for (const n of targets) n.silent = on
    reply(msg, true, { silent: nodes.filter(n => n.silent).map(n => n.index) })
  },

  watch (msg) {
    const addrs = msg.addrs || (msg.addr ? [msg.addr] : [])
    if (msg.clear) watchEps.clear()
    for (const a of addrs) watchEps.add(epKey(parseEp(a)))
    reply(msg, true, { watching: [...watchEps].sort() })
  },

  watch_report (msg) {
    const eps = msg.addr ? [msg.addr] : [...watchEps].sort()
    const report = {}
    for (const e of eps) report[e] = Object.assign({}, watchCounts.get(e) || {})
    reply(msg, true, { report })
  },

  events (msg) {
    const limit = msg.limit === undefined ? 1000 : Number(msg.limit)
    let evs = events.filter(e => (!msg.kind || e.kind === msg.kind) && (!msg.addr || e.peer === msg.addr))
    const total = evs.length
    if (limit >= 0) evs = evs.slice(-limit)
    if (msg.clear) { events.length = 0; watchCounts.clear() }
    reply(msg, true, { total, events: evs })
  },

  quit (msg) {
    reply(msg, true, {})
    shutdown(0)
  }
}
commands.lookup = commands.get_peers

function handleLine (line) {
  line = line.trim()
  if (!line) return
  let msg
  try {
    msg = JSON.parse(line)
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) throw new Error('command must be a JSON object')
  } catch (e) {
    reply({}, false, { error: `bad json: ${e.message}` })
    return
  }
  const fn = typeof msg.cmd === 'string' && Object.prototype.hasOwnProperty.call(commands, msg.cmd) ? commands[msg.cmd] : null
  if (!fn) { reply(msg, false, { error: `unknown cmd ${JSON.stringify(msg.cmd)}` }); return }
  try {
    fn(msg)
  } catch (e) {
    reply(msg, false, { error: `${e.name}: ${e.message}` })
  }
}

// ---------------------------------------------------------------- lifecycle

function shutdown (rc) {
  if (stopping) return
  stopping = true
  const hard = setTimeout(() => process.exit(rc), 2000)
  let left = nodes.length
  if (!left) process.exit(rc)
  for (const n of nodes) {
    try {
      n.dht.destroy(() => { if (--left === 0) { clearTimeout(hard); process.exit(rc) } })
    } catch (e) {
      if (--left === 0) process.exit(rc)
    }
  }
}

process.stdout.on('error', () => process.exit(0))
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => shutdown(128 + (s === 'SIGINT' ? 2 : s === 'SIGHUP' ? 1 : 15)))
process.on('uncaughtException', (e) => { log(`uncaught: ${e && e.stack}`) })

setTimeout(() => { log('max lifetime reached, exiting'); shutdown(2) }, args.maxLifetime * 1000)

const tStart = Date.now()
startAll().then(() => {
  send({
    ready: true,
    impl: 'bittorrent-dht',
    version: DHT_VERSION,
    protocol: PROTOCOL_VERSION,
    pid: process.pid,
    startup_s: round3((Date.now() - tStart) / 1000),
    options: {
      latency_ms: args.latencyMs,
      latency_dist: args.latencyDist,
      latency_scope: args.latencyScope,
      max_reply_nodes: args.maxReplyNodes,
      max_reply_values: args.maxReplyValues
    },
    nodes: nodes.map(info)
  })
  const rl = readline.createInterface({ input: process.stdin, terminal: false })
  rl.on('line', handleLine)
  rl.on('close', () => shutdown(0))
}, (err) => {
  send({ ready: false, error: String(err.message || err) })
  shutdown(1)
})
