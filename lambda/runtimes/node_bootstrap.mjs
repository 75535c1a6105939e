// cdnlab's Node.js runtime: the loop one execution environment runs. It speaks the Lambda Runtime
// API (AWS_LAMBDA_RUNTIME_API) exactly as AWS documents it, with Node's standard library only:
// load the handler named by _HANDLER from LAMBDA_TASK_ROOT (ES module or CommonJS), then forever
// GET /invocation/next, call the handler, POST /response or /error. Init failures go to
// /runtime/init/error and the process exits. Embedded in the cdnlab binary and written next to
// the function code directory by the service (see lambda/process_runtime.cc).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { pathToFileURL } from 'node:url';

const API = process.env.AWS_LAMBDA_RUNTIME_API || '127.0.0.1:9001';
const [API_HOST, API_PORT] = (() => {
  const i = API.lastIndexOf(':');
  return i < 0 ? [API, 80] : [API.slice(0, i), Number(API.slice(i + 1))];
})();
const PREFIX = '/2018-06-01/runtime';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(method, p, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(body);
    const h = { ...headers };
    if (data) { h['Content-Type'] = h['Content-Type'] || 'application/json'; h['Content-Length'] = data.length; }
    const req = http.request({ host: API_HOST, port: API_PORT, method, path: PREFIX + p, headers: h, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
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
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    if (e instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`);
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

async function main() {
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
