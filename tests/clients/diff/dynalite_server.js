// dynalite 4.0.0 in its own process on 127.0.0.1:0 (its CLI takes --port 0 as "4567"): prints
// `listening http://127.0.0.1:PORT` once it accepts connections. A separate process so that a
// request dynalite spins on cannot stall the harness's own timeouts.
'use strict'
const { dynalitePath } = require('./servers')
// Tables go ACTIVE on the next tick, as the store's do at once.
const server = require(dynalitePath)({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + server.address().port))
process.on('SIGTERM', () => process.exit(0))
