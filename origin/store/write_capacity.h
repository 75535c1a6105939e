// The ConsumedCapacity of a write (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
// TransactWriteItems): the table's
// own units plus what the write cost its secondary indexes (WriteDelta::indexUnits), which
// DynamoDB folds into CapacityUnits and, under INDEXES, reports per index.
#pragma once

#include "origin/store/item_codec.h"
#include "origin/store/json_out.h"
#include "origin/store/request_util.h"
#include "origin/store/table.h"

namespace cdnlab::store {

// What the write cost `t`'s local indexes, which draw on the table's provisioned write capacity
// (a global index has its own).
double localIndexUnits(const TableDesc& t, const WriteDelta& d);
double indexUnits(const TableDesc& t, const WriteDelta& d);

// Multiplies what `d`'s index entries cost by `factor` (2: a transaction's writes).
void scaleIndexUnits(WriteDelta& d, double factor);

// Meters the index units (store_metrics.h), as writeUnits() does the table's.
void meterIndexUnits(const TableDesc& t, const WriteDelta& d);

// {TableName, CapacityUnits: table + indexes} and, for INDEXES, {Table: {CapacityUnits}} and a
// GlobalSecondaryIndexes / LocalSecondaryIndexes map of each index the write cost something
// (absent when none did, as DynamoDB answers).
void writeWriteCapacity(JsonWriter& w, const TableDesc& t, double tableUnits, const WriteDelta& d, CapacityMode mode);

}  // namespace cdnlab::store
