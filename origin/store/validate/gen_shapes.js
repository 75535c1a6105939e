// Regenerates shapes.cc from dynalite's request shapes plus the additions below (operations and
// limits dynalite lacks). Usage: (cd tests/clients/dynalite && npm ci) && node origin/store/validate/gen_shapes.js
// Not part of the build: shapes.cc is committed.
const fs = require('fs');
const path = require('path');
const validations = path.join(__dirname, '../../../tests/clients/dynalite/node_modules/dynalite/validations');
const s = {};
for (const f of fs.readdirSync(validations)) {
  if (f === 'index.js') continue;
  s[f.replace('.js', '')] = require(path.join(validations, f)).types;
}
const out = {};
const upper = k => k[0].toUpperCase() + k.slice(1);
for (const k in s) out[upper(k)] = s[k];
const tableName = { type: 'String', notNull: true, regex: '[a-zA-Z0-9_.-]+', lengthGreaterThanOrEqual: 3, lengthLessThanOrEqual: 255 };
const retCap = { type: 'String', enum: ['INDEXES', 'TOTAL', 'NONE'] };
const retMetrics = { type: 'String', enum: ['SIZE', 'NONE'] };
const streamSpec = { type: 'FieldStruct<StreamSpecification>', children: {
  StreamEnabled: { type: 'Boolean', notNull: true },
  StreamViewType: { type: 'String', enum: ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] } } };
const tags = { type: 'List', children: { type: 'ValueStruct<Tag>', children: {
  Key: { type: 'String', notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 128 },
  Value: { type: 'String', notNull: true, lengthGreaterThanOrEqual: 0, lengthLessThanOrEqual: 256 } } } };
out.CreateTable.StreamSpecification = streamSpec;
// AWS API reference limits dynalite's shapes leave out: key attribute names 1..255, tag keys
// 1..128 and values 0..256 (TagResource: up to 50 tags), ARNs 1..1283.
for (const m of ['KeySchema']) {
  const ks = out.CreateTable[m].children.children.AttributeName;
  ks.lengthGreaterThanOrEqual = 1; ks.lengthLessThanOrEqual = 255;
}
out.CreateTable.AttributeDefinitions.children.children.AttributeName = Object.assign(
  {}, out.CreateTable.AttributeDefinitions.children.children.AttributeName, { lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 255 });
out.CreateTable.Tags = tags;
// ResourceArn, Tags and TagKeys are not notNull here: DynamoDB answers a missing ResourceArn with
// "Invalid TableArn" and checks the lists after the ARN (ops_tables.cc, checkTagRequest).
out.TagResource = { ResourceArn: { type: 'String', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 1283 },
  Tags: tags };
out.UntagResource = { ResourceArn: { type: 'String', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 1283 },
  TagKeys: { type: 'List', children: { type: 'String', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 128 } } };
