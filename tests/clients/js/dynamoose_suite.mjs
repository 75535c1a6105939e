// Acceptance scenario with Dynamoose (a modelling library on top of SDK v3): a model with a schema,
// table creation through the library, create / get / update / query by index / scan with a
// condition / transaction / conditional failure, judged as an application would.
//   DDB_ENDPOINT=http://127.0.0.1:8000 node tests/clients/js/dynamoose_suite.mjs
import dynamoose from "dynamoose";
import { check, runAll, expectError, assert, ENDPOINT, RUN } from "./lib/runner.mjs";

dynamoose.aws.ddb.set(new dynamoose.aws.ddb.DynamoDB({
  endpoint: ENDPOINT,
  region: process.env.AWS_REGION || "us-east-1",
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID || "AKIDEXAMPLE", secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || "secret" },
  maxAttempts: 1,
}));

const USERS = `dy${RUN}_users`;
const ORDERS = `dy${RUN}_orders`;

const userSchema = new dynamoose.Schema({
  id: { type: String, hashKey: true },
  email: { type: String, required: true, index: { name: "byEmail", type: "global" } },
  name: String,
  age: Number,
  visits: { type: Number, default: 0 },
  roles: { type: Set, schema: [String] },
  address: { type: Object, schema: { city: String, zip: String } },
}, { timestamps: true, saveUnknown: false });

const orderSchema = new dynamoose.Schema({
  customer: { type: String, hashKey: true },
  orderId: { type: String, rangeKey: true },
  total: { type: Number, index: { name: "byTotal", type: "local" } },
  status: { type: String, index: { name: "byStatus", type: "global", rangeKey: "total", project: ["customer", "orderId", "total"] } },
  items: { type: Array, schema: [String] },
});

const User = dynamoose.model(USERS, userSchema);
const Order = dynamoose.model(ORDERS, orderSchema);
const tableOptions = { initialize: false, create: true, throughput: "ON_DEMAND", waitForActive: { enabled: true, check: { timeout: 60000, frequency: 100 } } };
const usersTable = new dynamoose.Table(USERS, [User], tableOptions);
const ordersTable = new dynamoose.Table(ORDERS, [Order], tableOptions);

async function setup() {
  await usersTable.initialize();
  await ordersTable.initialize();
}

async function teardown() {
  const ddb = dynamoose.aws.ddb();
  for (const name of [USERS, ORDERS]) await ddb.deleteTable({ TableName: name }).catch(() => {});
}

check("Model table created from the schema, with its indexes", async () => {
  const d = (await dynamoose.aws.ddb().describeTable({ TableName: ORDERS })).Table;
  assert.equal(d.TableStatus, "ACTIVE");
  assert.deepEqual(d.KeySchema.map((k) => `${k.AttributeName}:${k.KeyType}`), ["customer:HASH", "orderId:RANGE"]);
  assert.deepEqual(d.LocalSecondaryIndexes.map((i) => i.IndexName), ["byTotal"]);
  const g = d.GlobalSecondaryIndexes.find((i) => i.IndexName === "byStatus");
  assert.equal(g.Projection.ProjectionType, "INCLUDE");
});

check("create, get (with defaults, timestamps, sets, nested object)", async () => {
  await User.create({ id: "u1", email: "ann@example.com", name: "Ann", age: 34, roles: new Set(["admin", "dev"]), address: { city: "Oslo", zip: "0150" } });
  const u = await User.get("u1");
  assert.ok(u, "document found");
  assert.equal(u.name, "Ann");
  assert.equal(u.visits, 0, "default applied");
  assert.ok(u.createdAt instanceof Date || typeof u.createdAt === "number", "timestamps");
  assert.deepEqual([...u.roles].sort(), ["admin", "dev"]);
  assert.deepEqual(u.address, { city: "Oslo", zip: "0150" });
  assert.equal(await User.get("nobody"), undefined);
});

check("create of an existing key fails with ConditionalCheckFailedException", async () => {
  await expectError("ConditionalCheckFailedException", () => User.create({ id: "u1", email: "dup@example.com" }));
  assert.equal((await User.get("u1")).email, "ann@example.com");
});

check("update with $ADD, $SET, $REMOVE returns the new document", async () => {
  const u = await User.update({ id: "u1" }, { $ADD: { visits: 2, roles: ["ops"] }, $SET: { name: "Ann B" }, $REMOVE: ["address"] });
  assert.equal(u.visits, 2);
  assert.equal(u.name, "Ann B");
  assert.deepEqual([...u.roles].sort(), ["admin", "dev", "ops"]);
  assert.equal(u.address, undefined);
});

