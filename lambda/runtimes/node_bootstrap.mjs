// cdnlab's Node.js runtime: the loop one execution environment runs. It speaks the Lambda Runtime
// API (AWS_LAMBDA_RUNTIME_API) exactly as AWS documents it, with Node's standard library only:
// load the handler named by _HANDLER from LAMBDA_TASK_ROOT (ES module or CommonJS), then forever
// GET /invocation/next, call the handler, POST /response or /error. Init failures go to
// /runtime/init/error and the process exits. Embedded in the cdnlab binary and written next to
// the function code directory by the service (see lambda/process_runtime.cc).
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { pathToFileURL } from 'node:url';
import { register } from 'node:module';

// ES modules ignore NODE_PATH: a bare `import` is looked up in node_modules of the importing
// file's directory and its parents only. Code the service extracted sits below its code root,
// where a node_modules link to the runtime's SDK is found that way; code run from the user's own
// directory (hot reload) has none above it. There, a resolve hook retries a bare name that was
// not found from the NODE_PATH directories, after the function's own node_modules, as AWS's
// runtimes resolve `import` of the bundled SDK.
function needsNodePathHook(root) {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules', '@aws-sdk'))) return false;
    if (path.dirname(dir) === dir) return true;
  }
}
const NODE_PATH_HOOK = `
import path from 'node:path';
import { pathToFileURL } from 'node:url';
let dirs = [];
export function initialize(data) { dirs = data.dirs; }
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    const bare = !/^[./]/.test(specifier) && !/^[a-z][a-z0-9+.-]*:/i.test(specifier);
    if (!bare || e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    for (const dir of dirs) {
      try {
        return await next(specifier, { ...context, parentURL: pathToFileURL(path.join(dir, 'index.js')).href });
      } catch {}
    }
    throw e;
  }
}`;
let nodePathHooked = false;
function hookNodePathFor(root) {
  const dirs = (process.env.NODE_PATH || '').split(path.delimiter).filter(Boolean);
  if (nodePathHooked || !dirs.length || !needsNodePathHook(root)) return;
  register('data:text/javascript,' + encodeURIComponent(NODE_PATH_HOOK), { data: { dirs } });
  nodePathHooked = true;
}

const API = process.env.AWS_LAMBDA_RUNTIME_API || '127.0.0.1:9001';
const [API_HOST, API_PORT] = (() => {
  const i = API.lastIndexOf(':');
  return i < 0 ? [API, 80] : [API.slice(0, i), Number(API.slice(i + 1))];
})();
const PREFIX = '/2018-06-01/runtime';
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

// The Runtime API client: one keep-alive connection, one request at a time, HTTP/1.1 written and
// read by hand. Node's http module costs several times more CPU per round trip than the handler
// of a small function (AWS's own runtime client uses a native addon for the same reason), and the
// Runtime API is a fixed peer that always frames bodies with Content-Length.
class RuntimeApiClient {
  constructor() { this.socket = null; this.buf = Buffer.alloc(0); this.waiting = null; }

