// Sends one DynamoDB JSON request, SigV4-signed as an SDK signs it, and returns
// {status, body (parsed JSON or the raw text)}. Keep-alive agent: hundreds of cases in seconds.
'use strict'
const http = require('http')
const crypto = require('crypto')

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })
const accessKey = 'AKIDEXAMPLE', secretKey = 'diff-secret', region = 'us-east-1', service = 'dynamodb'

const hmac = (key, s) => crypto.createHmac('sha256', key).update(s).digest()
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex')

function sign (host, target, body) {
  const now = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '')
  const day = now.slice(0, 8)
  const headers = { 'content-type': 'application/x-amz-json-1.0', host, 'x-amz-date': now, 'x-amz-target': target }
  const names = Object.keys(headers).sort()
  const canonical = [ 'POST', '/', '', names.map((n) => n + ':' + headers[n] + '\n').join(''), names.join(';'), sha256(body) ].join('\n')
  const scope = `${day}/${region}/${service}/aws4_request`
  const toSign = [ 'AWS4-HMAC-SHA256', now, scope, sha256(canonical) ].join('\n')
  let key = hmac('AWS4' + secretKey, day)
  for (const part of [ region, service, 'aws4_request' ]) key = hmac(key, part)
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${names.join(';')}, ` +
    `Signature=${hmac(key, toSign).toString('hex')}`
  return headers
}

// `body` is an object (sent as JSON) or a string (sent as is: malformed JSON cases).
function send (baseUrl, operation, body, timeoutMs = 10000) {
  const u = new URL(baseUrl)
  const text = typeof body == 'string' ? body : JSON.stringify(body)
  const headers = sign(u.host, 'DynamoDB_20120810.' + operation, text)
  headers['content-length'] = Buffer.byteLength(text)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: '/', headers, agent }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString()
        let parsed
        try { parsed = JSON.parse(raw) } catch { parsed = raw }
        resolve({ status: res.statusCode, body: parsed })
      })
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${operation}: no answer in ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(text)
  })
}

module.exports = { send, agent }
