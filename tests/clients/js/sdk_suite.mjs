// Acceptance suite for a DynamoDB-compatible endpoint with the AWS SDK for JavaScript v3:
// the low-level @aws-sdk/client-dynamodb for wire-exact checks, and @aws-sdk/lib-dynamodb's
// DynamoDBDocumentClient for the native-value style most Node applications use.
//   DDB_ENDPOINT=http://127.0.0.1:8000 node tests/clients/js/sdk_suite.mjs
import {
  DynamoDBClient, CreateTableCommand, DescribeTableCommand, ListTablesCommand, UpdateTableCommand,
  DeleteTableCommand, UpdateTimeToLiveCommand, DescribeTimeToLiveCommand, TagResourceCommand,
  UntagResourceCommand, ListTagsOfResourceCommand, PutItemCommand, GetItemCommand, UpdateItemCommand,
  DeleteItemCommand, QueryCommand, ScanCommand, BatchWriteItemCommand, BatchGetItemCommand,
  TransactWriteItemsCommand, TransactGetItemsCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, UpdateCommand, QueryCommand as DocQuery,
  paginateQuery, paginateScan, NumberValue,
} from "@aws-sdk/lib-dynamodb";
import { check, runAll, expectError, assert, sleep, ENDPOINT, RUN } from "./lib/runner.mjs";

const ddb = new DynamoDBClient({
  endpoint: ENDPOINT,
  region: process.env.AWS_REGION || "us-east-1",
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID || "AKIDEXAMPLE", secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || "secret" },
  maxAttempts: 1,
});
const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
const send = (cmd) => ddb.send(cmd);

const t = (name) => `sdk${RUN}_${name}`;
const S = (v) => ({ S: v });
const N = (v) => ({ N: String(v) });

const SIMPLE = t("simple");
const ORDERS = t("orders");
const NUMS = t("nums");
const BIN = t("bin");

async function waitActive(table, index = null, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const d = (await send(new DescribeTableCommand({ TableName: table }))).Table;
    if (d.TableStatus === "ACTIVE") {
      if (!index) return d;
      const g = (d.GlobalSecondaryIndexes || []).find((x) => x.IndexName === index);
      if (g && g.IndexStatus === "ACTIVE" && !g.Backfilling) return d;
    }
    await sleep(50);
  }
  throw new assert.AssertionError({ message: `${table}/${index} not ACTIVE in time` });
}

async function waitGone(table, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await send(new DescribeTableCommand({ TableName: table }));
    } catch (e) {
      if (e.name === "ResourceNotFoundException") return;
      throw e;
    }
    await sleep(50);
  }
  throw new assert.AssertionError({ message: `${table} still exists` });
}

async function batchWriteAll(requestItems) {
  for (let i = 0; i < 50; i++) {
    const r = await send(new BatchWriteItemCommand({ RequestItems: requestItems }));
    requestItems = r.UnprocessedItems || {};
    if (!Object.keys(requestItems).length) return;
    await sleep(50);
  }
  throw new assert.AssertionError({ message: "BatchWriteItem kept returning UnprocessedItems" });
}

async function queryAll(input) {
  const items = [];
  let pages = 0;
  for (;;) {
    const r = await send(new QueryCommand(input));
    items.push(...(r.Items || []));
    pages++;
    if (!r.LastEvaluatedKey) return { items, pages };
    input = { ...input, ExclusiveStartKey: r.LastEvaluatedKey };
    assert.ok(pages < 1000, "query pagination does not end");
  }
}

async function scanAll(input) {
  const items = [];
  let pages = 0;
  for (;;) {
    const r = await send(new ScanCommand(input));
    items.push(...(r.Items || []));
    pages++;
    if (!r.LastEvaluatedKey) return { items, pages };
    input = { ...input, ExclusiveStartKey: r.LastEvaluatedKey };
    assert.ok(pages < 1000, "scan pagination does not end");
  }
}

const hashTable = (name, attr = "pk", type = "S") => new CreateTableCommand({
  TableName: name, BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [{ AttributeName: attr, AttributeType: type }],
  KeySchema: [{ AttributeName: attr, KeyType: "HASH" }],
});

