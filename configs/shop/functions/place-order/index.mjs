// POST /api/orders {"productId": "p00042", "quantity": 2}: one transaction takes the stock
// (a conditional update: only while enough is left) and writes the order (a conditional put:
// never over an existing order id). Never cached.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const PRODUCTS = process.env.PRODUCTS_TABLE ?? "products";
const ORDERS = process.env.ORDERS_TABLE ?? "orders";
// Init-time priming: the SDK loads its credential chain and opens its connection to the store on
// the first call, not at import. One cheap read here (an id no product has) moves that cost into
// the init phase, which provisioned concurrency runs before any traffic.
await doc.send(new GetCommand({ TableName: PRODUCTS, Key: { id: "-" } }));

const reply = (statusCode, body) => ({
  statusCode,
  headers: { "content-type": "application/json", "cache-control": "no-store" },
  body: JSON.stringify(body),
});

export const handler = async (event) => {
  let order;
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString() : event.body ?? "";
    order = JSON.parse(text);
  } catch {
    return reply(400, { message: "the body must be JSON" });
  }
  const { productId, quantity } = order ?? {};
  if (typeof productId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(productId))
    return reply(400, { message: "productId must be a product id" });
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100)
    return reply(400, { message: "quantity must be an integer from 1 to 100" });
  const orderId = randomUUID();
  try {
    await doc.send(new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: PRODUCTS,
            Key: { id: productId },
            UpdateExpression: "SET stock = stock - :q",
            ConditionExpression: "attribute_exists(id) AND stock >= :q",
            ExpressionAttributeValues: { ":q": quantity },
          },
        },
        {
          Put: {
            TableName: ORDERS,
            Item: { orderId, productId, quantity, createdAt: new Date().toISOString() },
            ConditionExpression: "attribute_not_exists(orderId)",
          },
        },
      ],
    }));
  } catch (err) {
    if (err.name === "TransactionCanceledException") return reply(409, { message: "out of stock or no such product" });
    throw err;
  }
  return reply(201, { orderId, productId, quantity });
};
