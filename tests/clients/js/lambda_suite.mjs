// Acceptance suite for `cdnlab lambda` with the AWS SDK for JavaScript v3 (@aws-sdk/client-lambda),
// as a Node application deploys and invokes functions: CreateFunctionCommand with a zip,
// InvokeCommand (RequestResponse with Tail logs, Event, DryRun, a function error, a qualifier),
// ListFunctionsCommand with paging, versions and aliases (paginated, filtered by version), tags, and
// the SDK's typed exceptions.
//   LAMBDA_ENDPOINT=http://127.0.0.1:9001 HELLO_ZIP=hello.zip node tests/clients/js/lambda_suite.mjs
// HELLO_ZIP holds index.mjs: `export const handler = async (event, context) => ...` (see
// tests/e2e/test_lambda_sdk_v3.py, which builds it and runs this suite).
import fs from "node:fs";
import {
  LambdaClient, CreateFunctionCommand, GetFunctionCommand, ListFunctionsCommand, InvokeCommand,
  UpdateFunctionConfigurationCommand, PublishVersionCommand, CreateAliasCommand, DeleteFunctionCommand,
  paginateListFunctions, ResourceNotFoundException, ResourceConflictException, InvalidParameterValueException,
  waitUntilFunctionActiveV2, TagResourceCommand, ListTagsCommand, UntagResourceCommand,
  paginateListVersionsByFunction, ListAliasesCommand, GetFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { check, runAll, expectError, assert, RUN } from "./lib/runner.mjs";

const ENDPOINT = process.env.LAMBDA_ENDPOINT || "http://127.0.0.1:9001";
const ROLE = "arn:aws:iam::000000000000:role/lambda";
const lambda = new LambdaClient({
  endpoint: ENDPOINT,
  region: process.env.AWS_REGION || "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
});
const send = (cmd) => lambda.send(cmd);
const zip = fs.readFileSync(process.env.HELLO_ZIP);
const name = (n) => `sdk${RUN}-${n}`;
const HELLO = name("hello");
const enc = new TextEncoder();
const dec = new TextDecoder();
const created = [];

async function create(fn, extra = {}) {
  const out = await send(new CreateFunctionCommand({
    FunctionName: fn, Runtime: "nodejs20.x", Handler: "index.handler", Role: ROLE, Code: { ZipFile: zip },
    Timeout: 10, ...extra,
  }));
  created.push(fn);
  return out;
}

check("CreateFunctionCommand with a zip, then the waiter sees it Active", async () => {
  const out = await create(HELLO, { Environment: { Variables: { GREETING: "hej" } }, Description: "from sdk v3" });
  assert.equal(out.FunctionName, HELLO);
  assert.equal(out.Runtime, "nodejs20.x");
  assert.equal(out.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${HELLO}`);
  assert.equal(out.CodeSize, zip.length);
  assert.ok(out.CodeSha256 && out.RevisionId);
  const w = await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: HELLO });
  assert.equal(w.state, "SUCCESS");
  const got = await send(new GetFunctionCommand({ FunctionName: HELLO }));
  assert.equal(got.Configuration.Description, "from sdk v3");
  assert.equal(got.Configuration.Environment.Variables.GREETING, "hej");
  assert.equal(got.Code.RepositoryType, "S3");
  assert.ok(got.Code.Location.startsWith("http"));
});

check("CreateFunctionCommand twice is ResourceConflictException", async () => {
  const err = await expectError("ResourceConflictException", () => create(HELLO));
  assert.ok(err instanceof ResourceConflictException);
  assert.equal(err.$metadata.httpStatusCode, 409);
});

check("InvokeCommand RequestResponse with Tail logs", async () => {
  const out = await send(new InvokeCommand({ FunctionName: HELLO, Payload: enc.encode(JSON.stringify({ name: "sdk" })), LogType: "Tail" }));
  assert.equal(out.StatusCode, 200);
  assert.equal(out.FunctionError, undefined);
  assert.equal(out.ExecutedVersion, "$LATEST");
  const body = JSON.parse(dec.decode(out.Payload));
  assert.equal(body.message, "hej sdk");
  assert.equal(body.functionName, HELLO);
  assert.ok(body.remaining > 0 && body.remaining <= 10000, String(body.remaining));
  const log = Buffer.from(out.LogResult, "base64").toString();
  assert.match(log, /START RequestId: [0-9a-f-]+ Version: \$LATEST/);
  assert.match(log, /INFO\tinvoked with sdk/);
  assert.match(log, /REPORT RequestId: .*Duration: [0-9.]+ ms/);
});

check("InvokeCommand: a thrown error is FunctionError Unhandled with AWS's payload", async () => {
  const out = await send(new InvokeCommand({ FunctionName: HELLO, Payload: enc.encode(JSON.stringify({ fail: true })) }));
  assert.equal(out.StatusCode, 200);
  assert.equal(out.FunctionError, "Unhandled");
  const err = JSON.parse(dec.decode(out.Payload));
  assert.equal(err.errorType, "Error");
  assert.equal(err.errorMessage, "asked to fail");
  assert.ok(Array.isArray(err.trace));
});

check("InvokeCommand Event is 202 and DryRun is 204", async () => {
  const ev = await send(new InvokeCommand({ FunctionName: HELLO, InvocationType: "Event", Payload: enc.encode("{}") }));
  assert.equal(ev.StatusCode, 202);
  const dry = await send(new InvokeCommand({ FunctionName: HELLO, InvocationType: "DryRun" }));
  assert.equal(dry.StatusCode, 204);
});

check("InvokeCommand on a missing function is ResourceNotFoundException", async () => {
  const err = await expectError("ResourceNotFoundException", () => send(new InvokeCommand({ FunctionName: name("missing") })));
  assert.ok(err instanceof ResourceNotFoundException);
  assert.equal(err.$metadata.httpStatusCode, 404);
});

check("InvokeCommand with a payload that is not JSON is InvalidRequestContentException", async () => {
  await expectError("InvalidRequestContentException",
    () => send(new InvokeCommand({ FunctionName: HELLO, Payload: enc.encode("{not json") })));
});

check("ListFunctionsCommand pages with MaxItems / Marker and the paginator", async () => {
  for (const n of ["list-a", "list-b", "list-c"]) await create(name(n));
  const first = await send(new ListFunctionsCommand({ MaxItems: 2 }));
  assert.equal(first.Functions.length, 2);
  assert.ok(first.NextMarker);
  const names = [];
  for await (const page of paginateListFunctions({ client: lambda, pageSize: 2 }, {})) {
    assert.ok(page.Functions.length <= 2);
    names.push(...page.Functions.map((f) => f.FunctionName));
  }
  for (const n of [HELLO, name("list-a"), name("list-b"), name("list-c")]) assert.ok(names.includes(n), n);
  assert.equal(new Set(names).size, names.length, "no function listed twice");
});

check("UpdateFunctionConfiguration, PublishVersion, CreateAlias, invoke by alias", async () => {
  await send(new UpdateFunctionConfigurationCommand({ FunctionName: HELLO, Environment: { Variables: { GREETING: "hallo" } } }));
  const v = await send(new PublishVersionCommand({ FunctionName: HELLO }));
  assert.equal(v.Version, "1");
  const alias = await send(new CreateAliasCommand({ FunctionName: HELLO, Name: "live", FunctionVersion: "1" }));
  assert.equal(alias.AliasArn, `arn:aws:lambda:us-east-1:000000000000:function:${HELLO}:live`);
  await send(new UpdateFunctionConfigurationCommand({ FunctionName: HELLO, Environment: { Variables: { GREETING: "hi" } } }));
  const byAlias = await send(new InvokeCommand({ FunctionName: HELLO, Qualifier: "live", Payload: enc.encode('{"name":"v1"}') }));
  assert.equal(byAlias.ExecutedVersion, "1");
  assert.equal(JSON.parse(dec.decode(byAlias.Payload)).message, "hallo v1");
  const latest = await send(new InvokeCommand({ FunctionName: HELLO, Payload: enc.encode('{"name":"now"}') }));
  assert.equal(JSON.parse(dec.decode(latest.Payload)).message, "hi now");
});

check("TagResource, ListTags, UntagResource on the function's ARN; GetFunction returns the tags", async () => {
  const arn = `arn:aws:lambda:us-east-1:000000000000:function:${HELLO}`;
  await send(new TagResourceCommand({ Resource: arn, Tags: { team: "edge", env: "lab" } }));
  assert.deepEqual((await send(new ListTagsCommand({ Resource: arn }))).Tags, { team: "edge", env: "lab" });
  await send(new UntagResourceCommand({ Resource: arn, TagKeys: ["team"] }));
  assert.deepEqual((await send(new GetFunctionCommand({ FunctionName: HELLO }))).Tags, { env: "lab" });
  const err = await expectError("InvalidParameterValueException",
    () => send(new TagResourceCommand({ Resource: `${arn}:live`, Tags: { a: "b" } })));
  assert.ok(err instanceof InvalidParameterValueException);
});

check("Versions page through the paginator; aliases filter by version; FunctionArn names the qualifier", async () => {
  const versions = [];
  for await (const page of paginateListVersionsByFunction({ client: lambda, pageSize: 1 }, { FunctionName: HELLO })) {
    versions.push(...page.Versions.map((v) => [v.Version, v.FunctionArn]));
  }
  const arn = `arn:aws:lambda:us-east-1:000000000000:function:${HELLO}`;
  assert.deepEqual(versions, [["$LATEST", `${arn}:$LATEST`], ["1", `${arn}:1`]]);
  const onOne = await send(new ListAliasesCommand({ FunctionName: HELLO, FunctionVersion: "1" }));
  assert.deepEqual(onOne.Aliases.map((a) => a.Name), ["live"]);
  assert.deepEqual((await send(new ListAliasesCommand({ FunctionName: HELLO, FunctionVersion: "$LATEST" }))).Aliases, []);
  const byAlias = await send(new GetFunctionConfigurationCommand({ FunctionName: HELLO, Qualifier: "live" }));
  assert.equal(byAlias.FunctionArn, `${arn}:live`);
  assert.equal(byAlias.Version, "1");
});

check("A Role that is no IAM role ARN is ValidationException", async () => {
  const err = await expectError("ValidationException", () => create(name("badrole"), { Role: "not-a-role" }));
  assert.match(err.message, /at 'role'/);
});

check("CreateFunctionCommand with S3 code is InvalidParameterValueException", async () => {
  const err = await expectError("InvalidParameterValueException", () => send(new CreateFunctionCommand({
    FunctionName: name("s3"), Runtime: "nodejs20.x", Handler: "index.handler", Role: ROLE,
    Code: { S3Bucket: "b", S3Key: "k.zip" },
  })));
  assert.ok(err instanceof InvalidParameterValueException);
});

check("DeleteFunctionCommand, then GetFunction is ResourceNotFoundException", async () => {
  const fn = name("list-c");
  await send(new DeleteFunctionCommand({ FunctionName: fn }));
  created.splice(created.indexOf(fn), 1);
  await expectError("ResourceNotFoundException", () => send(new GetFunctionCommand({ FunctionName: fn })));
});

await runAll({
  setup: async () => {},
  teardown: async () => {
    for (const fn of created) await send(new DeleteFunctionCommand({ FunctionName: fn })).catch(() => {});
  },
});