async function setup() {
  await send(hashTable(SIMPLE));
  const pt = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
  await send(new CreateTableCommand({
    TableName: ORDERS, BillingMode: "PROVISIONED", ProvisionedThroughput: pt,
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "S" },
      { AttributeName: "amount", AttributeType: "N" }, { AttributeName: "status", AttributeType: "S" },
      { AttributeName: "customer", AttributeType: "S" },
    ],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    LocalSecondaryIndexes: [{
      IndexName: "byAmount",
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "amount", KeyType: "RANGE" }],
      Projection: { ProjectionType: "ALL" },
    }],
    GlobalSecondaryIndexes: [
      { IndexName: "byStatusKeys", KeySchema: [{ AttributeName: "status", KeyType: "HASH" }],
        Projection: { ProjectionType: "KEYS_ONLY" }, ProvisionedThroughput: pt },
      { IndexName: "byStatusIncl",
        KeySchema: [{ AttributeName: "status", KeyType: "HASH" }, { AttributeName: "amount", KeyType: "RANGE" }],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["note"] }, ProvisionedThroughput: pt },
      { IndexName: "byCustomer",
        KeySchema: [{ AttributeName: "customer", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
        Projection: { ProjectionType: "ALL" }, ProvisionedThroughput: pt },
    ],
  }));
  await send(new CreateTableCommand({
    TableName: NUMS, BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "n", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "n", KeyType: "RANGE" }],
  }));
  await send(hashTable(BIN, "id", "B"));
  for (const name of [SIMPLE, ORDERS, NUMS, BIN]) await waitActive(name);
  const statuses = ["NEW", "PAID", "SHIPPED"];
  const reqs = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < 8; i++) {
      const item = {
        pk: S(`cust#${c}`), sk: S(`order#${String(i).padStart(3, "0")}`), amount: N(10 * i + c),
        status: S(statuses[(i + c) % 3]), customer: S(`C${c}`), secret: S("not projected"),
      };
      if (i % 2 === 0) item.note = S(`note ${c}/${i}`);
      reqs.push({ PutRequest: { Item: item } });
    }
  }
  for (let k = 0; k < reqs.length; k += 25) await batchWriteAll({ [ORDERS]: reqs.slice(k, k + 25) });
  const nums = [];
  for (let i = 1; i <= 20; i++) nums.push({ PutRequest: { Item: { pk: S("p"), n: N(i), sq: N(i * i) } } });
  await batchWriteAll({ [NUMS]: nums });
}

