// GET /api/categories/{c}?limit=N: the first products of a category, through the table's
// `by-category` global secondary index (sorted by rank). Cacheable briefly: stock changes.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.PRODUCTS_TABLE ?? "products";
const INDEX = process.env.CATEGORY_INDEX ?? "by-category";
// Init-time priming: the SDK loads its credential chain and opens its connection to the store on
// the first call, not at import. One cheap read here (an id no product has) moves that cost into
// the init phase, which provisioned concurrency runs before any traffic.
await doc.send(new GetCommand({ TableName: TABLE, Key: { id: "-" } }));

const reply = (statusCode, body, cacheControl) => ({
  statusCode,
  headers: { "content-type": "application/json", "cache-control": cacheControl },
  body: JSON.stringify(body),
});

export const handler = async (event) => {
  const category = event.pathParameters?.c ?? "";
  if (!/^[a-z0-9-]{1,32}$/.test(category)) return reply(400, { message: "invalid category" }, "no-store");
  const asked = Number.parseInt(event.queryStringParameters?.limit ?? "20", 10);
  const limit = Number.isFinite(asked) ? Math.min(Math.max(asked, 1), 50) : 20;
  const { Items = [] } = await doc.send(new QueryCommand({
    TableName: TABLE,
    IndexName: INDEX,
    KeyConditionExpression: "category = :c",
    ExpressionAttributeValues: { ":c": category },
    Limit: limit,
  }));
  return reply(200, { category, items: Items }, "public, max-age=5");
};
