#!/usr/bin/env node
// One npm bittorrent-dht node that puts and gets BEP 44 items, for interop.
//
// Usage: node bt_items.js --ip 127.x.y.z --contact IP:PORT [...] [--timeout 20] ACTION...
//   --put-immutable TEXT                          dht.put({ v: TEXT })
//   --put-mutable TEXT --seed HEX64 --seq N [--salt S]   dht.put({ k, seq, salt, v, sign })
//   --get-immutable HEX40                         dht.get(target)
//   --get-mutable HEX64 [--salt S]                dht.get(SHA-1(k + salt), { salt })
// Puts run before gets. Ed25519 is Node's crypto (bittorrent-dht takes sign/verify functions).
// Prints one JSON line: {"put_immutable": {"target", "nodes"}, "put_mutable": {"target", "nodes",
// "public_key"}, "immutable": {"value"} | null, "mutable": {"seq", "value", "signature"} | null}.
import DHT from 'bittorrent-dht'
import crypto from 'crypto'

const SPKI = Buffer.from('302a300506032b6570032100', 'hex')
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex')

function verify (sig, msg, pk) {
  try {
    const key = crypto.createPublicKey({ key: Buffer.concat([SPKI, pk]), format: 'der', type: 'spki' })
    return crypto.verify(null, msg, key, sig)
  } catch (e) {
    return false
  }
}

function args (argv) {
  const a = { contact: [], timeout: 20, salt: '' }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const v = () => argv[++i]
    switch (k) {
      case '--ip': a.ip = v(); break
      case '--contact': a.contact.push(v()); break
      case '--timeout': a.timeout = Number(v()); break
      case '--put-immutable': a.putImmutable = v(); break
      case '--put-mutable': a.putMutable = v(); break
      case '--seed': a.seed = v(); break
      case '--seq': a.seq = Number(v()); break
      case '--salt': a.salt = v(); break
      case '--get-immutable': a.getImmutable = v(); break
      case '--get-mutable': a.getMutable = v(); break
      default: throw new Error('unknown option ' + k)
    }
  }
  return a
}

const a = args(process.argv.slice(2))
setTimeout(() => { console.error('bt_items: lifetime exceeded'); process.exit(3) }, (a.timeout * 4 + 10) * 1000).unref()
const dht = new DHT({ bootstrap: a.contact, host: false, verify })
const out = {}
const salt = a.salt ? Buffer.from(a.salt) : undefined

const step = (fn) => new Promise((resolve) => fn(resolve))

dht.listen(0, a.ip, async () => {
  await step((done) => { dht.once('ready', done); setTimeout(done, 5000) })
  if (a.putImmutable !== undefined) {
    out.put_immutable = await step((done) => dht.put({ v: Buffer.from(a.putImmutable) }, (err, hash, n) =>
      done(err ? { error: String(err) } : { target: hash.toString('hex'), nodes: n })))
  }
  if (a.putMutable !== undefined) {
    const priv = crypto.createPrivateKey({ key: Buffer.concat([PKCS8, Buffer.from(a.seed, 'hex')]), format: 'der', type: 'pkcs8' })
    const k = crypto.createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(-32)
    const opts = { k, seq: a.seq, v: Buffer.from(a.putMutable), sign: (buf) => crypto.sign(null, buf, priv) }
    if (salt) opts.salt = salt
    out.put_mutable = await step((done) => dht.put(opts, (err, hash, n) =>
      done(err ? { error: String(err) } : { target: hash.toString('hex'), nodes: n, public_key: k.toString('hex') })))
  }
  if (a.getImmutable !== undefined) {
    out.immutable = await step((done) => dht.get(a.getImmutable, (err, res) =>
      done(err || !res ? null : { value: Buffer.from(res.v).toString('latin1') })))
  }
  if (a.getMutable !== undefined) {
    const k = Buffer.from(a.getMutable, 'hex')
    const target = crypto.createHash('sha1').update(salt ? Buffer.concat([k, salt]) : k).digest()
    out.mutable = await step((done) => dht.get(target, salt ? { salt } : {}, (err, res) =>
      done(err || !res ? null : { seq: res.seq, value: Buffer.from(res.v).toString('latin1'), signature: res.sig.toString('hex') })))
  }
  process.stdout.write(JSON.stringify(out) + '\n', () => {
    dht.destroy()
    process.exit(0)
  })
})