async function teardown() {
  for (const name of [SIMPLE, ORDERS, NUMS, BIN]) {
    await send(new DeleteTableCommand({ TableName: name })).catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Control plane

check("CreateTable returns the description; a second create is ResourceInUseException", async () => {
  const name = t("ct");
  const d = (await send(hashTable(name, "id"))).TableDescription;
  assert.equal(d.TableName, name);
  assert.ok(["CREATING", "ACTIVE"].includes(d.TableStatus), d.TableStatus);
  assert.deepEqual(d.KeySchema, [{ AttributeName: "id", KeyType: "HASH" }]);
  assert.ok(d.TableArn.endsWith(`:table/${name}`), d.TableArn);
  assert.ok(d.CreationDateTime instanceof Date, "CreationDateTime parses as a date");
  assert.equal(d.BillingModeSummary?.BillingMode, "PAY_PER_REQUEST");
  await waitActive(name);
  await expectError("ResourceInUseException", () => send(hashTable(name, "id")));
  await send(new DeleteTableCommand({ TableName: name }));
});

check("DescribeTable: LSI and GSIs with KEYS_ONLY / INCLUDE / ALL", async () => {
  const d = (await send(new DescribeTableCommand({ TableName: ORDERS }))).Table;
  assert.equal(d.TableStatus, "ACTIVE");
  assert.ok(Number.isInteger(d.ItemCount) && Number.isInteger(d.TableSizeBytes));
  assert.equal(d.ProvisionedThroughput.ReadCapacityUnits, 5);
  assert.deepEqual(d.LocalSecondaryIndexes.map((i) => [i.IndexName, i.Projection.ProjectionType]), [["byAmount", "ALL"]]);
  const g = Object.fromEntries(d.GlobalSecondaryIndexes.map((i) => [i.IndexName, i]));
  assert.deepEqual(Object.keys(g).sort(), ["byCustomer", "byStatusIncl", "byStatusKeys"]);
  assert.deepEqual(g.byStatusKeys.Projection, { ProjectionType: "KEYS_ONLY" });
  assert.deepEqual(g.byStatusIncl.Projection, { ProjectionType: "INCLUDE", NonKeyAttributes: ["note"] });
  assert.deepEqual(g.byCustomer.Projection, { ProjectionType: "ALL" });
  for (const i of Object.values(g)) {
    assert.equal(i.IndexStatus, "ACTIVE");
    assert.ok(i.IndexArn.endsWith(`table/${ORDERS}/index/${i.IndexName}`), i.IndexArn);
  }
  await expectError("ResourceNotFoundException", () => send(new DescribeTableCommand({ TableName: t("nope") })));
});

check("ListTables pagination with Limit and ExclusiveStartTableName", async () => {
  const mine = ["c", "a", "b"].map((c) => t(`lt${c}`));
  for (const n of mine) await send(hashTable(n, "id"));
  const seen = [];
  let input = { Limit: 2 };
  let pages = 0;
  for (;;) {
    const r = await send(new ListTablesCommand(input));
    assert.ok(r.TableNames.length <= 2);
    seen.push(...r.TableNames);
    pages++;
    if (!r.LastEvaluatedTableName) break;
    input = { Limit: 2, ExclusiveStartTableName: r.LastEvaluatedTableName };
    assert.ok(pages < 500);
  }
  assert.deepEqual(seen, [...seen].sort(), "ascending order");
  assert.equal(new Set(seen).size, seen.length, "no duplicates");
  for (const n of [...mine, SIMPLE, ORDERS]) assert.ok(seen.includes(n), `${n} listed`);
  for (const n of mine) {
    await waitActive(n);
    await send(new DeleteTableCommand({ TableName: n }));
  }
});

check("UpdateTable adds a GSI with backfill; queries see old and new items; delete it", async () => {
  const name = t("addgsi");
  await send(hashTable(name, "id"));
  await waitActive(name);
  const puts = [];
  for (let k = 0; k < 20; k++) puts.push({ PutRequest: { Item: { id: S(`i${k}`), color: S(k % 2 ? "blue" : "red"), size: N(k) } } });
  await batchWriteAll({ [name]: puts });
  await send(new UpdateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: "color", AttributeType: "S" }, { AttributeName: "size", AttributeType: "N" }],
    GlobalSecondaryIndexUpdates: [{ Create: {
      IndexName: "byColor",
      KeySchema: [{ AttributeName: "color", KeyType: "HASH" }, { AttributeName: "size", KeyType: "RANGE" }],
      Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["id"] },
    } }],
  }));
  await waitActive(name, "byColor");
  let { items } = await queryAll({ TableName: name, IndexName: "byColor", KeyConditionExpression: "color = :c",
    ExpressionAttributeValues: { ":c": S("blue") }, ScanIndexForward: false });
  assert.deepEqual(items.map((i) => Number(i.size.N)), [19, 17, 15, 13, 11, 9, 7, 5, 3, 1]);
  await send(new PutItemCommand({ TableName: name, Item: { id: S("late"), color: S("blue"), size: N(100) } }));
  ({ items } = await queryAll({ TableName: name, IndexName: "byColor", KeyConditionExpression: "color = :c AND #sz >= :s",
    ExpressionAttributeNames: { "#sz": "size" }, ExpressionAttributeValues: { ":c": S("blue"), ":s": N(100) } }));
  assert.deepEqual(items.map((i) => i.id.S), ["late"]);
  await send(new UpdateTableCommand({ TableName: name, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: "byColor" } }] }));
  const deadline = Date.now() + 60000;
  for (;;) {
    const d = (await send(new DescribeTableCommand({ TableName: name }))).Table;
    if (!(d.GlobalSecondaryIndexes || []).some((g) => g.IndexName === "byColor")) break;
    assert.ok(Date.now() < deadline, "deleted GSI still listed");
    await sleep(50);
  }
  await waitActive(name);
  await send(new DeleteTableCommand({ TableName: name }));
}, "gsi_online");

check("DeleteTable, then the table is gone", async () => {
  const name = t("del");
  await send(hashTable(name, "id"));
  await waitActive(name);
  const d = (await send(new DeleteTableCommand({ TableName: name }))).TableDescription;
  assert.equal(d.TableName, name);
  await waitGone(name);
  await expectError("ResourceNotFoundException", () => send(new GetItemCommand({ TableName: name, Key: { id: S("x") } })));
});

check("UpdateTimeToLive / DescribeTimeToLive", async () => {
  let d = (await send(new DescribeTimeToLiveCommand({ TableName: SIMPLE }))).TimeToLiveDescription;
  assert.equal(d.TimeToLiveStatus, "DISABLED");
  const r = await send(new UpdateTimeToLiveCommand({ TableName: SIMPLE, TimeToLiveSpecification: { Enabled: true, AttributeName: "expiresAt" } }));
  assert.deepEqual(r.TimeToLiveSpecification, { Enabled: true, AttributeName: "expiresAt" });
  d = (await send(new DescribeTimeToLiveCommand({ TableName: SIMPLE }))).TimeToLiveDescription;
  assert.ok(["ENABLING", "ENABLED"].includes(d.TimeToLiveStatus), d.TimeToLiveStatus);
  assert.equal(d.AttributeName, "expiresAt");
}, "ttl_update");

