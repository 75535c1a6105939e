// Where the store answers differently from dynalite 4.0.0 on purpose: dynalite departs from today's
// DynamoDB there (a feature or check it lacks, a message its own parser words, a known bug), and the
// store keeps AWS's documented behaviour. Each entry: a regex over case names (and optionally over
// the difference found), and why. tests/clients/MISMATCHES.md lists the same with the AWS source.
// A departure that no case shows any more makes the run fail too (run.js reports it as stale).
'use strict'

const departures = [
  // ---- expression parser wording
  { match: /./, diff: /Syntax error; token: /,
    why: 'Syntax errors: DynamoDB says `Syntax error; token: "<tok>", near: "<text>"`; dynalite words them with its PEG parser ("Expected ... but ... found.").' },
  { match: /^GetItem projection "l\[100000000000\]"$/,
    why: 'A list index beyond 2^31 is a syntax error in DynamoDB (the index is an int); dynalite accepts it.' },

  { match: /^Batch(Get|Write)Item (empty|(alone|fixture|missing) RequestItems:minLength|every member wrong)$/,
    diff: /Value '\{\}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    why: 'An empty RequestItems: DynamoDB answers "The requestItems parameter is required for BatchGetItem" (BatchWriteItem likewise); dynalite reports the map\'s minimum length ("Value \'{}\' at \'requestItems\' ... greater than or equal to 1"), the older wording, and counts it among the other constraint errors.' },

  { match: /^BatchGetItem 101 keys$/, diff: /Value at 'RequestItems\.[^']*\.member\.Keys'/,
    why: 'More than 100 keys for one table: DynamoDB says "Value at \'RequestItems.<table>.member.Keys\' failed to satisfy constraint: Member must have length less than or equal to 100" (the path as the request spells it, no value); dynalite echoes the keys as JSON at \'requestItems.<table>.member.keys\'.' },
  { match: /^BatchWriteItem 26$/, diff: /Value '\{[^"]*=\[WriteRequest\(putRequest=/,
    why: 'More than 25 requests for one table: DynamoDB echoes RequestItems as its Java request objects ("{<table>=[WriteRequest(putRequest=PutRequest(item={pk=AttributeValue(s=..., n=null, ...)}, workloadProfileName=null), deleteRequest=null), ...]}"); dynalite echoes the JSON.' },
  { match: /^CreateTable many bad members$/, diff: /Value 'a' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3/,
    why: 'A CreateTable table name of fewer than 3 characters: DynamoDB reports the length as a constraint among the request\'s others ("Value \'ab\' at \'tableName\' failed to satisfy constraint: Member must have length greater than or equal to 3"); dynalite answers "TableName must be at least 3 characters long and at most 255 characters long" alone.' },

  // ---- checks dynalite lacks (DynamoDB documents them)
  { match: /^DeleteItem ReturnValues (ALL_NEW|UPDATED_OLD|UPDATED_NEW)$/,
    why: 'DeleteItem ReturnValues: the API reference allows only NONE and ALL_OLD; dynalite accepts the others and ignores them.' },
  { match: /^(PutItem|UpdateItem) index key empty$/,
    why: 'An empty string as a secondary-index key is refused since empty values were allowed (2020): "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ..., IndexKey: ..."; dynalite stores it.' },
  { match: /^PutItem condition #26 /,
    why: 'An operand of the wrong type for `<` (a set) is refused at validation: "Incorrect operand type for operator or function; operator or function: <, operand type: SS"; dynalite evaluates it (and so reaches the table).' },
  { match: /^PutItem condition #31 /,
    why: 'size() takes a document path: "Operator or function requires a document path; operator or function: size"; dynalite evaluates size() of a value.' },
  { match: /^PutItem condition #39 "a = b"$/,
    why: 'A comparison with a missing attribute is false in DynamoDB (the condition fails); dynalite compares two missing attributes as equal.' },
  { match: /^PutItem Expected two with OR$|^legacy (ScanFilter|QueryFilter) two OR$/,
    why: 'ConditionalOperator OR: one true condition is enough (API reference, ConditionalOperator); dynalite returns false at the first condition that fails whatever the operator (db/index.js matchesFilter).' },
  { match: /^legacy Expected EQ #3 on l$/,
    why: 'Legacy EQ "is supported for all data types, including lists and maps" (API reference, Condition): a list equal to the operand matches; dynalite fails it.' },
  { match: /^legacy AttributesToGet Select (ALL_ATTRIBUTES|COUNT)$/,
    why: 'With AttributesToGet, Select can only be SPECIFIC_ATTRIBUTES ("Any other value for Select will return an error", API reference, Select); dynalite ignores Select.' },
  { match: /^UpdateItem expression #26 "REMOVE l\[0\], l\[1\]"$/,
    why: 'REMOVE of several list elements removes the elements at the indexes as they were before the update (developer guide, REMOVE); dynalite removes them one after the other, shifting indexes.' },
  { match: /^Query Select (SPECIFIC without list|ALL with projection|PROJECTED on table)$/,
    why: 'Select checks (API reference, Select): SPECIFIC_ATTRIBUTES needs a projection, ALL_ATTRIBUTES cannot have one, ALL_PROJECTED_ATTRIBUTES needs an index; dynalite does not check.' },
  { match: /^Scan segment without total$/,
    why: 'Segment 0 without TotalSegments is refused ("The TotalSegments parameter is required but was not present in the request when Segment parameter is present"); dynalite skips the check when Segment is 0 (falsy).' },
  { match: /^UpdateTable GSI update missing index$/,
    why: 'Updating a GSI that does not exist is ResourceNotFoundException; dynalite ignores the update.' },
  { match: /^TagResource (key|value) too long$/,
    why: 'Tag keys are 1-128 characters and values 0-256 (TagResource reference, Tag); dynalite does not check.' },
  { match: /^BatchWriteItem put and delete$/,
    why: 'A WriteRequest with both PutRequest and DeleteRequest is refused; dynalite performs the put and ignores the delete.' },

  { match: /^BatchWriteItem 26 two tables$/,
    why: 'BatchWriteItem takes at most 25 requests in all, across tables (API reference: "up to 25 item put or delete operations"); dynalite limits the list of each table to 25, so it reaches the missing table instead.' },
  { match: /^CreateTable duplicate definition$/,
    why: 'Two AttributeDefinitions with one name are refused as such; dynalite has no such check and falls through to the count of key attributes.' },
  { match: /^PutItem attr N leading plus( missing table)?$/,
    why: 'A number with a leading "+" ("+1") is a number to DynamoDB (Java BigDecimal syntax); dynalite refuses it because the big.js library it parses numbers with does not take "+".' },
  { match: /^UpdateItem expression #17 /,
    why: 'A condition function (size) in an update expression: DynamoDB says "The function is not allowed in an update expression; function: size"; dynalite does not know condition functions in its update grammar and says "Invalid function name".' },

  { match: /^UpdateItem more #\d+ "SET a = :a" "n IN \(/,
    why: 'IN takes at most 100 operands ("The IN operator is provided with too many operands; number of operands: 101"); dynalite takes any number.' },
  { match: /^PutItem key 2049 bytes multibyte$/,
    why: 'Key limits are in UTF-8 bytes (partition key 2048 bytes); dynalite counts characters, so 1024 two-byte characters plus one pass.' },
  { match: /^(PutItem|DeleteItem) ReturnConsumedCapacity (TOTAL|INDEXES)$/,
    why: 'A write to a table with secondary indexes also consumes a write unit per 1 KB for each index entry it puts or deletes (Developer Guide, "Provisioned throughput considerations for Global Secondary Indexes" / "... Local Secondary Indexes"), folded into CapacityUnits and listed per index under INDEXES; dynalite charges the table write only.' },
  { match: /^(PutItem|DeleteItem) ReturnItemCollectionMetrics SIZE$/,
    why: 'ItemCollectionMetrics (ItemCollectionKey, SizeEstimateRangeGB) come back for a table with a local secondary index when asked (API reference, ReturnItemCollectionMetrics); dynalite never returns them.' },
  { match: /^UpdateItem more #\d+ /, diff: /^body \{\} vs \{"Attributes":\{\}\}$/,
    why: 'UPDATED_OLD when none of the updated attributes existed: the store leaves Attributes out, as DynamoDB leaves out an empty Attributes map; dynalite sends "Attributes": {}. (Not settled by AWS documentation; SDKs read both the same.)' },

  { match: /^legacy ScanFilter (EQ #3|EQ #4|NE #2)$/,
    why: 'Legacy EQ and NE are "supported for all data types, including lists and maps" (API reference, Condition), in QueryFilter/ScanFilter as in Expected; dynalite refuses a list, map or boolean operand.' },
  { match: /^UpdateItem Expected (LT set|CONTAINS list|BEGINS_WITH number)( missing table)?$|^legacy Expected (LT #3|CONTAINS #4|BEGINS_WITH #2|IN #3) on \w+$/,
    why: 'Expected operands are type-checked before the item is read (API reference, ExpectedAttributeValue: BEGINS_WITH takes a String or Binary; LT/LE/GT/GE, CONTAINS, NOT_CONTAINS, IN and BETWEEN a String, Number or Binary, not a set): "ComparisonOperator X is not valid for T AttributeValue type", as for QueryFilter; dynalite evaluates them and fails (or passes) the condition.' },
  { match: /^legacy Expected NOT_CONTAINS #\d on missing$/,
    why: 'NOT_CONTAINS on a missing attribute is false in DynamoDB (both CONTAINS and NOT_CONTAINS fail; observed on DynamoDB by ScyllaDB Alternator\'s test_expected.py, which runs against AWS); dynalite passes it.' },
  { match: /^UpdateItem REMOVE on missing item ALL_NEW$/, diff: /never/,
    why: 'An update that only removes attributes does not create a missing item, so ALL_NEW returns no Attributes (observed on DynamoDB by ScyllaDB Alternator\'s test_item.py / test_returnvalues.py, which run against AWS); dynalite creates the item {pk: "never"}, which its later Scan then returns.' },
  { match: /^Scan projection$/, diff: /^body \{"Count":9,/,
    why: 'Follows from the previous: the table holds no item "never" in the store, so this Scan counts one item fewer than dynalite\'s.' },

  // ---- newer DynamoDB (dynalite 4.0.0 predates it)
  { match: /^CreateTable exists$/,
    why: 'ResourceInUseException message: DynamoDB says "Table already exists: <name>"; dynalite sends an empty message.' },

  // ---- the identity and protocol dynalite fakes
  { match: /^(TagResource|ListTagsOfResource) bad arn$/,
    why: 'dynalite answers AccessDeniedException naming its own fake IAM user; the store has no IAM and answers ValidationException as DynamoDB does for an ARN it cannot read ("ARNs must start with \'arn:\'" when it is no ARN at all, "Invalid TableArn" otherwise).' },
  { match: /^GetItem body (not JSON|array|string)$|^ListTables zero-length body$/,
    why: 'Bodies that are not a JSON object: the store answers SerializationException with a message (a JSON array is not a structure); dynalite sends no message, or treats an array as an empty request, or refuses an empty body that DynamoDB takes as `{}`.' },
]

module.exports = { departures }
