// GET /api/products/{id}: one product from the `products` table (AWS SDK v3, DocumentClient).
// Cacheable for a minute: the CDN serves repeated reads without calling the function.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

// Created once per execution environment (outside the handler): warm invocations reuse it.
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.PRODUCTS_TABLE ?? "products";
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
  const id = event.pathParameters?.id ?? "";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return reply(400, { message: "invalid product id" }, "no-store");
  const { Item } = await doc.send(new GetCommand({ TableName: TABLE, Key: { id } }));
  if (!Item) return reply(404, { message: `no product ${id}` }, "public, max-age=10");
  return reply(200, Item, "public, max-age=60");
};