check("Tags: TagResource, ListTagsOfResource, UntagResource", async () => {
  const arn = (await send(new DescribeTableCommand({ TableName: SIMPLE }))).Table.TableArn;
  await send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }] }));
  let tags = (await send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags;
  assert.deepEqual(tags.map((x) => `${x.Key}=${x.Value}`).sort(), ["a=1", "b=2"]);
  await send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["a"] }));
  tags = (await send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags;
  assert.deepEqual(tags, [{ Key: "b", Value: "2" }]);
});

// ---------------------------------------------------------------------------------------------
// Items (DocumentClient where an application would use it)

check("DocumentClient put/get: native values, sets, binary, nested documents", async () => {
  const item = {
    pk: "doc", name: "héllo ✓", n: -12.5, ok: true, nothing: null, bin: new Uint8Array([0, 1, 254, 255]),
    tags: new Set(["b", "a"]), scores: new Set([3, 1.5]), nested: { list: [1, "two", { deep: [true] }], empty: {} },
  };
  await doc.send(new PutCommand({ TableName: SIMPLE, Item: item }));
  const got = (await doc.send(new GetCommand({ TableName: SIMPLE, Key: { pk: "doc" }, ConsistentRead: true }))).Item;
  assert.equal(got.name, item.name);
  assert.equal(got.n, -12.5);
  assert.equal(got.ok, true);
  assert.equal(got.nothing, null);
  assert.deepEqual(Array.from(got.bin), [0, 1, 254, 255]);
  assert.deepEqual([...got.tags].sort(), ["a", "b"]);
  assert.deepEqual([...got.scores].sort(), [1.5, 3]);
  assert.deepEqual(got.nested, item.nested);
});

check("GetItem missing key: no Item; ProjectionExpression with nested paths", async () => {
  const r = await send(new GetItemCommand({ TableName: SIMPLE, Key: { pk: S("absent") } }));
  assert.equal(r.Item, undefined);
  const p = await doc.send(new GetCommand({ TableName: SIMPLE, Key: { pk: "doc" },
    ProjectionExpression: "nested.#l[2].deep, nested.#l[0], tags, nope", ExpressionAttributeNames: { "#l": "list" } }));
  assert.deepEqual(p.Item.nested, { list: [1, { deep: [true] }] });
  assert.deepEqual([...p.Item.tags].sort(), ["a", "b"]);
  assert.deepEqual(Object.keys(p.Item).sort(), ["nested", "tags"]);
});

check("UpdateItem SET arithmetic, if_not_exists, list_append, REMOVE", async () => {
  await doc.send(new PutCommand({ TableName: SIMPLE, Item: { pk: "upd", qty: 10, price: 9.99, hist: ["b"], gone: 1, m: { x: 1, y: 2 } } }));
  const r = await doc.send(new UpdateCommand({
    TableName: SIMPLE, Key: { pk: "upd" },
    UpdateExpression: "SET qty = qty + :one, price = price - :d, hits = if_not_exists(hits, :zero) + :one, " +
      "hist = list_append(:front, list_append(hist, :back)) REMOVE gone, m.x",
    ExpressionAttributeValues: { ":one": 1, ":d": 0.99, ":zero": 0, ":front": ["a"], ":back": ["c"] },
    ReturnValues: "ALL_NEW",
  }));
  assert.deepEqual(r.Attributes, { pk: "upd", qty: 11, price: 9, hits: 1, hist: ["a", "b", "c"], m: { y: 2 } });
});

check("UpdateItem ADD / DELETE on sets and numbers", async () => {
  await send(new PutItemCommand({ TableName: SIMPLE, Item: { pk: S("sets"), tags: { SS: ["a", "b"] }, old: { NS: ["1", "2"] } } }));
  const r = await send(new UpdateItemCommand({
    TableName: SIMPLE, Key: { pk: S("sets") }, ReturnValues: "ALL_NEW",
    UpdateExpression: "ADD tags :t, hits :h DELETE #o :d", ExpressionAttributeNames: { "#o": "old" },
    ExpressionAttributeValues: { ":t": { SS: ["c", "a"] }, ":h": N(3), ":d": { NS: ["2"] } },
  }));
  assert.deepEqual(r.Attributes.tags.SS.sort(), ["a", "b", "c"]);
  assert.deepEqual(r.Attributes.hits, N(3));
  assert.deepEqual(r.Attributes.old, { NS: ["1"] });
});