out.UpdateTable.StreamSpecification = streamSpec;
// Members newer than dynalite's model: deletion protection and the table class. DynamoDB does not
// check TableClass as an enum (a 1-validation-error message) but with its own "Invalid table-class
// parameter provided" (ops_tables.cc, checkTableClass).
for (const op of ['CreateTable', 'UpdateTable']) {
  out[op].TableClass = { type: 'String' };
  out[op].DeletionProtectionEnabled = { type: 'Boolean' };
  // The range (at least 1, or -1 for no maximum) is checked with AWS's own words (ops_tables.cc).
  out[op].OnDemandThroughput = { type: 'FieldStruct<OnDemandThroughput>', children: {
    MaxReadRequestUnits: { type: 'Long' }, MaxWriteRequestUnits: { type: 'Long' } } };
}
// A global index's own maxima: CreateTable's GlobalSecondaryIndexes, UpdateTable's Create and
// Update actions. An Update may name OnDemandThroughput alone, so its ProvisionedThroughput is
// optional (API reference, UpdateGlobalSecondaryIndexAction).
out.CreateTable.GlobalSecondaryIndexes.children.children.OnDemandThroughput = out.CreateTable.OnDemandThroughput;
const gsiUpdate = out.UpdateTable.GlobalSecondaryIndexUpdates.children.children;
gsiUpdate.Create.children.OnDemandThroughput = out.UpdateTable.OnDemandThroughput;
gsiUpdate.Update.children.OnDemandThroughput = out.UpdateTable.OnDemandThroughput;
delete gsiUpdate.Update.children.ProvisionedThroughput.notNull;
out.UpdateTable.AttributeDefinitions = JSON.parse(JSON.stringify(out.CreateTable.AttributeDefinitions));
delete out.UpdateTable.AttributeDefinitions.notNull;
// A GSI's key may have up to four HASH and four RANGE attributes (multi-attribute keys, November
// 2025): its KeySchema has no length limit of 2; the element counts are checked with AWS's own
// words (ops_tables.cc, readKeySchema). A table's and an LSI's KeySchema keep the limit.
for (const holder of [out.CreateTable.GlobalSecondaryIndexes.children.children,
  out.UpdateTable.GlobalSecondaryIndexUpdates.children.children.Create.children]) {
  holder.KeySchema = Object.assign({}, holder.KeySchema);
  delete holder.KeySchema.lengthLessThanOrEqual;
}
// On-demand tables create indexes without ProvisionedThroughput (API reference: required only for PROVISIONED).
delete out.UpdateTable.GlobalSecondaryIndexUpdates.children.children.Create.children.ProvisionedThroughput.notNull;
// An empty RequestItems is not a length violation in today's DynamoDB but its own error, "The
// requestItems parameter is required for BatchGetItem" (ops_batch.cc, ops_transact.cc).
for (const op of ['BatchGetItem', 'BatchWriteItem']) delete out[op].RequestItems.lengthGreaterThanOrEqual;
const exprNames = { type: 'Map<java.lang.String>', children: 'String' };
const exprValues = { type: 'Map<AttributeValue>', children: 'AttrStruct<ValueStruct>' };
const key = { type: 'Map<AttributeValue>', notNull: true, children: 'AttrStruct<ValueStruct>' };
const onFail = { type: 'String', enum: ['ALL_OLD', 'NONE'] };
for (const op of ['PutItem', 'UpdateItem', 'DeleteItem']) out[op].ReturnValuesOnConditionCheckFailure = onFail;
out.UpdateTimeToLive = { TableName: tableName, TimeToLiveSpecification: { type: 'FieldStruct<TimeToLiveSpecification>', notNull: true, children: {
  AttributeName: { type: 'String', notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 255 },
  Enabled: { type: 'Boolean', notNull: true } } } };
const writeCommon = { TableName: tableName, ConditionExpression: { type: 'String' }, ExpressionAttributeNames: exprNames,
  ExpressionAttributeValues: exprValues, ReturnValuesOnConditionCheckFailure: onFail };
out.TransactWriteItems = {
  ReturnConsumedCapacity: retCap, ReturnItemCollectionMetrics: retMetrics,
  ClientRequestToken: { type: 'String', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 36 },
  TransactItems: { type: 'List', notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 100, children: {
    type: 'ValueStruct<TransactWriteItem>', children: {
      ConditionCheck: { type: 'FieldStruct<ConditionCheck>', children: Object.assign({ Key: key }, writeCommon, { ConditionExpression: { type: 'String', notNull: true } }) },
      Put: { type: 'FieldStruct<Put>', children: Object.assign({ Item: key }, writeCommon) },
      Delete: { type: 'FieldStruct<Delete>', children: Object.assign({ Key: key }, writeCommon) },
      Update: { type: 'FieldStruct<Update>', children: Object.assign({ Key: key, UpdateExpression: { type: 'String', notNull: true } }, writeCommon) } } } } };
out.TransactGetItems = {
  ReturnConsumedCapacity: retCap,
  TransactItems: { type: 'List', notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 100, children: {
    type: 'ValueStruct<TransactGetItem>', children: {
      Get: { type: 'FieldStruct<Get>', notNull: true, children: { Key: key, TableName: tableName,
        ProjectionExpression: { type: 'String' }, ExpressionAttributeNames: exprNames } } } } } };
out.DescribeEndpoints = {};
out.DescribeLimits = {};
out.DescribeContinuousBackups = { TableName: tableName };
out.UpdateContinuousBackups = { TableName: tableName, PointInTimeRecoverySpecification: {
  type: 'FieldStruct<PointInTimeRecoverySpecification>', notNull: true, children: {
    PointInTimeRecoveryEnabled: { type: 'Boolean', notNull: true },
    RecoveryPeriodInDays: { type: 'Integer', greaterThanOrEqual: 1, lessThanOrEqual: 35 } } } };
const streamArn = { type: 'String', notNull: true, lengthGreaterThanOrEqual: 37, lengthLessThanOrEqual: 1024 };
out['Streams.ListStreams'] = { TableName: Object.assign({}, tableName, { notNull: undefined }),
  Limit: { type: 'Integer', greaterThanOrEqual: 1, lessThanOrEqual: 100 },
  ExclusiveStartStreamArn: { type: 'String', lengthGreaterThanOrEqual: 37, lengthLessThanOrEqual: 1024 } };
