// Starts the two servers the differential harness compares: `cdnlab store --in-memory` (a child
// process on 127.0.0.1:0, its port read from the `listening http ...` line it prints) and dynalite
// 4.0.0 in another (dynalite_server.js, listen(0) on loopback). Both are stopped by their PIDs.
'use strict'
const { spawn } = require('child_process')
const path = require('path')

const root = path.resolve(__dirname, '..', '..', '..')
const dynalitePath = path.join(root, 'tests', 'clients', 'dynalite', 'node_modules', 'dynalite')

function startStore (bin) {
  return startChild(bin, [ 'store', '--listen', '127.0.0.1:0', '--in-memory' ], /listening http (http:\/\/127\.0\.0\.1:\d+)/, 'cdnlab store')
}

// Every child still running when this process exits (a failed start, an exception) is stopped by
// its PID too.
const children = new Set()
process.on('exit', () => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM') })

// The child prints one `listening http://127.0.0.1:PORT` line; stopped by its PID.
function startChild (cmd, args, pattern, what, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [ 'ignore', 'pipe', 'pipe' ] })
    children.add(child)
    child.once('exit', () => children.delete(child))
    let out = ''
    const timer = setTimeout(() => { child.kill(); reject(new Error(what + ' did not start:\n' + out)) }, timeoutMs)
    const onData = (chunk) => {
      out += chunk
      const m = pattern.exec(out)
      if (m) {
        clearTimeout(timer)
        child.stdout.removeListener('data', onData)
        child.stdout.resume()
        child.removeAllListeners('exit')
        resolve({ url: m[1], stop: () => new Promise((r) => {
          if (child.exitCode !== null || child.signalCode !== null) return r()
          child.once('exit', r)
          child.kill('SIGTERM')
        }) })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (c) => { out += c })
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(what + ' exited ' + code + ':\n' + out)) })
    child.on('error', (e) => { clearTimeout(timer); reject(new Error(what + ': ' + e.message)) })
  })
}

function startDynalite () {
  return startChild(process.execPath, [ path.join(__dirname, 'dynalite_server.js') ], /listening (http:\/\/127\.0\.0\.1:\d+)/, 'dynalite')
}

module.exports = { startStore, startDynalite, dynalitePath, root }