check("UpdateItem ReturnValues NONE / ALL_OLD / UPDATED_OLD / ALL_NEW / UPDATED_NEW", async () => {
  await send(new PutItemCommand({ TableName: SIMPLE, Item: { pk: S("rvu"), a: N(1), b: S("keep") } }));
  const upd = (rv, v) => send(new UpdateItemCommand({ TableName: SIMPLE, Key: { pk: S("rvu") }, UpdateExpression: "SET a = :v",
    ExpressionAttributeValues: { ":v": N(v) }, ReturnValues: rv }));
  assert.equal((await upd("NONE", 2)).Attributes, undefined);
  assert.deepEqual((await upd("ALL_OLD", 3)).Attributes, { pk: S("rvu"), a: N(2), b: S("keep") });
  assert.deepEqual((await upd("UPDATED_OLD", 4)).Attributes, { a: N(3) });
  assert.deepEqual((await upd("ALL_NEW", 5)).Attributes, { pk: S("rvu"), a: N(5), b: S("keep") });
  assert.deepEqual((await upd("UPDATED_NEW", 6)).Attributes, { a: N(6) });
});

check("DeleteItem ReturnValues ALL_OLD", async () => {
  await send(new PutItemCommand({ TableName: SIMPLE, Item: { pk: S("gone"), v: N(7) } }));
  const r = await send(new DeleteItemCommand({ TableName: SIMPLE, Key: { pk: S("gone") }, ReturnValues: "ALL_OLD" }));
  assert.deepEqual(r.Attributes, { pk: S("gone"), v: N(7) });
  const again = await send(new DeleteItemCommand({ TableName: SIMPLE, Key: { pk: S("gone") }, ReturnValues: "ALL_OLD" }));
  assert.equal(again.Attributes, undefined);
});

check("Conditional failure: ConditionalCheckFailedException, item unchanged", async () => {
  await doc.send(new PutCommand({ TableName: SIMPLE, Item: { pk: "cond", ver: 1 } }));
  await expectError("ConditionalCheckFailedException", () => doc.send(new PutCommand({
    TableName: SIMPLE, Item: { pk: "cond", ver: 5 }, ConditionExpression: "attribute_not_exists(pk)" })));
  await expectError("ConditionalCheckFailedException", () => doc.send(new UpdateCommand({
    TableName: SIMPLE, Key: { pk: "cond" }, UpdateExpression: "SET ver = :n",
    ConditionExpression: "ver = :old OR attribute_type(ver, :s)", ExpressionAttributeValues: { ":n": 2, ":old": 9, ":s": "S" } })));
  const got = (await doc.send(new GetCommand({ TableName: SIMPLE, Key: { pk: "cond" } }))).Item;
  assert.equal(got.ver, 1);
});

check("ReturnValuesOnConditionCheckFailure ALL_OLD puts the item on the error", async () => {
  await send(new PutItemCommand({ TableName: SIMPLE, Item: { pk: S("rvcf"), v: N(1) } }));
  const err = await expectError("ConditionalCheckFailedException", () => send(new UpdateItemCommand({
    TableName: SIMPLE, Key: { pk: S("rvcf") }, UpdateExpression: "SET v = :two", ConditionExpression: "v = :zero",
    ExpressionAttributeValues: { ":two": N(2), ":zero": N(0) }, ReturnValuesOnConditionCheckFailure: "ALL_OLD" })));
  assert.deepEqual(err.Item, { pk: S("rvcf"), v: N(1) });
}, "rvoccf");

// ---------------------------------------------------------------------------------------------
// Query and Scan

const numsQuery = async (expr, values, extra = {}) => (await queryAll({ TableName: NUMS, KeyConditionExpression: expr,
  ExpressionAttributeValues: { ":p": S("p"), ...values }, ...extra })).items.map((i) => Number(i.n.N));
const range = (a, b, step = 1) => Array.from({ length: Math.floor((b - a) / step) + 1 }, (_, k) => a + k * step);

check("Query every key operator on a numeric sort key", async () => {
  assert.deepEqual(await numsQuery("pk = :p AND n = :v", { ":v": N(5) }), [5]);
  assert.deepEqual(await numsQuery("pk = :p AND n < :v", { ":v": N(4) }), [1, 2, 3]);
  assert.deepEqual(await numsQuery("pk = :p AND n <= :v", { ":v": N(4) }), [1, 2, 3, 4]);
  assert.deepEqual(await numsQuery("pk = :p AND n > :v", { ":v": N(17) }), [18, 19, 20]);
  assert.deepEqual(await numsQuery("pk = :p AND n >= :v", { ":v": N(17) }), [17, 18, 19, 20]);
  assert.deepEqual(await numsQuery("pk = :p AND n BETWEEN :a AND :b", { ":a": N(9), ":b": N(12) }), [9, 10, 11, 12]);
  assert.deepEqual(await numsQuery("pk = :p", {}), range(1, 20));
});