delete out['Streams.ListStreams'].TableName.notNull;
out['Streams.DescribeStream'] = { StreamArn: streamArn, Limit: { type: 'Integer', greaterThanOrEqual: 1, lessThanOrEqual: 100 },
  ExclusiveStartShardId: { type: 'String', lengthGreaterThanOrEqual: 28, lengthLessThanOrEqual: 65 } };
out['Streams.GetShardIterator'] = { StreamArn: streamArn,
  ShardId: { type: 'String', notNull: true, lengthGreaterThanOrEqual: 28, lengthLessThanOrEqual: 65 },
  ShardIteratorType: { type: 'String', notNull: true, enum: ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] },
  SequenceNumber: { type: 'String', lengthGreaterThanOrEqual: 21, lengthLessThanOrEqual: 40 } };
out['Streams.GetRecords'] = { ShardIterator: { type: 'String', notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 2048 },
  Limit: { type: 'Integer', greaterThanOrEqual: 1, lessThanOrEqual: 1000 } };
out.$AttrValueStruct = { children: { S: 'String', B: 'Blob', N: 'String', BOOL: 'Boolean', NULL: 'Boolean',
  BS: { type: 'List', children: 'Blob' }, NS: { type: 'List', children: 'String' }, SS: { type: 'List', children: 'String' },
  L: { type: 'List', children: 'AttrStruct<ValueStruct>' }, M: { type: 'Map<AttributeValue>', children: 'AttrStruct<ValueStruct>' } } };
// Shapes AWS repeats member for member (a KeySchema, a Projection, an AttributeValue map in every
// item operation...) are written once under "$defs" and referred to as {"$ref": "<Name>"}: the
// largest repeated block first, named after the member that holds it, until no block of more than
// a few lines appears twice.
function hoistRepeats(root) {
  const defs = {};
  const minChars = 120;
  for (;;) {
    const seen = new Map();  // serialised block -> { count, name }
    const walk = (node, name) => {
      if (!node || typeof node !== 'object' || Array.isArray(node)) return;
      const text = JSON.stringify(node);
      if (text.length >= minChars && !('$ref' in node)) {
        const e = seen.get(text) || { count: 0, name };
        e.count++;
        seen.set(text, e);
      }
      for (const k of Object.keys(node)) walk(node[k], k === 'children' ? name : k);
    };
    for (const op of Object.keys(root)) for (const m of Object.keys(root[op])) walk(root[op][m], m);
    for (const d of Object.keys(defs)) for (const k of Object.keys(defs[d])) walk(defs[d][k], k === 'children' ? d : k);
    let best = null;
    for (const [text, e] of seen) if (e.count > 1 && (!best || text.length > best.text.length)) best = { text, name: e.name };
    if (!best) break;
    let name = best.name.replace(/^\$/, '');
    for (let i = 2; name in defs; i++) name = best.name + i;
    defs[name] = JSON.parse(best.text);
    const replace = node => {
      if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
      if (JSON.stringify(node) === best.text) return { $ref: name };
      for (const k of Object.keys(node)) node[k] = replace(node[k]);
      return node;
    };
    for (const op of Object.keys(root)) for (const m of Object.keys(root[op])) root[op][m] = replace(root[op][m]);
    for (const d of Object.keys(defs)) if (d !== name) defs[d] = replace(defs[d]);
    for (const k of Object.keys(defs[name])) defs[name][k] = replace(defs[name][k]);
  }
  root.$defs = defs;
}
hoistRepeats(out);
const json = JSON.stringify(out, null, 1);
const chunks = json.match(/.{1,100}/g).map(c => c);
const body = `// The request shapes of every operation: member names, JSON types and AWS's declared constraints
// (lengths, enums, patterns, ranges), in the order AWS checks them. The shapes are AWS's API model
// as dynalite 4.0.0 encodes it (MIT), plus the operations dynalite lacks (transactions, TTL update,
// continuous backups, Streams) from the DynamoDB API reference. Interpreted by validate/shape.cc.
#include "origin/store/validate/shape.h"

namespace cdnlab::store::validate {

// Keys: operation name (Streams operations as "Streams.<Name>"); "$AttrValueStruct" is the
// AttributeValue union every AttrStruct<...> expands to; "$defs" holds the shapes several
// operations share, each written once and used as {"$ref": "<Name>"}.
const char* requestShapesJson() {
  return R"SHAPES(${json})SHAPES";
}

}  // namespace cdnlab::store::validate
`;
fs.writeFileSync(path.join(__dirname, 'shapes.cc'), body);
