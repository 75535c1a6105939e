// What "the same answer" means: the same status, `__type` and message (AWS's SDKs read the message
// from `message` or `Message`, so the member's case is not compared); for a 200, the same body once
// the values that differ between any two deployments (timestamps, ARNs, ids, request ids) are
// blanked out. Returns a one-line description of the first difference, or null.
'use strict'

const VOLATILE = /(DateTime|Arn|TableId|Timestamp|RequestId|LatestStreamLabel)$/

function normalize (v) {
  if (Array.isArray(v)) return v.map(normalize)
  if (v && typeof v == 'object') {
    const out = {}
    for (const k of Object.keys(v).sort()) out[k] = VOLATILE.test(k) ? '<volatile>' : normalize(v[k])
    return out
  }
  return v
}

function errorOf (body) {
  if (!body || typeof body != 'object') return { type: undefined, message: String(body) }
  return { type: body.__type, message: body.message !== undefined ? body.message : body.Message }
}

function compare (a, b, testCase) {
  if (a.status != b.status) return `status ${a.status} vs ${b.status}`
  if (a.status != 200) {
    const ea = errorOf(a.body), eb = errorOf(b.body)
    if (ea.type != eb.type) return `__type ${ea.type} vs ${eb.type}`
    if (ea.message != eb.message) return `message ${JSON.stringify(ea.message)} vs ${JSON.stringify(eb.message)}`
    return null
  }
  const pick = testCase.compareBody || ((x) => x)
  const na = JSON.stringify(normalize(pick(a.body))), nb = JSON.stringify(normalize(pick(b.body)))
  if (na != nb) return `body ${na.slice(0, 300)} vs ${nb.slice(0, 300)}`
  return null
}

module.exports = { compare, normalize }