check("Query begins_with on a string sort key", async () => {
  const { items } = await queryAll({ TableName: ORDERS, KeyConditionExpression: "pk = :p AND begins_with(sk, :b)",
    ExpressionAttributeValues: { ":p": S("cust#0"), ":b": S("order#00") } });
  assert.deepEqual(items.map((i) => i.sk.S), range(0, 7).map((i) => `order#00${i}`));
});

check("Query FilterExpression, ScanIndexForward=false, Select COUNT", async () => {
  const r = await send(new QueryCommand({ TableName: NUMS, KeyConditionExpression: "pk = :p", FilterExpression: "sq > :x",
    ExpressionAttributeValues: { ":p": S("p"), ":x": N(300) }, ScanIndexForward: false }));
  assert.deepEqual(r.Items.map((i) => Number(i.n.N)), [20, 19, 18]);
  assert.equal(r.Count, 3);
  assert.equal(r.ScannedCount, 20);
  const c = await send(new QueryCommand({ TableName: NUMS, KeyConditionExpression: "pk = :p AND n > :v", Select: "COUNT",
    ExpressionAttributeValues: { ":p": S("p"), ":v": N(10) } }));
  assert.equal(c.Count, 10);
  assert.equal(c.Items, undefined);
});

check("Query Limit + LastEvaluatedKey (manual and with paginateQuery)", async () => {
  const { items, pages } = await queryAll({ TableName: NUMS, KeyConditionExpression: "pk = :p", Limit: 3,
    ScanIndexForward: false, ExpressionAttributeValues: { ":p": S("p") } });
  assert.deepEqual(items.map((i) => Number(i.n.N)), range(1, 20).reverse());
  assert.ok(pages >= 7);
  const seen = [];
  for await (const page of paginateQuery({ client: doc, pageSize: 4 }, { TableName: NUMS, KeyConditionExpression: "pk = :p",
    ExpressionAttributeValues: { ":p": "p" } })) {
    assert.ok(page.Items.length <= 4);
    seen.push(...page.Items.map((i) => i.n));
  }
  assert.deepEqual(seen, range(1, 20));
});

check("Query an LSI and GSIs (KEYS_ONLY, INCLUDE, ALL) with pagination", async () => {
  let { items } = await queryAll({ TableName: ORDERS, IndexName: "byAmount", KeyConditionExpression: "pk = :p AND amount BETWEEN :a AND :b",
    ExpressionAttributeValues: { ":p": S("cust#1"), ":a": N(20), ":b": N(60) }, Limit: 2 });
  assert.deepEqual(items.map((i) => Number(i.amount.N)), [21, 31, 41, 51]);
  ({ items } = await queryAll({ TableName: ORDERS, IndexName: "byStatusKeys", KeyConditionExpression: "#s = :s",
    ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":s": S("SHIPPED") }, Limit: 3 }));
  assert.equal(items.length, 8);
  for (const i of items) assert.deepEqual(Object.keys(i).sort(), ["pk", "sk", "status"]);
  ({ items } = await queryAll({ TableName: ORDERS, IndexName: "byStatusIncl", KeyConditionExpression: "#s = :s AND amount > :a",
    ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":s": S("NEW"), ":a": N(40) } }));
  assert.deepEqual(items.map((i) => Number(i.amount.N)), [42, 51, 60, 72]);
  for (const i of items) {
    assert.ok(!("secret" in i), "INCLUDE leaves out other attributes");
    assert.equal("note" in i, Number(i.sk.S.slice(-3)) % 2 === 0, "note projected where present");
  }
  const r = await doc.send(new DocQuery({ TableName: ORDERS, IndexName: "byCustomer", KeyConditionExpression: "customer = :c",
    ExpressionAttributeValues: { ":c": "C2" }, ScanIndexForward: false, Limit: 2 }));
  assert.deepEqual(r.Items.map((i) => i.sk), ["order#007", "order#006"]);
  assert.equal(r.Items[0].secret, "not projected");
  assert.ok(r.LastEvaluatedKey && r.LastEvaluatedKey.customer === "C2" && r.LastEvaluatedKey.sk === "order#006",
    `GSI LastEvaluatedKey carries index and table keys: ${JSON.stringify(r.LastEvaluatedKey)}`);
  assert.equal(r.LastEvaluatedKey.pk, "cust#2");
});

