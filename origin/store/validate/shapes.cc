// The request shapes of every operation: member names, JSON types and AWS's declared constraints
// (lengths, enums, patterns, ranges), in the order AWS checks them. The shapes are AWS's API model
// as dynalite 4.0.0 encodes it (MIT), plus the operations dynalite lacks (transactions, TTL update,
// continuous backups, Streams) from the DynamoDB API reference. Interpreted by validate/shape.cc.
#include "origin/store/validate/shape.h"

namespace cdnlab::store::validate {

// Keys: operation name (Streams operations as "Streams.<Name>"); "$AttrValueStruct" is the
// AttributeValue union every AttrStruct<...> expands to; "$defs" holds the shapes several
// operations share, each written once and used as {"$ref": "<Name>"}.
const char* requestShapesJson() {
  return R"SHAPES({
 "BatchGetItem": {
  "ReturnConsumedCapacity": {
   "type": "String",
   "enum": [
    "INDEXES",
    "TOTAL",
    "NONE"
   ]
  },
  "RequestItems": {
   "type": "Map<KeysAndAttributes>",
   "notNull": true,
   "keys": {
    "lengthLessThanOrEqual": 255,
    "lengthGreaterThanOrEqual": 3,
    "regex": "[a-zA-Z0-9_.-]+"
   },
   "children": {
    "type": "ValueStruct<KeysAndAttributes>",
    "children": {
     "Keys": {
      "type": "List",
      "notNull": true,
      "lengthGreaterThanOrEqual": 1,
      "lengthLessThanOrEqual": 100,
      "children": {
       "type": "ParameterizedMap",
       "children": "AttrStruct<ValueStruct>"
      }
     },
     "AttributesToGet": {
      "type": "List",
      "lengthGreaterThanOrEqual": 1,
      "lengthLessThanOrEqual": 255,
      "children": "String"
     },
     "ConsistentRead": "Boolean",
     "ProjectionExpression": {
      "type": "String"
     },
     "ExpressionAttributeNames": {
      "type": "Map<java.lang.String>",
      "children": "String"
     }
    }
   }
  }
 },
 "BatchWriteItem": {
  "ReturnConsumedCapacity": {
   "type": "String",
   "enum": [
    "INDEXES",
    "TOTAL",
    "NONE"
   ]
  },
  "ReturnItemCollectionMetrics": {
   "type": "String",
   "enum": [
    "SIZE",
    "NONE"
   ]
  },
  "RequestItems": {
   "type": "Map<java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>",
   "notNull": true,
   "keys": {
    "lengthLessThanOrEqual": 255,
    "lengthGreaterThanOrEqual": 3,
    "regex": "[a-zA-Z0-9_.-]+"
   },
   "values": {
    "lengthLessThanOrEqual": 25,
    "lengthGreaterThanOrEqual": 1
   },
   "children": {
    "type": "ParameterizedList",
    "children": {
     "type": "ValueStruct<WriteRequest>",
     "children": {
      "DeleteRequest": {
       "type": "FieldStruct<DeleteRequest>",
       "children": {
        "Key": {
         "type": "Map<AttributeValue>",
         "notNull": true,
         "children": "AttrStruct<ValueStruct>"
        }
       }
      },
      "PutRequest": {
       "type": "FieldStruct<PutRequest>",
       "children": {
        "Item": {
         "type": "Map<AttributeValue>",
         "notNull": true,
         "children": "AttrStruct<ValueStruct>"
        }
       }
      }
     }
    }
   }
  }
 },
 "CreateTable": {
  "AttributeDefinitions": {
   "type": "List",
   "notNull": true,
   "children": {
    "$ref": "AttributeDefinitions"
   }
  },
  "TableName": {
   "type": "String",
   "required": true,
   "tableName": true,
   "regex": "[a-zA-Z0-9_.-]+"
  },
  "BillingMode": {
   "type": "String",
   "enum": [
    "PROVISIONED",
    "PAY_PER_REQUEST"
   ]
  },
  "ProvisionedThroughput": {
   "$ref": "ProvisionedThroughput"
  },
  "KeySchema": {
   "type": "List",
   "notNull": true,
   "lengthGreaterThanOrEqual": 1,
   "lengthLessThanOrEqual": 2,
   "children": {
    "type": "ValueStruct<KeySchemaElement>",
    "children": {
     "AttributeName": {
      "type": "String",
      "notNull": true,
      "lengthGreaterThanOrEqual": 1,
      "lengthLessThanOrEqual": 255
     },
     "KeyType": {
      "type": "String",
      "notNull": true,
      "enum": [
       "HASH",
       "RANGE"
      ]
     }
    }
   }
  },
  "LocalSecondaryIndexes": {
   "type": "List",
   "children": {
    "type": "ValueStruct<LocalSecondaryIndex>",
    "children": {
     "IndexName": {
      "type": "String",
      "notNull": true,
      "regex": "[a-zA-Z0-9_.-]+",
      "lengthGreaterThanOrEqual": 3,
      "lengthLessThanOrEqual": 255
     },
     "KeySchema": {
      "type": "List",
      "notNull": true,
      "lengthGreaterThanOrEqual": 1,
      "lengthLessThanOrEqual": 2,
      "children": {
       "$ref": "KeySchema2"
      }
     },
     "Projection": {
      "$ref": "Projection"
     }
    }
   }
  },
  "GlobalSecondaryIndexes": {
   "type": "List",
   "children": {
    "type": "ValueStruct<GlobalSecondaryIndex>",
    "children": {
     "IndexName": {
      "type": "String",
      "notNull": true,
      "regex": "[a-zA-Z0-9_.-]+",
      "lengthGreaterThanOrEqual": 3,
      "lengthLessThanOrEqual": 255
     },
     "KeySchema": {
      "$ref": "KeySchema"
     },
     "Projection": {
      "$ref": "Projection"
     },
     "ProvisionedThroughput": {
      "$ref": "ProvisionedThroughput"
     },
     "OnDemandThroughput": {
      "$ref": "OnDemandThroughput"
     }
    }
   }
  },
  "StreamSpecification": {
   "$ref": "StreamSpecification"
  },
  "Tags": {
   "$ref": "Tags"
  },
  "TableClass": {
   "type": "String"
  },
  "DeletionProtectionEnabled": {
   "type": "Boolean"
  },
  "OnDemandThroughput": {
   "$ref": "OnDemandThroughput"
  }
 },
 "DeleteItem": {
  "ReturnConsumedCapacity": {
   "type": "String",
   "enum": [
    "INDEXES",
    "TOTAL",
    "NONE"
   ]
  },
  "TableName": {
   "type": "String",
   "notNull": true,
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  },
  "ReturnValues": {
   "type": "String",
   "enum": [
    "ALL_NEW",
    "UPDATED_OLD",
    "ALL_OLD",
    "NONE",
    "UPDATED_NEW"
   ]
  },
  "ReturnItemCollectionMetrics": {
   "type": "String",
   "enum": [
    "SIZE",
    "NONE"
   ]
  },
  "Key": {
   "type": "Map<AttributeValue>",
   "notNull": true,
   "children": "AttrStruct<ValueStruct>"
  },
  "ConditionalOperator": {
   "type": "String",
   "enum": [
    "OR",
    "AND"
   ]
  },
  "Expected": {
   "$ref": "Expected"
  },
  "ConditionExpression": {
   "type": "String"
  },
  "ExpressionAttributeValues": {
   "type": "Map<AttributeValue>",
   "children": "AttrStruct<ValueStruct>"
  },
  "ExpressionAttributeNames": {
   "type": "Map<java.lang.String>",
   "children": "String"
  },
  "ReturnValuesOnConditionCheckFailure": {
   "type": "String",
   "enum": [
    "ALL_OLD",
    "NONE"
   ]
  }
 },
 "DeleteTable": {
  "TableName": {
   "type": "String",
   "required": true,
   "tableName": true,
   "regex": "[a-zA-Z0-9_.-]+"
  }
 },
 "DescribeTable": {
  "TableName": {
   "type": "String",
   "required": true,
   "tableName": true,
   "regex": "[a-zA-Z0-9_.-]+"
  }
 },
 "DescribeTimeToLive": {
  "TableName": {
   "type": "String",
   "required": true,
   "tableName": true,
   "regex": "[a-zA-Z0-9_.-]+"
  }
 },
 "GetItem": {
  "ReturnConsumedCapacity": {
   "type": "String",
   "enum": [
    "INDEXES",
    "TOTAL",
    "NONE"
   ]
  },
  "AttributesToGet": {
   "type": "List",
   "lengthGreaterThanOrEqual": 1,
   "lengthLessThanOrEqual": 255,
   "children": "String"
  },
  "TableName": {
   "type": "String",
   "notNull": true,
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  },
  "Key": {
   "type": "Map<AttributeValue>",
   "notNull": true,
   "children": "AttrStruct<ValueStruct>"
  },
  "ConsistentRead": "Boolean",
  "ProjectionExpression": {
   "type": "String"
  },
  "ExpressionAttributeNames": {
   "type": "Map<java.lang.String>",
   "children": "String"
  }
 },
 "ListTables": {
  "Limit": {
   "type": "Integer",
   "greaterThanOrEqual": 1,
   "lessThanOrEqual": 100
  },
  "ExclusiveStartTableName": {
   "type": "String",
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  }
 },
 "ListTagsOfResource": {
  "ResourceArn": {
   "type": "String"
  }
 },
 "PutItem": {
  "ReturnConsumedCapacity": {
   "type": "String",
   "enum": [
    "INDEXES",
    "TOTAL",
    "NONE"
   ]
  },
  "TableName": {
   "type": "String",
   "notNull": true,
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  },
  "Item": {
   "type": "Map<AttributeValue>",
   "notNull": true,
   "children": "AttrStruct<ValueStruct>"
  },
  "ConditionalOperator": {
   "type": "String",
   "enum": [
    "OR",
    "AND"
   ]
  },
  "Expected": {
   "$ref": "Expected"
  },
  "ReturnValues": {
   "type": "String",
   "enum": [
    "ALL_NEW",
    "UPDATED_OLD",
    "ALL_OLD",
    "NONE",
    "UPDATED_NEW"
   ]
  },
  "ReturnItemCollectionMetrics": {
   "type": "String",
   "enum": [
    "SIZE",
    "NONE"
   ]
  },
  "ConditionExpression": {
   "type": "String"
  },
  "ExpressionAttributeValues": {
   "type": "Map<AttributeValue>",
   "children": "AttrStruct<ValueStruct>"
  },
  "ExpressionAttributeNames": {
   "type": "Map<java.lang.String>",
   "children": "String"
  },
  "ReturnValuesOnConditionCheckFailure": {
   "type": "String",
   "enum": [
    "ALL_OLD",
    "NONE"
   ]
  }
 },
 "Query": {
  "Select": {
   "type": "String",
   "enum": [
    "SPECIFIC_ATTRIBUTES",
    "COUNT",
    "ALL_ATTRIBUTES",
    "ALL_PROJECTED_ATTRIBUTES"
   ]
  },
  "IndexName": {
   "type": "String",
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  },
  "ReturnConsumedCapacity": {
   "type": "String",
   "enum": [
    "INDEXES",
    "TOTAL",
    "NONE"
   ]
  },
  "QueryFilter": {
   "$ref": "QueryFilter"
  },
  "TableName": {
   "type": "String",
   "notNull": true,
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  },
  "ConditionalOperator": {
   "type": "String",
   "enum": [
    "OR",
    "AND"
   ]
  },
  "AttributesToGet": {
   "type": "List",
   "lengthGreaterThanOrEqual": 1,
   "lengthLessThanOrEqual": 255,
   "children": "String"
  },
  "Limit": {
   "type": "Integer",
   "greaterThanOrEqual": 1
  },
  "KeyConditions": {
   "type": "Map<Condition>",
   "children": {
    "type": "ValueStruct<Condition>",
    "children": {
     "ComparisonOperator": {
      "$ref": "ComparisonOperator"
     },
     "AttributeValueList": {
      "type": "List",
      "children": "AttrStruct<ValueStruct>"
     }
    }
   }
  },
  "ExclusiveStartKey": {
   "type": "Map<AttributeValue>",
   "children": "AttrStruct<ValueStruct>"
  },
  "ConsistentRead": "Boolean",
  "ScanIndexForward": "Boolean",
  "KeyConditionExpression": {
   "type": "String"
  },
  "FilterExpression": {
   "type": "String"
  },
  "ProjectionExpression": {
   "type": "String"
  },
  "ExpressionAttributeValues": {
   "type": "Map<AttributeValue>",
   "children": "AttrStruct<ValueStruct>"
  },
  "ExpressionAttributeNames": {
   "type": "Map<java.lang.String>",
   "children": "String"
  }
 },
 "Scan": {
  "Select": {
   "type": "String",
   "enum": [
    "SPECIFIC_ATTRIBUTES",
    "COUNT",
    "ALL_ATTRIBUTES",
    "ALL_PROJECTED_ATTRIBUTES"
   ]
  },
  "IndexName": {
   "type": "String",
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  },
  "TotalSegments": {
   "type": "Integer",
   "greaterThanOrEqual": 1
  },
  "ReturnConsumedCapacity": {
   "type": "String",
   "enum": [
    "INDEXES",
    "TOTAL",
    "NONE"
   ]
  },
  "TableName": {
   "type": "String",
   "notNull": true,
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  },
  "ConditionalOperator": {
   "type": "String",
   "enum": [
    "OR",
    "AND"
   ]
  },
  "ScanFilter": {
   "$ref": "QueryFilter"
  },
  "Segment": {
   "type": "Integer",
   "greaterThanOrEqual": 0
  },
  "Limit": {
   "type": "Integer",
   "greaterThanOrEqual": 1
  },
  "AttributesToGet": {
   "type": "List",
   "lengthGreaterThanOrEqual": 1,
   "lengthLessThanOrEqual": 255,
   "children": "String"
  },
  "ExclusiveStartKey": {
   "type": "Map<AttributeValue>",
   "children": "AttrStruct<ValueStruct>"
  },
  "FilterExpression": {
   "type": "String"
  },
  "ProjectionExpression": {
   "type": "String"
  },
  "ExpressionAttributeValues": {
   "type": "Map<AttributeValue>",
   "children": "AttrStruct<ValueStruct>"
  },
  "ExpressionAttributeNames": {
   "type": "Map<java.lang.String>",
   "children": "String"
  }
 },
 "TagResource": {
  "ResourceArn": {
   "type": "String",
   "lengthGreaterThanOrEqual": 1,
   "lengthLessThanOrEqual": 1283
  },
  "Tags": {
   "$ref": "Tags"
  }
 },
 "UntagResource": {
  "ResourceArn": {
   "type": "String",
   "lengthGreaterThanOrEqual": 1,
   "lengthLessThanOrEqual": 1283
  },
  "TagKeys": {
   "type": "List",
   "children": {
    "type": "String",
    "lengthGreaterThanOrEqual": 1,
    "lengthLessThanOrEqual": 128
   }
  }
 },
 "UpdateItem": {
  "ReturnConsumedCapacity": {
   "type": "String",
   "enum": [
    "INDEXES",
    "TOTAL",
    "NONE"
   ]
  },
  "TableName": {
   "type": "String",
   "notNull": true,
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  },
  "ReturnItemCollectionMetrics": {
   "type": "String",
   "enum": [
    "SIZE",
    "NONE"
   ]
  },
  "ReturnValues": {
   "type": "String",
   "enum": [
    "ALL_NEW",
    "UPDATED_OLD",
    "ALL_OLD",
    "NONE",
    "UPDATED_NEW"
   ]
  },
  "Key": {
   "type": "Map<AttributeValue>",
   "notNull": true,
   "children": "AttrStruct<ValueStruct>"
  },
  "ConditionalOperator": {
   "type": "String",
   "enum": [
    "OR",
    "AND"
   ]
  },
  "Expected": {
   "$ref": "Expected"
  },
  "AttributeUpdates": {
   "type": "Map<AttributeValueUpdate>",
   "children": {
    "type": "ValueStruct<AttributeValueUpdate>",
    "children": {
     "Action": "String",
     "Value": "AttrStruct<FieldStruct>"
    }
   }
  },
  "ConditionExpression": {
   "type": "String"
  },
  "UpdateExpression": {
   "type": "String"
  },
  "ExpressionAttributeValues": {
   "type": "Map<AttributeValue>",
   "children": "AttrStruct<ValueStruct>"
  },
  "ExpressionAttributeNames": {
   "type": "Map<java.lang.String>",
   "children": "String"
  },
  "ReturnValuesOnConditionCheckFailure": {
   "type": "String",
   "enum": [
    "ALL_OLD",
    "NONE"
   ]
  }
 },
 "UpdateTable": {
  "TableName": {
   "type": "String",
   "required": true,
   "tableName": true,
   "regex": "[a-zA-Z0-9_.-]+"
  },
  "ProvisionedThroughput": {
   "$ref": "ProvisionedThroughput"
  },
  "BillingMode": {
   "type": "String",
   "enum": [
    "PROVISIONED",
    "PAY_PER_REQUEST"
   ]
  },
  "GlobalSecondaryIndexUpdates": {
   "type": "List",
   "children": {
    "type": "ValueStruct<GlobalSecondaryIndexUpdate>",
    "children": {
     "Update": {
      "type": "FieldStruct<UpdateGlobalSecondaryIndexAction>",
      "children": {
       "IndexName": {
        "type": "String",
        "notNull": true,
        "regex": "[a-zA-Z0-9_.-]+",
        "lengthGreaterThanOrEqual": 3,
        "lengthLessThanOrEqual": 255
       },
       "ProvisionedThroughput": {
        "type": "FieldStruct<ProvisionedThroughput>",
        "children": {
         "$ref": "ProvisionedThroughput2"
        }
       },
       "OnDemandThroughput": {
        "$ref": "OnDemandThroughput"
       }
      }
     },
     "Create": {
      "type": "FieldStruct<CreateGlobalSecondaryIndexAction>",
      "children": {
       "Projection": {
        "$ref": "Projection"
       },
       "IndexName": {
        "type": "String",
        "notNull": true,
        "regex": "[a-zA-Z0-9_.-]+",
        "lengthGreaterThanOrEqual": 3,
        "lengthLessThanOrEqual": 255
       },
       "ProvisionedThroughput": {
        "$ref": "ProvisionedThroughput"
       },
       "KeySchema": {
        "$ref": "KeySchema"
       },
       "OnDemandThroughput": {
        "$ref": "OnDemandThroughput"
       }
      }
     },
     "Delete": {
      "type": "FieldStruct<DeleteGlobalSecondaryIndexAction>",
      "children": {
       "IndexName": {
        "type": "String",
        "notNull": true,
        "regex": "[a-zA-Z0-9_.-]+",
        "lengthGreaterThanOrEqual": 3,
        "lengthLessThanOrEqual": 255
       }
      }
     }
    }
   }
  },
  "StreamSpecification": {
   "$ref": "StreamSpecification"
  },
  "TableClass": {
   "type": "String"
  },
  "DeletionProtectionEnabled": {
   "type": "Boolean"
  },
  "OnDemandThroughput": {
   "$ref": "OnDemandThroughput"
  },
  "AttributeDefinitions": {
   "type": "List",
   "children": {
    "$ref": "AttributeDefinitions"
   }
  }
 },
 "UpdateTimeToLive": {
  "TableName": {
   "type": "String",
   "notNull": true,
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  },
  "TimeToLiveSpecification": {
   "type": "FieldStruct<TimeToLiveSpecification>",
   "notNull": true,
   "children": {
    "AttributeName": {
     "type": "String",
     "notNull": true,
     "lengthGreaterThanOrEqual": 1,
     "lengthLessThanOrEqual": 255
    },
    "Enabled": {
     "type": "Boolean",
     "notNull": true
    }
   }
  }
 },
 "TransactWriteItems": {
  "ReturnConsumedCapacity": {
   "type": "String",
   "enum": [
    "INDEXES",
    "TOTAL",
    "NONE"
   ]
  },
  "ReturnItemCollectionMetrics": {
   "type": "String",
   "enum": [
    "SIZE",
    "NONE"
   ]
  },
  "ClientRequestToken": {
   "type": "String",
   "lengthGreaterThanOrEqual": 1,
   "lengthLessThanOrEqual": 36
  },
  "TransactItems": {
   "type": "List",
   "notNull": true,
   "lengthGreaterThanOrEqual": 1,
   "lengthLessThanOrEqual": 100,
   "children": {
    "type": "ValueStruct<TransactWriteItem>",
    "children": {
     "ConditionCheck": {
      "type": "FieldStruct<ConditionCheck>",
      "children": {
       "Key": {
        "type": "Map<AttributeValue>",
        "notNull": true,
        "children": "AttrStruct<ValueStruct>"
       },
       "TableName": {
        "type": "String",
        "notNull": true,
        "regex": "[a-zA-Z0-9_.-]+",
        "lengthGreaterThanOrEqual": 3,
        "lengthLessThanOrEqual": 255
       },
       "ConditionExpression": {
        "type": "String",
        "notNull": true
       },
       "ExpressionAttributeNames": {
        "type": "Map<java.lang.String>",
        "children": "String"
       },
       "ExpressionAttributeValues": {
        "type": "Map<AttributeValue>",
        "children": "AttrStruct<ValueStruct>"
       },
       "ReturnValuesOnConditionCheckFailure": {
        "type": "String",
        "enum": [
         "ALL_OLD",
         "NONE"
        ]
       }
      }
     },
     "Put": {
      "type": "FieldStruct<Put>",
      "children": {
       "Item": {
        "type": "Map<AttributeValue>",
        "notNull": true,
        "children": "AttrStruct<ValueStruct>"
       },
       "TableName": {
        "type": "String",
        "notNull": true,
        "regex": "[a-zA-Z0-9_.-]+",
        "lengthGreaterThanOrEqual": 3,
        "lengthLessThanOrEqual": 255
       },
       "ConditionExpression": {
        "type": "String"
       },
       "ExpressionAttributeNames": {
        "type": "Map<java.lang.String>",
        "children": "String"
       },
       "ExpressionAttributeValues": {
        "type": "Map<AttributeValue>",
        "children": "AttrStruct<ValueStruct>"
       },
       "ReturnValuesOnConditionCheckFailure": {
        "type": "String",
        "enum": [
         "ALL_OLD",
         "NONE"
        ]
       }
      }
     },
     "Delete": {
      "type": "FieldStruct<Delete>",
      "children": {
       "Key": {
        "type": "Map<AttributeValue>",
        "notNull": true,
        "children": "AttrStruct<ValueStruct>"
       },
       "TableName": {
        "type": "String",
        "notNull": true,
        "regex": "[a-zA-Z0-9_.-]+",
        "lengthGreaterThanOrEqual": 3,
        "lengthLessThanOrEqual": 255
       },
       "ConditionExpression": {
        "type": "String"
       },
       "ExpressionAttributeNames": {
        "type": "Map<java.lang.String>",
        "children": "String"
       },
       "ExpressionAttributeValues": {
        "type": "Map<AttributeValue>",
        "children": "AttrStruct<ValueStruct>"
       },
       "ReturnValuesOnConditionCheckFailure": {
        "type": "String",
        "enum": [
         "ALL_OLD",
         "NONE"
        ]
       }
      }
     },
     "Update": {
      "type": "FieldStruct<Update>",
      "children": {
       "Key": {
        "type": "Map<AttributeValue>",
        "notNull": true,
        "children": "AttrStruct<ValueStruct>"
       },
       "UpdateExpression": {
        "type": "String",
        "notNull": true
       },
       "TableName": {
        "type": "String",
        "notNull": true,
        "regex": "[a-zA-Z0-9_.-]+",
        "lengthGreaterThanOrEqual": 3,
        "lengthLessThanOrEqual": 255
       },
       "ConditionExpression": {
        "type": "String"
       },
       "ExpressionAttributeNames": {
        "type": "Map<java.lang.String>",
        "children": "String"
       },
       "ExpressionAttributeValues": {
        "type": "Map<AttributeValue>",
        "children": "AttrStruct<ValueStruct>"
       },
       "ReturnValuesOnConditionCheckFailure": {
        "type": "String",
        "enum": [
         "ALL_OLD",
         "NONE"
        ]
       }
      }
     }
    }
   }
  }
 },
 "TransactGetItems": {
  "ReturnConsumedCapacity": {
   "type": "String",
   "enum": [
    "INDEXES",
    "TOTAL",
    "NONE"
   ]
  },
  "TransactItems": {
   "type": "List",
   "notNull": true,
   "lengthGreaterThanOrEqual": 1,
   "lengthLessThanOrEqual": 100,
   "children": {
    "type": "ValueStruct<TransactGetItem>",
    "children": {
     "Get": {
      "type": "FieldStruct<Get>",
      "notNull": true,
      "children": {
       "Key": {
        "type": "Map<AttributeValue>",
        "notNull": true,
        "children": "AttrStruct<ValueStruct>"
       },
       "TableName": {
        "type": "String",
        "notNull": true,
        "regex": "[a-zA-Z0-9_.-]+",
        "lengthGreaterThanOrEqual": 3,
        "lengthLessThanOrEqual": 255
       },
       "ProjectionExpression": {
        "type": "String"
       },
       "ExpressionAttributeNames": {
        "type": "Map<java.lang.String>",
        "children": "String"
       }
      }
     }
    }
   }
  }
 },
 "DescribeEndpoints": {},
 "DescribeLimits": {},
 "DescribeContinuousBackups": {
  "TableName": {
   "type": "String",
   "notNull": true,
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  }
 },
 "UpdateContinuousBackups": {
  "TableName": {
   "type": "String",
   "notNull": true,
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  },
  "PointInTimeRecoverySpecification": {
   "type": "FieldStruct<PointInTimeRecoverySpecification>",
   "notNull": true,
   "children": {
    "PointInTimeRecoveryEnabled": {
     "type": "Boolean",
     "notNull": true
    },
    "RecoveryPeriodInDays": {
     "type": "Integer",
     "greaterThanOrEqual": 1,
     "lessThanOrEqual": 35
    }
   }
  }
 },
 "Streams.ListStreams": {
  "TableName": {
   "type": "String",
   "regex": "[a-zA-Z0-9_.-]+",
   "lengthGreaterThanOrEqual": 3,
   "lengthLessThanOrEqual": 255
  },
  "Limit": {
   "type": "Integer",
   "greaterThanOrEqual": 1,
   "lessThanOrEqual": 100
  },
  "ExclusiveStartStreamArn": {
   "type": "String",
   "lengthGreaterThanOrEqual": 37,
   "lengthLessThanOrEqual": 1024
  }
 },
 "Streams.DescribeStream": {
  "StreamArn": {
   "type": "String",
   "notNull": true,
   "lengthGreaterThanOrEqual": 37,
   "lengthLessThanOrEqual": 1024
  },
  "Limit": {
   "type": "Integer",
   "greaterThanOrEqual": 1,
   "lessThanOrEqual": 100
  },
  "ExclusiveStartShardId": {
   "type": "String",
   "lengthGreaterThanOrEqual": 28,
   "lengthLessThanOrEqual": 65
  }
 },
 "Streams.GetShardIterator": {
  "StreamArn": {
   "type": "String",
   "notNull": true,
   "lengthGreaterThanOrEqual": 37,
   "lengthLessThanOrEqual": 1024
  },
  "ShardId": {
   "type": "String",
   "notNull": true,
   "lengthGreaterThanOrEqual": 28,
   "lengthLessThanOrEqual": 65
  },
  "ShardIteratorType": {
   "type": "String",
   "notNull": true,
   "enum": [
    "TRIM_HORIZON",
    "LATEST",
    "AT_SEQUENCE_NUMBER",
    "AFTER_SEQUENCE_NUMBER"
   ]
  },
  "SequenceNumber": {
   "type": "String",
   "lengthGreaterThanOrEqual": 21,
   "lengthLessThanOrEqual": 40
  }
 },
 "Streams.GetRecords": {
  "ShardIterator": {
   "type": "String",
   "notNull": true,
   "lengthGreaterThanOrEqual": 1,
   "lengthLessThanOrEqual": 2048
  },
  "Limit": {
   "type": "Integer",
   "greaterThanOrEqual": 1,
   "lessThanOrEqual": 1000
  }
 },
 "$AttrValueStruct": {
  "children": {
   "S": "String",
   "B": "Blob",
   "N": "String",
   "BOOL": "Boolean",
   "NULL": "Boolean",
   "BS": {
    "type": "List",
    "children": "Blob"
   },
   "NS": {
    "type": "List",
    "children": "String"
   },
   "SS": {
    "type": "List",
    "children": "String"
   },
   "L": {
    "type": "List",
    "children": "AttrStruct<ValueStruct>"
   },
   "M": {
    "type": "Map<AttributeValue>",
    "children": "AttrStruct<ValueStruct>"
   }
  }
 },
 "$defs": {
  "Expected": {
   "type": "Map<ExpectedAttributeValue>",
   "children": {
    "type": "ValueStruct<ExpectedAttributeValue>",
    "children": {
     "AttributeValueList": {
      "type": "List",
      "children": "AttrStruct<ValueStruct>"
     },
     "ComparisonOperator": {
      "type": "String",
      "enum": [
       "IN",
       "NULL",
       "BETWEEN",
       "LT",
       "NOT_CONTAINS",
       "EQ",
       "GT",
       "NOT_NULL",
       "NE",
       "LE",
       "BEGINS_WITH",
       "GE",
       "CONTAINS"
      ]
     },
     "Exists": "Boolean",
     "Value": "AttrStruct<FieldStruct>"
    }
   }
  },
  "QueryFilter": {
   "type": "Map<Condition>",
   "children": {
    "type": "ValueStruct<Condition>",
    "children": {
     "AttributeValueList": {
      "type": "List",
      "children": "AttrStruct<ValueStruct>"
     },
     "ComparisonOperator": {
      "$ref": "ComparisonOperator"
     }
    }
   }
  },
  "Tags": {
   "type": "List",
   "children": {
    "type": "ValueStruct<Tag>",
    "children": {
     "Key": {
      "type": "String",
      "notNull": true,
      "lengthGreaterThanOrEqual": 1,
      "lengthLessThanOrEqual": 128
     },
     "Value": {
      "type": "String",
      "notNull": true,
      "lengthGreaterThanOrEqual": 0,
      "lengthLessThanOrEqual": 256
     }
    }
   }
  },
  "AttributeDefinitions": {
   "type": "ValueStruct<AttributeDefinition>",
   "children": {
    "AttributeName": {
     "type": "String",
     "notNull": true,
     "lengthGreaterThanOrEqual": 1,
     "lengthLessThanOrEqual": 255
    },
    "AttributeType": {
     "type": "String",
     "notNull": true,
     "enum": [
      "B",
      "N",
      "S"
     ]
    }
   }
  },
  "Projection": {
   "type": "FieldStruct<Projection>",
   "notNull": true,
   "children": {
    "ProjectionType": {
     "type": "String",
     "enum": [
      "ALL",
      "INCLUDE",
      "KEYS_ONLY"
     ]
    },
    "NonKeyAttributes": {
     "type": "List",
     "lengthGreaterThanOrEqual": 1,
     "children": "String"
    }
   }
  },
  "KeySchema": {
   "type": "List",
   "notNull": true,
   "lengthGreaterThanOrEqual": 1,
   "children": {
    "$ref": "KeySchema2"
   }
  },
  "ProvisionedThroughput": {
   "type": "FieldStruct<ProvisionedThroughput>",
   "children": {
    "$ref": "ProvisionedThroughput2"
   }
  },
  "StreamSpecification": {
   "type": "FieldStruct<StreamSpecification>",
   "children": {
    "StreamEnabled": {
     "type": "Boolean",
     "notNull": true
    },
    "StreamViewType": {
     "type": "String",
     "enum": [
      "NEW_IMAGE",
      "OLD_IMAGE",
      "NEW_AND_OLD_IMAGES",
      "KEYS_ONLY"
     ]
    }
   }
  },
  "ProvisionedThroughput2": {
   "WriteCapacityUnits": {
    "type": "Long",
    "notNull": true,
    "greaterThanOrEqual": 1
   },
   "ReadCapacityUnits": {
    "type": "Long",
    "notNull": true,
    "greaterThanOrEqual": 1
   }
  },
  "KeySchema2": {
   "type": "ValueStruct<KeySchemaElement>",
   "children": {
    "AttributeName": {
     "type": "String",
     "notNull": true
    },
    "KeyType": {
     "type": "String",
     "notNull": true
    }
   }
  },
  "ComparisonOperator": {
   "type": "String",
   "notNull": true,
   "enum": [
    "IN",
    "NULL",
    "BETWEEN",
    "LT",
    "NOT_CONTAINS",
    "EQ",
    "GT",
    "NOT_NULL",
    "NE",
    "LE",
    "BEGINS_WITH",
    "GE",
    "CONTAINS"
   ]
  },
  "OnDemandThroughput": {
   "type": "FieldStruct<OnDemandThroughput>",
   "children": {
    "MaxReadRequestUnits": {
     "type": "Long"
    },
    "MaxWriteRequestUnits": {
     "type": "Long"
    }
   }
  }
 }
})SHAPES";
}

}  // namespace cdnlab::store::validate
