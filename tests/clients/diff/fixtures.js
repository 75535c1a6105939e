// The tables every case runs against (created the same way on both servers before the cases) and
// one valid request per operation that the generated cases break one member of.
'use strict'

const HASH = 'diff_hash', RANGE = 'diff_range'

const setup = [
  [ 'CreateTable', { TableName: HASH, AttributeDefinitions: [ { AttributeName: 'pk', AttributeType: 'S' } ],
    KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' } ],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } ],
  [ 'CreateTable', { TableName: RANGE,
    AttributeDefinitions: [ { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' } ],
    KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' } ],
    LocalSecondaryIndexes: [ { IndexName: 'lsi_a', KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'a', KeyType: 'RANGE' } ], Projection: { ProjectionType: 'ALL' } } ],
    GlobalSecondaryIndexes: [ { IndexName: 'gsi_g', KeySchema: [ { AttributeName: 'g', KeyType: 'HASH' } ],
      Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } ],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } ],
]

// Items both tables hold before the cases run.
const seed = [
  { pk: { S: 'k1' }, n: { N: '5' }, s: { S: 'text' }, l: { L: [ { S: 'x' }, { N: '1' } ] },
    m: { M: { inner: { S: 'v' } } }, ss: { SS: [ 'a', 'b' ] }, b: { B: 'AAEC' } },
  { pk: { S: 'k2' }, n: { N: '-1.5' } },
]
const seedRange = []
for (let i = 1; i <= 6; i++) {
  seedRange.push({ pk: { S: i <= 4 ? 'p1' : 'p2' }, sk: { N: String(i) }, a: { S: 'a' + (7 - i) },
    g: { S: i % 2 ? 'odd' : 'even' }, v: { N: String(i * 10) } })
}

const key = { pk: { S: 'k1' } }
const baseRequests = {
  BatchGetItem: (ctx, t) => ({ RequestItems: { [t || HASH]: { Keys: [ key ] } } }),
  BatchWriteItem: (ctx, t) => ({ RequestItems: { [t || HASH]: [ { PutRequest: { Item: { pk: { S: 'bw' } } } } ] } }),
  CreateTable: (ctx, t) => ({ TableName: t || 'diff_never_created', AttributeDefinitions: [ { AttributeName: 'pk', AttributeType: 'S' } ],
    KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' } ], ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
  DeleteItem: (ctx, t) => ({ TableName: t || HASH, Key: { pk: { S: 'absent' } } }),
  DeleteTable: (ctx, t) => ({ TableName: t || 'diff_missing' }),
  DescribeTable: (ctx, t) => ({ TableName: t || HASH }),
  DescribeTimeToLive: (ctx, t) => ({ TableName: t || HASH }),
  GetItem: (ctx, t) => ({ TableName: t || HASH, Key: key }),
  ListTables: () => ({}),
  ListTagsOfResource: (ctx, t) => ({ ResourceArn: ctx.arn(t || HASH) }),
  PutItem: (ctx, t) => ({ TableName: t || HASH, Item: { pk: { S: 'put' } } }),
  Query: (ctx, t) => ({ TableName: t || RANGE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p1' } } }),
  Scan: (ctx, t) => ({ TableName: t || RANGE }),
  TagResource: (ctx, t) => ({ ResourceArn: ctx.arn(t || HASH), Tags: [ { Key: 'k', Value: 'v' } ] }),
  UntagResource: (ctx, t) => ({ ResourceArn: ctx.arn(t || HASH), TagKeys: [ 'k' ] }),
  UpdateItem: (ctx, t) => ({ TableName: t || HASH, Key: { pk: { S: 'upd' } }, UpdateExpression: 'SET a = :a',
    ExpressionAttributeValues: { ':a': { S: 'x' } } }),
  UpdateTable: (ctx, t) => ({ TableName: t || HASH, ProvisionedThroughput: { ReadCapacityUnits: 6, WriteCapacityUnits: 6 } }),
}

module.exports = { HASH, RANGE, setup, seed, seedRange, baseRequests }