check("Scan: filter with pagination; parallel segments cover all items once", async () => {
  const seen = [];
  for await (const page of paginateScan({ client: doc, pageSize: 5 }, { TableName: ORDERS, FilterExpression: "amount < :a",
    ExpressionAttributeValues: { ":a": 20 } })) seen.push(page.Items.map((i) => i.amount));
  assert.deepEqual(seen.flat().sort((a, b) => a - b), [0, 1, 2, 10, 11, 12]);
  assert.ok(seen.length >= 5, `pages: ${seen.length}`);
  const keys = [];
  await Promise.all([0, 1, 2].map(async (seg) => {
    const { items } = await scanAll({ TableName: ORDERS, Segment: seg, TotalSegments: 3, Limit: 4 });
    keys.push(...items.map((i) => `${i.pk.S}/${i.sk.S}`));
  }));
  assert.equal(keys.length, 24);
  assert.equal(new Set(keys).size, 24);
});

// ---------------------------------------------------------------------------------------------
// Batches and transactions

check("BatchWriteItem / BatchGetItem; 26 writes rejected", async () => {
  const puts = range(0, 24).map((k) => ({ PutRequest: { Item: { pk: S(`bw${k}`), k: N(k) } } }));
  await batchWriteAll({ [SIMPLE]: puts });
  await batchWriteAll({ [SIMPLE]: range(0, 4).map((k) => ({ DeleteRequest: { Key: { pk: S(`bw${k}`) } } })) });
  let request = { [SIMPLE]: { Keys: range(0, 24).map((k) => ({ pk: S(`bw${k}`) })), ProjectionExpression: "k" },
    [NUMS]: { Keys: [{ pk: S("p"), n: N(2) }] } };
  const got = { [SIMPLE]: [], [NUMS]: [] };
  for (let i = 0; i < 50 && Object.keys(request).length; i++) {
    const r = await send(new BatchGetItemCommand({ RequestItems: request }));
    for (const [name, items] of Object.entries(r.Responses)) got[name].push(...items);
    request = r.UnprocessedKeys || {};
  }
  assert.deepEqual(got[SIMPLE].map((i) => Number(i.k.N)).sort((a, b) => a - b), range(5, 24));
  assert.deepEqual(got[NUMS], [{ pk: S("p"), n: N(2), sq: N(4) }]);
  await expectError("ValidationException", () => send(new BatchWriteItemCommand({ RequestItems: {
    [SIMPLE]: range(0, 25).map((k) => ({ PutRequest: { Item: { pk: S(`x${k}`) } } })) } })));
});

check("TransactWriteItems success across tables", async () => {
  await send(new PutItemCommand({ TableName: SIMPLE, Item: { pk: S("acct-a"), bal: N(100) } }));
  await send(new PutItemCommand({ TableName: SIMPLE, Item: { pk: S("acct-old") } }));
  await send(new TransactWriteItemsCommand({ TransactItems: [
    { Update: { TableName: SIMPLE, Key: { pk: S("acct-a") }, UpdateExpression: "SET bal = bal - :x", ConditionExpression: "bal >= :x",
      ExpressionAttributeValues: { ":x": N(40) } } },
    { Put: { TableName: SIMPLE, Item: { pk: S("acct-b"), bal: N(40) }, ConditionExpression: "attribute_not_exists(pk)" } },
    { Delete: { TableName: SIMPLE, Key: { pk: S("acct-old") } } },
    { ConditionCheck: { TableName: NUMS, Key: { pk: S("p"), n: N(20) }, ConditionExpression: "sq = :v", ExpressionAttributeValues: { ":v": N(400) } } },
  ] }));
  const r = await send(new TransactGetItemsCommand({ TransactItems: [
    { Get: { TableName: SIMPLE, Key: { pk: S("acct-a") } } },
    { Get: { TableName: SIMPLE, Key: { pk: S("acct-b") }, ProjectionExpression: "bal" } },
    { Get: { TableName: SIMPLE, Key: { pk: S("acct-old") } } },
  ] }));
  assert.deepEqual(r.Responses.map((x) => x.Item), [{ pk: S("acct-a"), bal: N(60) }, { bal: N(40) }, undefined]);
}, "transactions");

check("TransactWriteItems cancellation: CancellationReasons per item, nothing applied", async () => {
  await send(new PutItemCommand({ TableName: SIMPLE, Item: { pk: S("tx-a"), bal: N(10) } }));
  const err = await expectError("TransactionCanceledException", () => send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: SIMPLE, Item: { pk: S("tx-new") } } },
    { Update: { TableName: SIMPLE, Key: { pk: S("tx-a") }, UpdateExpression: "SET bal = bal - :x", ConditionExpression: "bal >= :x",
      ExpressionAttributeValues: { ":x": N(50) }, ReturnValuesOnConditionCheckFailure: "ALL_OLD" } },
  ] })));
  assert.deepEqual(err.CancellationReasons.map((r) => r.Code), ["None", "ConditionalCheckFailed"]);
  assert.deepEqual(err.CancellationReasons[1].Item, { pk: S("tx-a"), bal: N(10) });
  const got = await send(new GetItemCommand({ TableName: SIMPLE, Key: { pk: S("tx-new") } }));
  assert.equal(got.Item, undefined, "first action rolled back");
}, "transactions");

