// The legacy condition parameters, operator by operator: every ComparisonOperator against
// attributes of each type (and a missing one) with operands of matching and other types, as
// Expected on a conditional write and as a ScanFilter / QueryFilter, plus KeyConditions' operators
// on the range key and AttributesToGet with Select. Conditional writes here write nothing (the
// UpdateItem has no updates), so the items stay the same on both servers.
'use strict'
const { HASH, RANGE } = require('./fixtures')
const { normalize } = require('./compare')

const S = (s) => ({ S: s }), N = (n) => ({ N: String(n) })

// Operands per operator: none, one of several types, two (BETWEEN), a list (IN).
const OPERANDS = {
  NULL: [ [] ], NOT_NULL: [ [] ],
  EQ: [ [ N(5) ], [ S('text') ], [ { SS: [ 'a', 'b' ] } ], [ { L: [ S('x'), N(1) ] } ], [ { BOOL: true } ] ],
  NE: [ [ N(5) ], [ S('nope') ], [ { M: {} } ] ],
  LT: [ [ N(6) ], [ S('u') ], [ { B: 'AAE=' } ], [ { SS: [ 'a' ] } ] ], LE: [ [ N(5) ], [ S('text') ] ],
  GT: [ [ N(4) ], [ S('a') ] ], GE: [ [ N(5) ], [ { B: 'AAEC' } ] ],
  CONTAINS: [ [ S('a') ], [ S('ex') ], [ N(1) ], [ { B: 'AA==' } ], [ { SS: [ 'a' ] } ] ],
  NOT_CONTAINS: [ [ S('z') ], [ S('ex') ], [ N(1) ] ],
  BEGINS_WITH: [ [ S('te') ], [ { B: 'AA==' } ], [ N(1) ] ],
  IN: [ [ N(1), N(5) ], [ S('text'), S('x') ], [ S('x'), N(5) ], [ { SS: [ 'a', 'b' ] } ] ],
  BETWEEN: [ [ N(1), N(9) ], [ S('a'), S('z') ], [ N(9), N(1) ], [ N(1), S('z') ] ],
}
const ATTRIBUTES = [ 'n', 's', 'ss', 'l', 'b', 'missing' ]

function cases () {
  const out = []
  const add = (name, op, body, extra) => out.push({ name, op, body, ...extra })
  for (const [ cmp, operandSets ] of Object.entries(OPERANDS)) {
    operandSets.forEach((list, i) => {
      for (const attr of ATTRIBUTES) {
        const cond = { ComparisonOperator: cmp }
        if (list.length) cond.AttributeValueList = list
        add(`legacy Expected ${cmp} #${i} on ${attr}`, 'UpdateItem', { TableName: HASH, Key: { pk: S('k1') }, Expected: { [attr]: cond } })
      }
      add(`legacy ScanFilter ${cmp} #${i}`, 'Scan', { TableName: HASH, ScanFilter: { n: { ComparisonOperator: cmp, ...(list.length ? { AttributeValueList: list } : {}) } } },
        { compareBody: seedItemsOnly })
    })
  }
  // Wrong operand counts, for each operator.
  for (const cmp of Object.keys(OPERANDS)) {
    add(`legacy Expected ${cmp} with three values`, 'UpdateItem', { TableName: HASH, Key: { pk: S('k1') },
      Expected: { n: { ComparisonOperator: cmp, AttributeValueList: [ N(1), N(2), N(3) ] } } })
    add(`legacy Expected ${cmp} with no list`, 'UpdateItem', { TableName: HASH, Key: { pk: S('k1') }, Expected: { n: { ComparisonOperator: cmp } } })
  }
  // Several conditions with AND / OR.
  for (const op of [ 'AND', 'OR' ]) {
    add(`legacy Expected two ${op} true+false`, 'UpdateItem', { TableName: HASH, Key: { pk: S('k1') }, ConditionalOperator: op,
      Expected: { n: { ComparisonOperator: 'EQ', AttributeValueList: [ N(5) ] }, s: { ComparisonOperator: 'EQ', AttributeValueList: [ S('no') ] } } })
    add(`legacy ScanFilter two ${op}`, 'Scan', { TableName: RANGE, ConditionalOperator: op,
      ScanFilter: { v: { ComparisonOperator: 'GT', AttributeValueList: [ N(30) ] }, g: { ComparisonOperator: 'EQ', AttributeValueList: [ S('odd') ] } } }, { compareBody: sortedItems })
    add(`legacy QueryFilter two ${op}`, 'Query', { TableName: RANGE, ConditionalOperator: op,
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [ S('p1') ] } },
      QueryFilter: { v: { ComparisonOperator: 'GT', AttributeValueList: [ N(30) ] }, g: { ComparisonOperator: 'EQ', AttributeValueList: [ S('odd') ] } } })
  }
  // KeyConditions on the range key, operator by operator.
  const range = {
    EQ: [ N(2) ], LT: [ N(3) ], LE: [ N(3) ], GT: [ N(2) ], GE: [ N(2) ], BETWEEN: [ N(2), N(3) ], BEGINS_WITH: [ N(1) ],
    NE: [ N(2) ], IN: [ N(1), N(2) ], NULL: [], NOT_NULL: [], CONTAINS: [ N(1) ], NOT_CONTAINS: [ N(1) ],
  }
  for (const [ cmp, list ] of Object.entries(range)) {
    add(`legacy KeyConditions range ${cmp}`, 'Query', { TableName: RANGE, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [ S('p1') ] },
      sk: { ComparisonOperator: cmp, ...(list.length ? { AttributeValueList: list } : {}) } } })
  }
  add('legacy KeyConditions hash wrong type', 'Query', { TableName: RANGE, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [ N(1) ] } } })
  add('legacy KeyConditions on index', 'Query', { TableName: RANGE, IndexName: 'lsi_a', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [ S('p1') ] },
    a: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [ S('a5') ] } } })
  add('legacy KeyConditions with range only', 'Query', { TableName: RANGE, KeyConditions: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [ N(1) ] } } })
  add('legacy KeyConditions missing table', 'Query', { TableName: 'diff_missing', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [ S('p1') ] } } })
  add('legacy KeyConditions missing table bad', 'Query', { TableName: 'diff_missing', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [] } } })
  // AttributesToGet with Select.
  for (const select of [ 'SPECIFIC_ATTRIBUTES', 'ALL_ATTRIBUTES', 'COUNT' ]) {
    add(`legacy AttributesToGet Select ${select}`, 'Query', { TableName: RANGE, Select: select, AttributesToGet: [ 'v', 'nope' ],
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [ S('p1') ] } } })
  }
  add('legacy AttributesToGet on Scan', 'Scan', { TableName: RANGE, AttributesToGet: [ 'sk' ] }, { compareBody: sortedItems })
  add('legacy AttributesToGet empty', 'GetItem', { TableName: HASH, Key: { pk: S('k1') }, AttributesToGet: [] })
  return out
}

// Only the seed items (k1, k2) of HASH: other cases leave different items behind on purpose.
function seedItemsOnly (body) {
  const items = (body.Items || []).filter((i) => i.pk && [ 'k1', 'k2' ].includes(i.pk.S))
  return { Items: items.map((i) => JSON.stringify(normalize(i))).sort() }
}
function sortedItems (body) {
  const items = (body.Items || []).map((i) => JSON.stringify(normalize(i))).sort()
  return { ...body, Items: items, LastEvaluatedKey: body.LastEvaluatedKey ? 'present' : undefined }
}

module.exports = { legacyCases: cases }