  connect() {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ host: API_HOST, port: API_PORT, noDelay: true });
      s.once('connect', () => { s.off('error', reject); resolve(s); });
      s.once('error', reject);
      s.on('data', (chunk) => { this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk; this.parse(); });
      s.on('error', () => {});
      s.on('close', () => {
        this.socket = null;
        this.buf = Buffer.alloc(0);
        if (this.waiting) { const w = this.waiting; this.waiting = null; w.reject(new Error('Runtime API connection closed')); }
      });
    });
  }

  // A whole response in this.buf: hand it to the waiting request.
  parse() {
    if (!this.waiting) return;
    const end = this.buf.indexOf(HEADER_END);
    if (end < 0) {
      if (this.buf.length > MAX_HEAD) this.fail(new Error('Runtime API response head too large'));
      return;
    }
    const lines = this.buf.toString('latin1', 0, end).split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    if (!m) return this.fail(new Error(`malformed Runtime API status line: ${lines[0].slice(0, 100)}`));
    const headers = {};
    for (let i = 1; i < lines.length; i++) {
      const c = lines[i].indexOf(':');
      if (c > 0) headers[lines[i].slice(0, c).trim().toLowerCase()] = lines[i].slice(c + 1).trim();
    }
    if (headers['transfer-encoding']) return this.fail(new Error('unexpected Transfer-Encoding from the Runtime API'));
    const length = Number(headers['content-length'] || 0);
    if (!Number.isSafeInteger(length) || length < 0) return this.fail(new Error('bad Content-Length from the Runtime API'));
    if (this.buf.length < end + 4 + length) return;
    const body = this.buf.toString('utf8', end + 4, end + 4 + length);
    this.buf = this.buf.subarray(end + 4 + length);
    const w = this.waiting;
    this.waiting = null;
    w.resolve({ status: Number(m[1]), headers, body });
  }

  fail(err) {
    const w = this.waiting;
    this.waiting = null;
    if (this.socket) this.socket.destroy();
    if (w) w.reject(err);
  }

  async request(method, p, body, headers) {
    if (!this.socket) this.socket = await this.connect();
    let head = `${method} ${PREFIX}${p} HTTP/1.1\r\nHost: ${API}\r\n`;
    // Header values come from user code (an error's name): no line breaks may pass.
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${String(v).replace(/[\r\n]/g, ' ')}\r\n`;
    const data = body === undefined ? null : Buffer.from(body);
    if (data) head += `Content-Type: application/json\r\nContent-Length: ${data.length}\r\n`;
    head += '\r\n';
    const done = new Promise((resolve, reject) => { this.waiting = { resolve, reject }; });
    this.socket.write(data ? Buffer.concat([Buffer.from(head, 'latin1'), data]) : head);
    return done;
  }
}

const client = new RuntimeApiClient();
function call(method, p, body, headers = {}) {
  return client.request(method, p, body, headers);
}

// AWS's Node.js runtime reports errors in this shape (errorType, errorMessage, trace).
function errorPayload(err) {
  if (err instanceof Error) {
    return { errorType: err.name || 'Error', errorMessage: err.message, trace: String(err.stack || '').split('\n') };
  }
  let message;
  try { message = typeof err === 'string' ? err : JSON.stringify(err); } catch { message = String(err); }
  return { errorType: typeof err === 'object' && err !== null ? 'object' : typeof err, errorMessage: message, trace: [] };
}

class RuntimeError extends Error {
  constructor(name, message) { super(message); this.name = name; }
}

// console.* as AWS's runtime prints it: "<ISO time>\t<request id>\t<LEVEL>\t<message>".
let currentRequestId = undefined;
function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [fn, level] of Object.entries(levels)) {
    console[fn] = (...args) => {
      const line = `${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${util.format(...args)}`;
      process.stdout.write(line.replace(/\n/g, '\r') + '\n');
    };
  }
}

function nearestPackageType(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    const p = path.join(d, 'package.json');
    if (fs.existsSync(p)) {
      try { return JSON.parse(fs.readFileSync(p, 'utf8')).type || 'commonjs'; } catch { return 'commonjs'; }
    }
    if (path.dirname(d) === d) return 'commonjs';
  }
}

// _HANDLER is "<module path>.<export path>", e.g. "index.handler" or "src/app.api.get"; the module
// path is resolved against LAMBDA_TASK_ROOT with the extensions AWS tries (.js, .mjs, .cjs).
async function loadHandler() {
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const spec = process.env._HANDLER || '';
  const slash = spec.lastIndexOf('/');
  const base = spec.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${spec}`);
  const modulePath = spec.slice(0, slash + 1) + base.slice(0, dot);
  const exportPath = base.slice(dot + 1).split('.');
  let file;
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const f = path.resolve(root, modulePath + ext);
    if (fs.existsSync(f)) { file = f; break; }
  }
  if (!file) {
    throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'\nRequire stack:\n- ${root}`);
  }
  let mod;
  hookNodePathFor(root);
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    if (e instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`);
    // A package the code imports (ES module) or requires (CommonJS) is missing: AWS's runtime
    // names this Runtime.ImportModuleError, with the loader's message after "Error: ".
    if (e && (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND')) {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: ${e.message}`);
    }
    throw e;
  }
  const isCjs = file.endsWith('.cjs') || (file.endsWith('.js') && nearestPackageType(path.dirname(file)) !== 'module');
  let target = isCjs && mod.default !== undefined ? mod.default : mod;
  let fn = target;
  for (const part of exportPath) fn = fn == null ? undefined : fn[part];
  if (fn === undefined && target !== mod) {
    fn = mod;
    for (const part of exportPath) fn = fn == null ? undefined : fn[part];
  }
  if (fn === undefined) {
    throw new RuntimeError('Runtime.HandlerNotFound', `${modulePath}.${exportPath.join('.')} is undefined or not exported`);
  }
  if (typeof fn !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${modulePath}.${exportPath.join('.')} is not a function`);
  }
  return fn;
}

function makeContext(headers, resolveOnce) {
  const deadline = Number(headers['lambda-runtime-deadline-ms'] || 0);
  const parse = (v) => { if (!v) return undefined; try { return JSON.parse(v); } catch { return undefined; } };
  const ctx = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: parse(headers['lambda-runtime-cognito-identity']),
    clientContext: parse(headers['lambda-runtime-client-context']),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    // Legacy completion methods some older handlers still call.
    done: (err, result) => resolveOnce(err, result),
    succeed: (result) => resolveOnce(null, result),
    fail: (err) => resolveOnce(err ?? new Error('handled'), undefined),
  };
  return ctx;
}

function runHandler(handler, event, headers) {
  return new Promise((resolve) => {
    let settled = false;
    const resolveOnce = (err, result) => {
      if (settled) return;
      settled = true;
      resolve(err !== null && err !== undefined ? { err } : { result });
    };
    const context = makeContext(headers, resolveOnce);
    try {
      const ret = handler(event, context, resolveOnce);
      if (ret && typeof ret.then === 'function') {
        ret.then((r) => resolveOnce(null, r), (e) => resolveOnce(e ?? new Error('Promise rejected'), undefined));
      } else if (handler.length < 3) {
        resolveOnce(null, ret);
      }
    } catch (e) {
      resolveOnce(e, undefined);
    }
  });
}

// A process the service started ahead of time (to spare the next cold start node's own start)
// first learns which function it is: the whole environment AWS would have started it with, and
// the function's directory.
async function takeAssignment() {
  const a = await call('GET', '/cdnlab/assignment');
  if (a.status !== 200) process.exit(1);
  const { env, cwd } = JSON.parse(a.body);
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  Object.assign(process.env, env);
  process.chdir(cwd);
}

async function main() {
  if (process.env._CDNLAB_SPARE === '1') {
    try { await takeAssignment(); } catch { process.exit(0); }
  }
  patchConsole();
  let handler;
  try {
    handler = await loadHandler();
  } catch (e) {
    const payload = errorPayload(e);
    process.stderr.write(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(payload)}\n`);
    await call('POST', '/init/error', JSON.stringify(payload), { 'Lambda-Runtime-Function-Error-Type': payload.errorType })
      .catch(() => {});
    process.exit(1);
  }
  for (;;) {
    let next;
    try {
      next = await call('GET', '/invocation/next');
    } catch {
      process.exit(0);  // the Runtime API is gone: the environment is being shut down
    }
    if (next.status !== 200) process.exit(1);
    const id = next.headers['lambda-runtime-aws-request-id'];
    currentRequestId = id;
    if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
    let event;
    let outcome;
    try {
      event = next.body.length ? JSON.parse(next.body) : null;
      outcome = await runHandler(handler, event, next.headers);
    } catch (e) {
      outcome = { err: e };
    }
    if ('err' in outcome) {
      const payload = errorPayload(outcome.err);
      process.stdout.write(`${new Date().toISOString()}\t${id}\tERROR\tInvoke Error \t${JSON.stringify(payload)}\n`);
      await call('POST', `/invocation/${id}/error`, JSON.stringify(payload),
        { 'Lambda-Runtime-Function-Error-Type': payload.errorType }).catch(() => process.exit(1));
    } else {
      let body;
      try {
        body = JSON.stringify(outcome.result === undefined ? null : outcome.result);
      } catch (e) {
        const payload = { errorType: 'Runtime.MarshalError', errorMessage: `Unable to stringify response body: ${e.message}`, trace: [] };
        await call('POST', `/invocation/${id}/error`, JSON.stringify(payload),
          { 'Lambda-Runtime-Function-Error-Type': payload.errorType }).catch(() => process.exit(1));
        continue;
      }
      await call('POST', `/invocation/${id}/response`, body).catch(() => process.exit(1));
    }
    currentRequestId = undefined;
  }
}

main();