check("TransactWriteItems ClientRequestToken idempotency", async () => {
  const token = `sdk-${RUN}-tok`;
  const items = [{ Update: { TableName: SIMPLE, Key: { pk: S("idem") }, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": N(1) } } }];
  await send(new TransactWriteItemsCommand({ TransactItems: items, ClientRequestToken: token }));
  await send(new TransactWriteItemsCommand({ TransactItems: items, ClientRequestToken: token }));
  const got = await send(new GetItemCommand({ TableName: SIMPLE, Key: { pk: S("idem") } }));
  assert.deepEqual(got.Item.n, N(1), "applied once");
  await expectError("IdempotentParameterMismatchException", () => send(new TransactWriteItemsCommand({ ClientRequestToken: token,
    TransactItems: [{ Delete: { TableName: SIMPLE, Key: { pk: S("idem") } } }] })));
}, "transactions");

// ---------------------------------------------------------------------------------------------
// Validation, numbers, binary

check("Validation errors: missing key, wrong key type, unused value, reserved word, 400 KB", async () => {
  await expectError("ValidationException", () => send(new PutItemCommand({ TableName: SIMPLE, Item: { x: S("1") } })),
    "Missing the key pk");
  await expectError("ValidationException", () => send(new PutItemCommand({ TableName: SIMPLE, Item: { pk: N(1) } })),
    "Type mismatch for key");
  await expectError("ValidationException", () => send(new UpdateItemCommand({ TableName: SIMPLE, Key: { pk: S("v") },
    UpdateExpression: "SET a = :a", ExpressionAttributeValues: { ":a": N(1), ":b": N(2) } })),
  "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}");
  await expectError("ValidationException", () => send(new QueryCommand({ TableName: NUMS, KeyConditionExpression: "pk = :p",
    FilterExpression: "size > :s", ExpressionAttributeValues: { ":p": S("p"), ":s": N(1) } })),
  "Attribute name is a reserved keyword; reserved keyword: size");
  await expectError("ValidationException", () => send(new PutItemCommand({ TableName: SIMPLE,
    Item: { pk: S("big"), blob: S("x".repeat(400 * 1024 + 1)) } })), "Item size has exceeded the maximum allowed size");
});

check("Numbers: 38 digits exact; lib-dynamodb NumberValue keeps precision", async () => {
  const big = "12345678901234567890123456789012345678";
  await send(new PutItemCommand({ TableName: SIMPLE, Item: { pk: S("num"), big: N(big), frac: N("0.1"), pad: N("00100.500") } }));
  const r = await send(new UpdateItemCommand({ TableName: SIMPLE, Key: { pk: S("num") }, UpdateExpression: "SET big = big - :one, frac = frac + :f",
    ExpressionAttributeValues: { ":one": N(1), ":f": N("0.2") }, ReturnValues: "ALL_NEW" }));
  assert.equal(r.Attributes.big.N, "12345678901234567890123456789012345677");
  assert.equal(r.Attributes.frac.N, "0.3");
  assert.equal(r.Attributes.pad.N, "100.5");
  const wrapped = DynamoDBDocumentClient.from(ddb, { unmarshallOptions: { wrapNumbers: true } });
  const w = await wrapped.send(new GetCommand({ TableName: SIMPLE, Key: { pk: "num" } }));
  assert.ok(w.Item.big instanceof NumberValue);
  assert.equal(w.Item.big.toString(), "12345678901234567890123456789012345677");
  await expectError("ValidationException", () => send(new PutItemCommand({ TableName: SIMPLE,
    Item: { pk: S("num2"), x: N("1234567890123456789012345678901234567890") } })));
});

check("Binary keys: round trip of every byte value", async () => {
  const key = new Uint8Array(256).map((_, i) => i);
  await send(new PutItemCommand({ TableName: BIN, Item: { id: { B: key }, bs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] } } }));
  const r = await send(new GetItemCommand({ TableName: BIN, Key: { id: { B: key } } }));
  assert.deepEqual(Array.from(r.Item.id.B), Array.from(key));
  assert.deepEqual(r.Item.bs.BS.map((b) => Array.from(b)).sort(), [[1], [2, 3]]);
});

runAll({ setup, teardown });
