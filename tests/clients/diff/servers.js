// Starts the two servers the differential harness compares: `cdnlab store --in-memory` (a child
// process on 127.0.0.1:0, its port read from the `listening http ...` line it prints) and dynalite
// 4.0.0 in this process (listen(0) on loopback). Both are stopped by what started them.
'use strict'
const { spawn } = require('child_process')
const path = require('path')

const root = path.resolve(__dirname, '..', '..', '..')
const dynalitePath = path.join(root, 'tests', 'clients', 'dynalite', 'node_modules', 'dynalite')

function startStore (bin, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [ 'store', '--listen', '127.0.0.1:0', '--in-memory' ],
      { stdio: [ 'ignore', 'pipe', 'pipe' ] })
    let out = ''
    const timer = setTimeout(() => { child.kill(); reject(new Error('cdnlab store did not start:\n' + out)) }, timeoutMs)
    const onData = (chunk) => {
      out += chunk
      const m = /listening http (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        child.stdout.removeListener('data', onData)
        child.stdout.resume()
        resolve({ url: m[1], stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM') }) })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (c) => { out += c })
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error('cdnlab store exited ' + code + ':\n' + out)) })
  })
}

function startDynalite () {
  // Tables go ACTIVE on the next tick, as the store's do at once.
  const server = require(dynalitePath)({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: 'http://127.0.0.1:' + server.address().port,
        stop: () => new Promise((r) => server.close(() => r())) })
    })
  })
}

module.exports = { startStore, startDynalite, dynalitePath, root }