check("conditional save fails and leaves the document unchanged", async () => {
  const u = await User.get("u1");
  u.age = 99;
  await expectError("ConditionalCheckFailedException", () => u.save({ condition: new dynamoose.Condition("age").eq(1) }));
  assert.equal((await User.get("u1")).age, 34);
  await User.update({ id: "u1" }, { age: 35 }, { condition: new dynamoose.Condition("age").eq(34) });
  assert.equal((await User.get("u1")).age, 35);
});

check("query by global index and by hash + range with sort and limit", async () => {
  await User.create({ id: "u2", email: "bob@example.com", name: "Bob", age: 25 });
  await User.create({ id: "u3", email: "bob@example.com", name: "Bob2", age: 52 });
  const bobs = await User.query("email").eq("bob@example.com").using("byEmail").exec();
  assert.deepEqual(bobs.map((u) => u.id).sort(), ["u2", "u3"]);
  const statuses = ["NEW", "PAID", "SHIPPED"];
  for (let i = 0; i < 12; i++) {
    await Order.create({ customer: `c${i % 2}`, orderId: `2024-${String(i).padStart(2, "0")}`, total: i * 10, status: statuses[i % 3], items: [`sku${i}`] });
  }
  const recent = await Order.query("customer").eq("c0").where("orderId").beginsWith("2024-").sort("descending").limit(3).exec();
  assert.deepEqual(recent.map((o) => o.orderId), ["2024-10", "2024-08", "2024-06"]);
  assert.ok(recent.lastKey, "limit leaves a lastKey to continue from");
  const rest = await Order.query("customer").eq("c0").sort("descending").startAt(recent.lastKey).exec();
  assert.deepEqual(rest.map((o) => o.orderId), ["2024-04", "2024-02", "2024-00"]);
  const big = await Order.query("customer").eq("c1").where("total").ge(50).using("byTotal").exec();
  assert.deepEqual(big.map((o) => o.total), [50, 70, 90, 110]);
  const paid = await Order.query("status").eq("PAID").where("total").between(0, 80).using("byStatus").exec();
  assert.deepEqual(paid.map((o) => o.total), [10, 40, 70]);
  const count = await Order.query("customer").eq("c1").count().exec();
  assert.equal(count.count, 6);
});

check("scan with a condition, all pages", async () => {
  const older = await User.scan("age").gt(30).all().exec();
  assert.deepEqual(older.map((u) => u.id).sort(), ["u1", "u3"]);
  const paged = await Order.scan(new dynamoose.Condition("status").eq("NEW").and().where("total").lt(100)).limit(2).all().exec();
  assert.deepEqual(paged.map((o) => o.total).sort((a, b) => a - b), [0, 30, 60, 90]);
});

check("transaction: create + update + condition commit together", async () => {
  await dynamoose.transaction([
    User.transaction.create({ id: "u4", email: "cy@example.com", age: 40 }),
    User.transaction.update({ id: "u2" }, { $ADD: { visits: 1 } }),
    User.transaction.condition("u1", new dynamoose.Condition("age").eq(35)),
  ]);
  assert.equal((await User.get("u4")).age, 40);
  assert.equal((await User.get("u2")).visits, 1);
}, "transactions");

check("transaction cancelled by a failed condition applies nothing", async () => {
  const err = await expectError("TransactionCanceledException", () => dynamoose.transaction([
    User.transaction.update({ id: "u2" }, { $ADD: { visits: 10 } }),
    User.transaction.condition("u1", new dynamoose.Condition("age").eq(1)),
  ]));
  assert.deepEqual(err.CancellationReasons.map((r) => r.Code), ["None", "ConditionalCheckFailed"]);
  assert.equal((await User.get("u2")).visits, 1);
  const got = await dynamoose.transaction([User.transaction.get("u1"), User.transaction.get("u4")]);
  assert.deepEqual(got.map((u) => u.id), ["u1", "u4"]);
}, "transactions");

check("batchGet and delete", async () => {
  const many = await User.batchGet(["u1", "u2", "missing"]);
  assert.deepEqual(many.map((u) => u.id).sort(), ["u1", "u2"]);
  await User.delete("u3");
  assert.equal(await User.get("u3"), undefined);
});

runAll({ setup, teardown });
