#!/usr/bin/env node
// The differential harness: the same signed requests to `cdnlab store --in-memory` and to dynalite
// 4.0.0, compared on status, `__type` and message (and, for answers that succeed, the body without
// timestamps, ARNs and ids). Cases come from dynalite's validations (shape_cases.js), from its
// actions' error paths (action_cases.js) and the legacy parameters operator by operator
// (legacy_cases.js). Exit status 1 when a mismatch is not a documented
// departure (departures.js), 0 otherwise.
//
//   node tests/clients/diff/run.js [--bin build/cdnlab | --store-url http://127.0.0.1:PORT]
//                                  [--only REGEX] [--json out.json] [--verbose]
// With --store-url the store is one already running (fresh, in memory: the run creates fixed table
// names); otherwise the run starts `<bin> store --listen 127.0.0.1:0 --in-memory` and stops it.
'use strict'
const path = require('path')
const fs = require('fs')
const { startStore, startDynalite, root } = require('./servers')
const { send, agent } = require('./client')
const fixtures = require('./fixtures')
const { shapeCases } = require('./shape_cases')
const { actionCases } = require('./action_cases')
const { legacyCases } = require('./legacy_cases')
const { departures } = require('./departures')
const { compare } = require('./compare')

function parseArgs (argv) {
  const args = { bin: process.env.CDNLAB_BIN || path.join(root, 'build', 'cdnlab'), storeUrl: null, only: null, json: null,
    verbose: false }
  for (let i = 2; i < argv.length; i++) {
    if (argv[i] == '--bin') args.bin = argv[++i]
    else if (argv[i] == '--store-url') args.storeUrl = argv[++i]
    else if (argv[i] == '--only') args.only = new RegExp(argv[++i])
    else if (argv[i] == '--json') args.json = argv[++i]
    else if (argv[i] == '--verbose') args.verbose = true
    else throw new Error('unknown argument ' + argv[i])
  }
  return args
}

// Per-server context: the fixture tables' ARNs (account ids differ between the two).
async function prepare (url) {
  for (const [ op, body ] of fixtures.setup) {
    const r = await send(url, op, body)
    if (r.status != 200) throw new Error(`${url} setup ${op}: ${JSON.stringify(r.body)}`)
  }
  for (const table of [ fixtures.HASH, fixtures.RANGE ]) {
    for (let i = 0; i < 200; i++) {
      const r = await send(url, 'DescribeTable', { TableName: table })
      if (r.body.Table && r.body.Table.TableStatus == 'ACTIVE') break
      await new Promise((res) => setImmediate(res))
    }
  }
  for (const item of fixtures.seed) await send(url, 'PutItem', { TableName: fixtures.HASH, Item: item })
  for (const item of fixtures.seedRange) await send(url, 'PutItem', { TableName: fixtures.RANGE, Item: item })
  const d = await send(url, 'DescribeTable', { TableName: fixtures.HASH })
  const arnPrefix = d.body.Table.TableArn.replace(/table\/.*$/, 'table/')
  return { url, arn: (t) => arnPrefix + t }
}

const matches = (d, r) => d.match.test(r.name) && (!d.diff || d.diff.test(r.diff))

async function main () {
  const args = parseArgs(process.argv)
  const started = Date.now()
  const [ store, dyn ] = await Promise.all([
    args.storeUrl ? { url: args.storeUrl, stop: async () => {} } : startStore(args.bin), startDynalite() ])
  let code = 0
  try {
    const ctxStore = await prepare(store.url), ctxDyn = await prepare(dyn.url)
    let cases = [ ...shapeCases(), ...actionCases(), ...legacyCases() ]
    const names = new Set()
    for (const c of cases) {
      if (names.has(c.name)) throw new Error('duplicate case name: ' + c.name)
      names.add(c.name)
    }
    if (args.only) cases = cases.filter((c) => args.only.test(c.name))
    const results = []
    for (const c of cases) {
      const bodyFor = (ctx) => (typeof c.body == 'function' ? c.body(ctx) : c.body)
      const [ a, b ] = await Promise.all([ send(ctxStore.url, c.op, bodyFor(ctxStore)), send(ctxDyn.url, c.op, bodyFor(ctxDyn)) ])
      const diff = compare(a, b, c)
      results.push({ name: c.name, op: c.op, store: a, dynalite: b, diff })
    }
    const mismatches = results.filter((r) => r.diff)
    const documented = mismatches.filter((r) => departures.some((d) => matches(d, r)))
    const unexpected = mismatches.filter((r) => !documented.includes(r))
    const stale = departures.filter((d) => !mismatches.some((r) => matches(d, r)) && (!args.only))
    for (const r of unexpected) {
      console.log(`MISMATCH ${r.name}\n  ${r.diff}\n  store:    ${r.store.status} ${JSON.stringify(r.store.body).slice(0, 600)}` +
        `\n  dynalite: ${r.dynalite.status} ${JSON.stringify(r.dynalite.body).slice(0, 600)}`)
    }
    if (args.verbose) for (const r of documented) console.log(`departure ${r.name}: ${r.diff}`)
    for (const d of stale) console.log(`STALE departure (no case differs any more): ${d.match}`)
    console.log(`cases ${results.length}, mismatches ${mismatches.length}, documented departures ${documented.length}, ` +
      `undocumented ${unexpected.length}, stale departures ${stale.length}, ${((Date.now() - started) / 1000).toFixed(1)} s`)
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(results, null, 1))
    if (unexpected.length || stale.length) code = 1
  }
  finally {
    agent.destroy()
    await Promise.all([ store.stop(), dyn.stop() ])
  }
  process.exit(code)
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(2) })
