// A tiny check runner shared by the JavaScript suites: named async checks, each passes or fails
// with a one-line reason; the last line printed is `N passed, M failed[, K skipped]`.
//
// DDB_TARGET=dynalite skips the checks tagged with a gap dynalite does not implement (they are
// counted as skipped and named); against cdnlab nothing is skipped. DDB_ONLY filters by name.
import assert from "node:assert/strict";

export const ENDPOINT = process.env.DDB_ENDPOINT || "http://127.0.0.1:8000";
export const TARGET = process.env.DDB_TARGET || "cdnlab";
const ONLY = (process.env.DDB_ONLY || "").toLowerCase();

export const DYNALITE_GAPS = {
  transactions: "dynalite has no TransactWriteItems / TransactGetItems",
  ttl_update: "dynalite has DescribeTimeToLive but no UpdateTimeToLive",
  gsi_online: "dynalite's UpdateTable cannot create or delete a GSI",
  rvoccf: "dynalite ignores ReturnValuesOnConditionCheckFailure",
};

export const RUN = Math.random().toString(36).slice(2, 7).replace(/[^a-z]/g, "x");

const checks = [];
export function check(name, fn, gap = null) {
  checks.push({ name, fn, gap });
}

export { assert };

// Calls fn and requires it to throw a service error named `code` (SDK v3 puts the DynamoDB
// exception name in err.name); returns the error so the caller can look at its fields.
export async function expectError(code, fn, messageContains = null) {
  let err = null;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  if (!err) throw new assert.AssertionError({ message: `expected ${code}, call succeeded` });
  if (err.name !== code) {
    throw new assert.AssertionError({ message: `expected ${code}, got ${err.name}: ${err.message}` });
  }
  if (messageContains && !String(err.message).includes(messageContains)) {
    throw new assert.AssertionError({ message: `${code} message ${JSON.stringify(err.message)} lacks ${JSON.stringify(messageContains)}` });
  }
  return err;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function runAll({ setup, teardown }) {
  const results = { passed: 0, failed: 0, skipped: 0 };
  try {
    await setup();
  } catch (e) {
    console.log(`fixtures failed against ${ENDPOINT}: ${e.name}: ${e.message}`);
    console.log(`0 passed, ${checks.length} failed`);
    process.exit(1);
  }
  for (const { name, fn, gap } of checks) {
    if (ONLY && !name.toLowerCase().includes(ONLY)) continue;
    if (gap && TARGET === "dynalite" && DYNALITE_GAPS[gap]) {
      results.skipped++;
      console.log(`SKIP ${name} (${DYNALITE_GAPS[gap]})`);
      continue;
    }
    const start = Date.now();
    try {
      await fn();
      results.passed++;
      console.log(`ok   ${name} (${Date.now() - start} ms)`);
    } catch (e) {
      results.failed++;
      const detail = e instanceof assert.AssertionError ? e.message : `${e.name}: ${e.message}\n${e.stack}`;
      console.log(`FAIL ${name}\n     ${detail.split("\n").join("\n     ")}`);
    }
  }
  try {
    await teardown();
  } catch {
    // Cleanup is best effort: a leftover table does not change what the checks found.
  }
  let line = `${results.passed} passed, ${results.failed} failed`;
  if (results.skipped) line += `, ${results.skipped} skipped`;
  console.log(line);
  process.exit(results.failed ? 1 : 0);
}
