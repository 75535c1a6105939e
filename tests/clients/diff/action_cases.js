// Cases written from dynalite's actions/*.js and validations' custom checks: expression errors
// (syntax, undefined or unused names/values, reserved words, type mismatches, key updates,
// overlapping paths, legacy + expression mixes), attribute value checks, key schema checks,
// conditional failures, limits (item size, batch sizes, key lengths), the errors on a missing
// table after an invalid request, and valid requests whose results are compared.
// Cases run in order on both servers, so writes here change the state later cases see.
'use strict'
const { HASH, RANGE, seed } = require('./fixtures')
const { normalize } = require('./compare')

const S = (s) => ({ S: s }), N = (n) => ({ N: String(n) })
const k1 = { pk: S('k1') }

function cases () {
  const out = []
  const add = (name, op, body, extra) => out.push({ name, op, body, ...extra })
  // Cases where the two servers may differ write the same item differently; these put the shared
  // items back so one difference does not spread to every later case.
  let resets = 0
  const resetK1 = () => add(`reset k1 #${++resets}`, 'PutItem', { TableName: HASH, Item: require('./fixtures').seed[0] })
  const dropX = () => add(`reset x #${++resets}`, 'DeleteItem', { TableName: RANGE, Key: { pk: S('x'), sk: N(1) } })

  // ---- attribute values (PutItem's Item) ----------------------------------------------------
  const attrs = {
    'empty value': {}, 'two types': { S: 'a', N: '1' }, 'NULL false': { NULL: false }, 'empty SS': { SS: [] },
    'empty NS': { NS: [] }, 'empty BS': { BS: [] }, 'duplicate SS': { SS: [ 'a', 'a' ] },
    'duplicate NS': { NS: [ '1', '1.0' ] }, 'duplicate BS': { BS: [ 'AA==', 'AA==' ] }, 'N not numeric': { N: 'abc' },
    'N empty': { N: '' }, 'N 39 digits': { N: '1'.repeat(39) }, 'N overflow': { N: '1e126' },
    'N underflow': { N: '1e-131' }, 'NS not numeric': { NS: [ '1', 'x' ] }, 'nested empty': { M: { a: {} } },
    'L with empty': { L: [ {} ] }, 'empty S ok': { S: '' }, 'empty B ok': { B: '' }, 'N with spaces': { N: ' 1' },
    'N leading plus': { N: '+1' }, 'N hex': { N: '0x10' }, 'N trailing dot': { N: '1.' },
    'N exponent': { N: '12.5E3' }, 'N 38 digits': { N: '9'.repeat(38) }, 'N negative zero': { N: '-0' },
    'SS with empty string': { SS: [ '' ] }, 'M deep value': { M: { a: { M: { b: { NULL: true } } } } },
  }
  for (const [ what, v ] of Object.entries(attrs)) {
    add(`PutItem attr ${what}`, 'PutItem', { TableName: HASH, Item: { pk: S('attr'), x: v } })
    add(`PutItem attr ${what} missing table`, 'PutItem', { TableName: 'diff_missing', Item: { pk: S('attr'), x: v } })
  }
  add('GetItem after attr puts', 'GetItem', { TableName: HASH, Key: { pk: S('attr') } })

  // ---- keys ---------------------------------------------------------------------------------
  add('PutItem key missing', 'PutItem', { TableName: HASH, Item: { other: S('x') } })
  add('PutItem key wrong type', 'PutItem', { TableName: HASH, Item: { pk: N(1) } })
  add('PutItem key empty string', 'PutItem', { TableName: HASH, Item: { pk: S('') } })
  add('PutItem range key missing', 'PutItem', { TableName: RANGE, Item: { pk: S('x') } })
  add('PutItem key 2049 bytes', 'PutItem', { TableName: HASH, Item: { pk: S('a'.repeat(2049)) } })
  add('PutItem key 2048 bytes', 'PutItem', { TableName: HASH, Item: { pk: S('a'.repeat(2048)) } })
  add('PutItem range key 1025 bytes', 'PutItem', { TableName: RANGE, Item: { pk: S('x'), sk: N(1), a: S('a'.repeat(1025)) } })
  add('PutItem index key wrong type', 'PutItem', { TableName: RANGE, Item: { pk: S('x'), sk: N(1), g: N(1) } })
  add('PutItem index key empty', 'PutItem', { TableName: RANGE, Item: { pk: S('x'), sk: N(1), g: S('') } })
  dropX()
  add('GetItem key extra attribute', 'GetItem', { TableName: HASH, Key: { pk: S('k1'), x: S('y') } })
  add('GetItem key wrong type', 'GetItem', { TableName: HASH, Key: { pk: N(1) } })
  add('GetItem key missing', 'GetItem', { TableName: HASH, Key: {} })
  add('GetItem key wrong name', 'GetItem', { TableName: HASH, Key: { nope: S('x') } })
  add('GetItem range key missing', 'GetItem', { TableName: RANGE, Key: { pk: S('p1') } })
  add('GetItem key empty value', 'GetItem', { TableName: HASH, Key: { pk: {} } })
  add('GetItem key missing table', 'GetItem', { TableName: 'diff_missing', Key: { pk: S('x') } })
  add('GetItem key invalid missing table', 'GetItem', { TableName: 'diff_missing', Key: { pk: { S: 'a', N: '1' } } })
  add('DeleteItem key wrong type', 'DeleteItem', { TableName: HASH, Key: { pk: N(1) } })
  add('UpdateItem key wrong type', 'UpdateItem', { TableName: HASH, Key: { pk: N(1) } })

  // ---- item size ----------------------------------------------------------------------------
  add('PutItem item 400 KB + 1', 'PutItem', { TableName: HASH, Item: { pk: S('big'), v: S('a'.repeat(400 * 1024 - 2 - 1 + 1)) } })
  add('PutItem item exactly 400 KB', 'PutItem', { TableName: HASH, Item: { pk: S('big'), v: S('a'.repeat(400 * 1024 - 3)) } })
  add('PutItem item 400 KB + 1 missing table', 'PutItem', { TableName: 'diff_missing', Item: { pk: S('big'), v: S('a'.repeat(400 * 1024)) } })
  add('UpdateItem grows past 400 KB', 'UpdateItem', { TableName: HASH, Key: { pk: S('big') }, UpdateExpression: 'SET w = :w',
    ExpressionAttributeValues: { ':w': S('a'.repeat(1000)) } })

  // ---- ReturnValues --------------------------------------------------------------------------
  for (const rv of [ 'ALL_NEW', 'UPDATED_OLD', 'UPDATED_NEW', 'ALL_OLD', 'NONE' ]) {
    add(`PutItem ReturnValues ${rv}`, 'PutItem', { TableName: HASH, Item: { pk: S('rv'), a: N(1) }, ReturnValues: rv })
    add(`DeleteItem ReturnValues ${rv}`, 'DeleteItem', { TableName: HASH, Key: { pk: S('rv') }, ReturnValues: rv })
  }
  for (const rv of [ 'ALL_NEW', 'UPDATED_OLD', 'UPDATED_NEW', 'ALL_OLD', 'NONE' ]) {
    add(`UpdateItem ReturnValues ${rv}`, 'UpdateItem', { TableName: HASH, Key: { pk: S('rvu') }, UpdateExpression: 'SET a = :a, b = :b REMOVE c',
      ExpressionAttributeValues: { ':a': N(1), ':b': S(rv) }, ReturnValues: rv })
  }
  add('UpdateItem REMOVE on missing item ALL_NEW', 'UpdateItem', { TableName: HASH, Key: { pk: S('never') }, UpdateExpression: 'REMOVE a', ReturnValues: 'ALL_NEW' })
  add('UpdateItem no update ALL_NEW', 'UpdateItem', { TableName: HASH, Key: { pk: S('never2') }, ReturnValues: 'ALL_NEW' })

  resetK1()
  // ---- expressions: parameters --------------------------------------------------------------
  const eIt = { TableName: HASH, Key: k1 }
  add('GetItem EAN empty', 'GetItem', { ...eIt, ProjectionExpression: 'n', ExpressionAttributeNames: {} })
  add('GetItem EAN without expression', 'GetItem', { ...eIt, ExpressionAttributeNames: { '#a': 'a' } })
  add('GetItem EAN unused', 'GetItem', { ...eIt, ProjectionExpression: 'n', ExpressionAttributeNames: { '#a': 'a' } })
  add('GetItem EAN bad key', 'GetItem', { ...eIt, ProjectionExpression: 'n', ExpressionAttributeNames: { a: 'a' } })
  add('GetItem EAN empty value', 'GetItem', { ...eIt, ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': '' } })
  add('GetItem projection and AttributesToGet', 'GetItem', { ...eIt, ProjectionExpression: 'n', AttributesToGet: [ 'n' ] })
  add('GetItem AttributesToGet duplicates', 'GetItem', { ...eIt, AttributesToGet: [ 'n', 'n' ] })
  add('GetItem AttributesToGet', 'GetItem', { ...eIt, AttributesToGet: [ 'n', 's', 'nope' ] })
  add('GetItem AttributesToGet missing table', 'GetItem', { TableName: 'diff_missing', Key: k1, AttributesToGet: [ 'n', 'n' ] })
  const proj = [ 'n', 'n, s', 'l[1]', 'm.inner', 'l[0], m', '#a', 'n,', '', 'n, n', 'm, m.inner', 'l[0], l[0]', 'l[-1]', 'a.b[',
    'size', 'data', 'l[0].x', 'n.#a', 'm.inner, m.inner.x', '#a, #b', 'l[100000000000]', 'attribute_exists(n)', 'ñ', 'a b' ]
  for (const p of proj) {
    const body = { ...eIt, ProjectionExpression: p }
    if (p.includes('#a')) body.ExpressionAttributeNames = { '#a': 'n' }
    add(`GetItem projection ${JSON.stringify(p)}`, 'GetItem', body)
  }
  add('PutItem EAV empty', 'PutItem', { TableName: HASH, Item: { pk: S('x') }, ConditionExpression: 'a = :a', ExpressionAttributeValues: {} })
  add('PutItem EAV without expression', 'PutItem', { TableName: HASH, Item: { pk: S('x') }, ExpressionAttributeValues: { ':a': S('x') } })
  add('PutItem EAV unused', 'PutItem', { TableName: HASH, Item: { pk: S('x') }, ConditionExpression: 'attribute_exists(a)', ExpressionAttributeValues: { ':a': S('x') } })
  add('PutItem EAV bad key', 'PutItem', { TableName: HASH, Item: { pk: S('x') }, ConditionExpression: 'a = :a', ExpressionAttributeValues: { a: S('x') } })
  add('PutItem EAV invalid value', 'PutItem', { TableName: HASH, Item: { pk: S('x') }, ConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': {} } })
  add('PutItem EAV invalid value missing table', 'PutItem', { TableName: 'diff_missing', Item: { pk: S('x') }, ConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': { N: 'x' } } })
  add('PutItem Expected and ConditionExpression', 'PutItem', { TableName: HASH, Item: { pk: S('x') }, ConditionExpression: 'attribute_exists(a)', Expected: { a: { Exists: false } } })
  add('PutItem ConditionalOperator with expression', 'PutItem', { TableName: HASH, Item: { pk: S('x') }, ConditionExpression: 'attribute_exists(a)', ConditionalOperator: 'OR' })
  add('PutItem ReturnValues ALL_NEW missing table', 'PutItem', { TableName: 'diff_missing', Item: { pk: S('x') }, ReturnValues: 'ALL_NEW' })

  // ---- condition expressions ----------------------------------------------------------------
  const conds = [
    [ 'a = :a', { ':a': S('x') } ], [ 'a = :b', { ':a': S('x') } ], [ 'a = ', { ':a': S('x') } ], [ '', null ],
    [ 'a =  :a AND', { ':a': S('x') } ], [ 'size = :a', { ':a': S('x') } ], [ 'attribute_exists(#n)', null ],
    [ 'attribute_exists(a, b)', null ], [ 'attribute_type(a, :t)', { ':t': S('Z') } ], [ 'attribute_type(a, :t)', { ':t': N(1) } ],
    [ 'begins_with(a, :n)', { ':n': N(1) } ], [ 'contains(a)', null ], [ 'nofunc(a)', null ], [ 'size(a) = :a', { ':a': N(1) } ],
    [ 'size(a)', null ], [ 'a BETWEEN :h AND :l', { ':h': N(5), ':l': N(1) } ], [ 'a BETWEEN :l AND :h', { ':h': S('5'), ':l': N(1) } ],
    [ 'a IN ()', null ], [ 'a IN (:a)', { ':a': S('x') } ], [ ':a = :a', { ':a': S('x') } ], [ 'a.b[0] = :a AND a.b = :a', { ':a': S('x') } ],
    [ 'a < :a OR NOT (b > :a)', { ':a': N(1) } ], [ 'a = :a = :a', { ':a': N(1) } ], [ 'attribute_not_exists(pk)', null ],
    [ 'attribute_exists(pk)', null ], [ 'a <> :a', { ':a': { SS: [ 'a' ] } } ], [ 'a < :a', { ':a': { SS: [ 'a' ] } } ],
    [ 'a[1.5] = :a', { ':a': N(1) } ], [ 'a[-1] = :a', { ':a': N(1) } ], [ 'a = :a', { ':a': { L: [] } } ],
    [ 'attribute_exists(:a)', { ':a': S('x') } ], [ 'size(:a) > :b', { ':a': S('xyz'), ':b': N(1) } ],
    [ '(a = :a', { ':a': S('x') } ], [ 'a = :a)', { ':a': S('x') } ], [ 'a = :a AND a = :a AND a = :a', { ':a': S('x') } ],
    [ 'a.#x = :a', { ':a': S('x') } ], [ 'contains(a, :a, :a)', { ':a': S('x') } ], [ 'a in (:a, :a)', { ':a': S('x') } ],
    [ 'not a = :a', { ':a': S('x') } ], [ 'a = b', null ], [ 'a = a', null ], [ 'begins_with(:a, a)', { ':a': S('x') } ],
    [ 'attribute_type(a, :a)', { ':a': S('S') } ], [ 'size(a) BETWEEN :a AND :b', { ':a': N(1), ':b': N(0) } ],
    [ 'ATTRIBUTE_EXISTS(a)', null ], [ 'a = :a', { ':a': { BOOL: true } } ], [ 'TABLE = :a', { ':a': S('x') } ],
  ]
  conds.forEach(([ expr, values ], i) => {
    const body = { TableName: HASH, Item: { pk: S('cond') }, ConditionExpression: expr }
    if (values) body.ExpressionAttributeValues = values
    add(`PutItem condition #${i} ${JSON.stringify(expr)}`, 'PutItem', body)
    add(`PutItem condition #${i} missing table`, 'PutItem', { ...body, TableName: 'diff_missing' })
  })
  add('PutItem condition fails', 'PutItem', { TableName: HASH, Item: { pk: S('k1') }, ConditionExpression: 'attribute_not_exists(pk)' })
  add('DeleteItem condition fails', 'DeleteItem', { TableName: HASH, Key: k1, ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': N(6) } })
  add('UpdateItem condition fails', 'UpdateItem', { TableName: HASH, Key: k1, UpdateExpression: 'SET q = :n', ConditionExpression: 'n > :n', ExpressionAttributeValues: { ':n': N(6) } })
  add('UpdateItem condition holds', 'UpdateItem', { TableName: HASH, Key: k1, UpdateExpression: 'SET q = :n', ConditionExpression: 'n < :n', ExpressionAttributeValues: { ':n': N(6) }, ReturnValues: 'ALL_NEW' })

  resetK1()
  // ---- legacy Expected ----------------------------------------------------------------------
  const expected = {
    'Exists true no Value': { a: { Exists: true } }, 'Exists false with Value': { a: { Exists: false, Value: S('x') } },
    'Value and operator': { a: { Value: S('x'), ComparisonOperator: 'EQ' } }, 'EQ two values': { a: { ComparisonOperator: 'EQ', AttributeValueList: [ S('a'), S('b') ] } },
    'BETWEEN one value': { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [ N(1) ] } }, 'NULL with value': { a: { ComparisonOperator: 'NULL', AttributeValueList: [ S('a') ] } },
    'IN empty': { a: { ComparisonOperator: 'IN', AttributeValueList: [] } }, 'BETWEEN mixed types': { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [ N(1), S('a') ] } },
    'BETWEEN reversed': { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [ N(9), N(1) ] } }, 'LT set': { a: { ComparisonOperator: 'LT', AttributeValueList: [ { SS: [ 'a' ] } ] } },
    'CONTAINS list': { a: { ComparisonOperator: 'CONTAINS', AttributeValueList: [ { L: [] } ] } }, 'no operator no value': { a: {} },
    'AttributeValueList without operator': { a: { AttributeValueList: [ S('a') ] } }, 'Value with AttributeValueList': { a: { Value: S('a'), AttributeValueList: [ S('a') ] } },
    'Exists false holds': { nope: { Exists: false } }, 'EQ fails': { n: { Value: N(7) } }, 'NOT_NULL holds': { n: { ComparisonOperator: 'NOT_NULL' } },
    'GE holds': { n: { ComparisonOperator: 'GE', AttributeValueList: [ N(5) ] } }, 'IN holds': { s: { ComparisonOperator: 'IN', AttributeValueList: [ S('x'), S('text') ] } },
    'BEGINS_WITH number': { s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [ N(1) ] } }, 'invalid value': { n: { Value: { N: 'x' } } },
  }
  for (const [ what, exp ] of Object.entries(expected)) {
    add(`UpdateItem Expected ${what}`, 'UpdateItem', { TableName: HASH, Key: k1, Expected: exp })
    add(`UpdateItem Expected ${what} missing table`, 'UpdateItem', { TableName: 'diff_missing', Key: k1, Expected: exp })
  }
  add('PutItem Expected two with OR', 'PutItem', { TableName: HASH, Item: { pk: S('k2') }, ConditionalOperator: 'OR',
    Expected: { nope: { Exists: true, Value: S('x') }, n: { ComparisonOperator: 'LT', AttributeValueList: [ N(0) ] } } })
  add('reset k2', 'PutItem', { TableName: HASH, Item: seed[1] }) // after a departure
  add('PutItem ConditionalOperator without Expected', 'PutItem', { TableName: HASH, Item: { pk: S('x') }, ConditionalOperator: 'OR' })

  resetK1()
  // ---- update expressions -------------------------------------------------------------------
  const updates = [
    [ 'SET a = :a', { ':a': S('x') } ], [ 'SET pk = :a', { ':a': S('x') } ], [ 'REMOVE pk', null ], [ 'SET a = :a, a = :a', { ':a': S('x') } ],
    [ 'SET a = :a REMOVE a', { ':a': S('x') } ], [ 'SET a.b = :a, a = :a', { ':a': S('x') } ], [ 'SET a[0] = :a, a = :a', { ':a': S('x') } ],
    [ 'SET a = :a SET b = :a', { ':a': S('x') } ], [ 'ADD a :a', { ':a': S('x') } ], [ 'ADD a :a', { ':a': { L: [] } } ],
    [ 'DELETE a :a', { ':a': N(1) } ], [ 'SET a = :a + :b', { ':a': S('x'), ':b': N(1) } ], [ 'SET n = n + :b', { ':b': N(1) } ],
    [ 'SET s = s + :b', { ':b': N(1) } ], [ 'SET a = list_append(:a, :b)', { ':a': S('x'), ':b': { L: [] } } ],
    [ 'SET l = list_append(l, :b)', { ':b': { L: [ N(9) ] } } ], [ 'SET a = if_not_exists(a)', null ], [ 'SET a = size(a)', null ],
    [ 'SET a = nofunc(a)', null ], [ 'SET a = if_not_exists(:a, b)', { ':a': S('x') } ], [ 'SET', null ], [ '', null ],
    [ 'REMOVE a, a', null ], [ 'SET m.inner.deep = :a', { ':a': S('x') } ], [ 'SET s.x = :a', { ':a': S('x') } ],
    [ 'SET l[5] = :a, l[4] = :b', { ':a': S('five'), ':b': S('four') } ], [ 'REMOVE l[0], l[1]', null ], [ 'SET nope.x = :a', { ':a': S('x') } ],
    [ 'ADD n :a', { ':a': N(2) } ], [ 'ADD ss :a', { ':a': { SS: [ 'c' ] } } ], [ 'ADD ss :a', { ':a': { NS: [ '1' ] } } ],
    [ 'DELETE ss :a', { ':a': { SS: [ 'a', 'b' ] } } ], [ 'DELETE n :a', { ':a': { NS: [ '1' ] } } ], [ 'ADD m.x :a', { ':a': N(1) } ],
    [ 'ADD l[0] :a', { ':a': N(1) } ], [ 'SET #a = :a', { ':a': S('x') } ], [ 'SET a = :a', { ':a': S('x'), ':b': S('y') } ],
    [ 'SET TABLE = :a', { ':a': S('x') } ], [ 'SET a = :a,', { ':a': S('x') } ], [ 'set a = :a remove b', { ':a': S('x') } ],
    [ 'SET a=:a', { ':a': { NULL: true } } ], [ 'SET a = b', null ], [ 'SET a = n - :a', { ':a': N(1) } ],
    [ 'SET n = n - :a', { ':a': N('1e130') } ], [ 'SET a = :a', { ':a': { SS: [] } } ], [ 'SET l[0].x = :a', { ':a': S('x') } ],
    [ 'SET pk.x = :a', { ':a': S('x') } ], [ 'ADD pk :a', { ':a': S('x') } ], [ 'DELETE pk :a', { ':a': { SS: [ 'x' ] } } ],
  ]
  updates.forEach(([ expr, values ], i) => {
    const body = { TableName: HASH, Key: k1, UpdateExpression: expr, ReturnValues: 'UPDATED_NEW' }
    if (values) body.ExpressionAttributeValues = values
    add(`UpdateItem expression #${i} ${JSON.stringify(expr)}`, 'UpdateItem', body)
    add(`UpdateItem expression #${i} missing table`, 'UpdateItem', { ...body, TableName: 'diff_missing' })
    if (expr.startsWith('REMOVE l[0]')) resetK1() // a departure: the lists differ afterwards
  })
  add('UpdateItem AttributeUpdates and UpdateExpression', 'UpdateItem', { TableName: HASH, Key: k1, UpdateExpression: 'SET a = :a',
    ExpressionAttributeValues: { ':a': S('x') }, AttributeUpdates: { a: { Action: 'PUT', Value: S('x') } } })
  add('UpdateItem range key update', 'UpdateItem', { TableName: RANGE, Key: { pk: S('x'), sk: N(1) }, UpdateExpression: 'SET sk = :a', ExpressionAttributeValues: { ':a': N(2) } })
  add('UpdateItem index key wrong type', 'UpdateItem', { TableName: RANGE, Key: { pk: S('x'), sk: N(1) }, UpdateExpression: 'SET g = :a', ExpressionAttributeValues: { ':a': N(2) } })
  add('UpdateItem index key empty', 'UpdateItem', { TableName: RANGE, Key: { pk: S('x'), sk: N(1) }, UpdateExpression: 'SET g = :a', ExpressionAttributeValues: { ':a': S('') } })
  dropX()
  resetK1()
  const attrUpdates = {
    'PUT no value': { a: { Action: 'PUT' } }, 'ADD string': { s: { Action: 'ADD', Value: S('x') } }, 'DELETE number': { n: { Action: 'DELETE', Value: N(1) } },
    'key attribute': { pk: { Action: 'PUT', Value: S('x') } }, 'ADD number': { n: { Action: 'ADD', Value: N(1) } }, 'DELETE no value': { s: { Action: 'DELETE' } },
    'ADD set': { ss: { Action: 'ADD', Value: { SS: [ 'z' ] } } }, 'ADD list': { l: { Action: 'ADD', Value: { L: [ S('z') ] } } }, 'default action': { z: { Value: N(3) } },
    'invalid value': { z: { Value: { N: 'q' } } }, 'ADD mismatched set': { ss: { Action: 'ADD', Value: { NS: [ '1' ] } } },
  }
  for (const [ what, au ] of Object.entries(attrUpdates)) {
    add(`UpdateItem AttributeUpdates ${what}`, 'UpdateItem', { TableName: HASH, Key: k1, AttributeUpdates: au, ReturnValues: 'ALL_NEW' })
    add(`UpdateItem AttributeUpdates ${what} missing table`, 'UpdateItem', { TableName: 'diff_missing', Key: k1, AttributeUpdates: au })
  }

  resetK1()
  // ---- Query / Scan ---------------------------------------------------------------------------
  const q = (extra) => ({ TableName: RANGE, ...extra })
  const queries = {
    'no key condition': q({}), 'both key forms': q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') }, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [ S('p1') ] } } }),
    'hash only': q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') } }),
    'range BETWEEN': q({ KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': S('p1'), ':a': N(2), ':b': N(3) } }),
    'backwards limit': q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') }, ScanIndexForward: false, Limit: 2 }),
    'non-key condition': q({ KeyConditionExpression: 'pk = :p AND v = :v', ExpressionAttributeValues: { ':p': S('p1'), ':v': N(1) } }),
    'OR': q({ KeyConditionExpression: 'pk = :p OR sk = :v', ExpressionAttributeValues: { ':p': S('p1'), ':v': N(1) } }),
    'range only': q({ KeyConditionExpression: 'sk = :v', ExpressionAttributeValues: { ':v': N(1) } }),
    'hash not EQ': q({ KeyConditionExpression: 'pk > :p', ExpressionAttributeValues: { ':p': S('p1') } }),
    'two on range': q({ KeyConditionExpression: 'pk = :p AND sk > :v AND sk < :v', ExpressionAttributeValues: { ':p': S('p1'), ':v': N(1) } }),
    'begins_with number': q({ KeyConditionExpression: 'pk = :p AND begins_with(sk, :v)', ExpressionAttributeValues: { ':p': S('p1'), ':v': N(1) } }),
    'wrong type': q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': N(1) } }),
    'NE': q({ KeyConditionExpression: 'pk = :p AND sk <> :v', ExpressionAttributeValues: { ':p': S('p1'), ':v': N(1) } }),
    'nested': q({ KeyConditionExpression: 'pk.x = :p', ExpressionAttributeValues: { ':p': S('p1') } }),
    'NOT': q({ KeyConditionExpression: 'NOT pk = :p', ExpressionAttributeValues: { ':p': S('p1') } }),
    'attribute_exists': q({ KeyConditionExpression: 'attribute_exists(pk)' }),
    'filter on key': q({ KeyConditionExpression: 'pk = :p', FilterExpression: 'sk = :v', ExpressionAttributeValues: { ':p': S('p1'), ':v': N(1) } }),
    'filter': q({ KeyConditionExpression: 'pk = :p', FilterExpression: 'v > :v', ExpressionAttributeValues: { ':p': S('p1'), ':v': N(15) } }),
    'missing index': q({ IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') } }),
    'LSI': q({ IndexName: 'lsi_a', KeyConditionExpression: 'pk = :p AND a > :a', ExpressionAttributeValues: { ':p': S('p1'), ':a': S('a3') } }),
    'GSI': q({ IndexName: 'gsi_g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('odd') } }),
    'GSI consistent': q({ IndexName: 'gsi_g', ConsistentRead: true, KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('odd') } }),
    'GSI select ALL_ATTRIBUTES': q({ IndexName: 'gsi_g', Select: 'ALL_ATTRIBUTES', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('odd') } }),
    'Select COUNT': q({ Select: 'COUNT', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') } }),
    'Select SPECIFIC without list': q({ Select: 'SPECIFIC_ATTRIBUTES', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') } }),
    'Select ALL with projection': q({ Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'v', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') } }),
    'Select PROJECTED on table': q({ Select: 'ALL_PROJECTED_ATTRIBUTES', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') } }),
    'bad start key': q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') }, ExclusiveStartKey: { pk: S('p1') } }),
    'start key other partition': q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') }, ExclusiveStartKey: { pk: S('p2'), sk: N(5) } }),
    'start key': q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') }, ExclusiveStartKey: { pk: S('p1'), sk: N(2) } }),
    'KeyConditions EQ': q({ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [ S('p1') ] }, sk: { ComparisonOperator: 'GT', AttributeValueList: [ N(2) ] } } }),
    'KeyConditions NE': q({ KeyConditions: { pk: { ComparisonOperator: 'NE', AttributeValueList: [ S('p1') ] } } }),
    'KeyConditions no hash': q({ KeyConditions: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [ N(1) ] } } }),
    'KeyConditions non-key': q({ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [ S('p1') ] }, v: { ComparisonOperator: 'EQ', AttributeValueList: [ N(1) ] } } }),
    'KeyConditions wrong count': q({ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [] } } }),
    'QueryFilter': q({ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [ S('p1') ] } }, QueryFilter: { v: { ComparisonOperator: 'GT', AttributeValueList: [ N(15) ] } } }),
    'QueryFilter on key': q({ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [ S('p1') ] } }, QueryFilter: { sk: { ComparisonOperator: 'GT', AttributeValueList: [ N(1) ] } } }),
    'QueryFilter with expression': q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') }, QueryFilter: { v: { ComparisonOperator: 'NOT_NULL' } } }),
    'AttributesToGet and projection': q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') }, AttributesToGet: [ 'v' ], ProjectionExpression: 'v' }),
    'reserved word': q({ KeyConditionExpression: 'pk = :p AND value = :v', ExpressionAttributeValues: { ':p': S('p1'), ':v': N(1) } }),
    'missing table invalid': { TableName: 'diff_missing', KeyConditionExpression: 'pk = :p' },
    'missing table bad filter': { TableName: 'diff_missing', KeyConditionExpression: 'pk = :p', FilterExpression: 'a =', ExpressionAttributeValues: { ':p': S('p1') } },
    'missing table unused value': { TableName: 'diff_missing', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1'), ':q': S('x') } },
    'missing table bad projection': { TableName: 'diff_missing', KeyConditionExpression: 'pk = :p', ProjectionExpression: 'a,', ExpressionAttributeValues: { ':p': S('p1') } },
    'start key wrong range': q({ KeyConditionExpression: 'pk = :p AND sk > :v', ExpressionAttributeValues: { ':p': S('p1'), ':v': N(3) }, ExclusiveStartKey: { pk: S('p1'), sk: N(1) } }),
    'start key other partition with range': q({ KeyConditionExpression: 'pk = :p AND sk > :v', ExpressionAttributeValues: { ':p': S('p1'), ':v': N(3) }, ExclusiveStartKey: { pk: S('p2'), sk: N(5) } }),
    'start key extra attribute': q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') }, ExclusiveStartKey: { pk: S('p1'), sk: N(2), v: N(1) } }),
    'LSI start key': q({ IndexName: 'lsi_a', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') }, ExclusiveStartKey: { pk: S('p1'), sk: N(2), a: S('a5') } }),
    'LSI start key without index key': q({ IndexName: 'lsi_a', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') }, ExclusiveStartKey: { pk: S('p1'), sk: N(2) } }),
    'missing table': { TableName: 'diff_missing', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') } },
  }
  // Items with the same GSI key come in no documented order.
  for (const [ what, body ] of Object.entries(queries)) add(`Query ${what}`, 'Query', body, what.startsWith('GSI') ? { compareBody: sortedItems } : {})
  const scans = {
    'all': { TableName: RANGE }, 'limit': { TableName: RANGE, Limit: 2 }, /* which two: hash order differs */ 'segment without total': { TableName: RANGE, Segment: 0 },
    'total without segment': { TableName: RANGE, TotalSegments: 2 }, 'segment too big': { TableName: RANGE, Segment: 2, TotalSegments: 2 },
    'filter': { TableName: RANGE, FilterExpression: 'v BETWEEN :a AND :b', ExpressionAttributeValues: { ':a': N(20), ':b': N(40) } },
    'ScanFilter': { TableName: RANGE, ScanFilter: { v: { ComparisonOperator: 'IN', AttributeValueList: [ N(10), N(60) ] } } },
    'ScanFilter and filter': { TableName: RANGE, ScanFilter: { v: { ComparisonOperator: 'NULL' } }, FilterExpression: 'attribute_exists(v)' },
    'ScanFilter bad count': { TableName: RANGE, ScanFilter: { v: { ComparisonOperator: 'BETWEEN', AttributeValueList: [ N(1) ] } } },
    'Select COUNT filter': { TableName: RANGE, Select: 'COUNT', FilterExpression: 'v > :a', ExpressionAttributeValues: { ':a': N(20) } },
    'GSI': { TableName: RANGE, IndexName: 'gsi_g' }, 'missing index': { TableName: RANGE, IndexName: 'nope' },
    'start key invalid': { TableName: RANGE, ExclusiveStartKey: { pk: S('p1') } }, 'projection': { TableName: HASH, ProjectionExpression: 'pk, n' },
    'missing table invalid': { TableName: 'diff_missing', Segment: 1 }, 'missing table': { TableName: 'diff_missing' },
    'missing table bad filter': { TableName: 'diff_missing', FilterExpression: 'a = :zz' },
    'missing table unused name': { TableName: 'diff_missing', ProjectionExpression: 'a', ExpressionAttributeNames: { '#n': 'n' } },
    'ExpressionAttributeNames without expression': { TableName: RANGE, ExpressionAttributeNames: { '#n': 'n' } },
    'EAN bad key': { TableName: RANGE, ProjectionExpression: 'a', ExpressionAttributeNames: { 'n': 'n' } },
  }
  for (const [ what, body ] of Object.entries(scans)) {
    add(`Scan ${what}`, 'Scan', body, what == 'all' || what == 'GSI' || what.startsWith('filter') || what == 'ScanFilter' || what == 'projection'
      ? { compareBody: sortedItems } : what == 'limit' ? { compareBody: (b) => ({ Count: b.Count, ScannedCount: b.ScannedCount }) } : {})
  }

  // ---- batches ---------------------------------------------------------------------------------
  const keys = (n, prefix = 'b') => Array.from({ length: n }, (_, i) => ({ pk: S(prefix + i) }))
  add('BatchGetItem 100 keys', 'BatchGetItem', { RequestItems: { [HASH]: { Keys: keys(100) } } })
  add('BatchGetItem 101 keys', 'BatchGetItem', { RequestItems: { [HASH]: { Keys: keys(101) } } })
  add('BatchGetItem 101 keys two tables', 'BatchGetItem', { RequestItems: { [HASH]: { Keys: keys(60) }, [RANGE]: { Keys: keys(41).map((k, i) => ({ pk: k.pk, sk: N(i) })) } } })
  add('BatchGetItem duplicate keys', 'BatchGetItem', { RequestItems: { [HASH]: { Keys: [ k1, k1 ] } } })
  add('BatchGetItem missing table', 'BatchGetItem', { RequestItems: { diff_missing: { Keys: [ k1 ] } } })
  add('BatchGetItem bad key', 'BatchGetItem', { RequestItems: { [HASH]: { Keys: [ { pk: N(1) } ] } } })
  add('BatchGetItem empty', 'BatchGetItem', { RequestItems: {} })
  add('BatchGetItem empty keys', 'BatchGetItem', { RequestItems: { [HASH]: { Keys: [] } } })
  add('BatchGetItem projection + AttributesToGet', 'BatchGetItem', { RequestItems: { [HASH]: { Keys: [ k1 ], ProjectionExpression: 'n', AttributesToGet: [ 'n' ] } } })
  add('BatchGetItem found', 'BatchGetItem', { RequestItems: { [HASH]: { Keys: [ k1, { pk: S('k2') }, { pk: S('zz') } ], ProjectionExpression: 'pk, n' } } }, { compareBody: sortedResponses })
  const puts = (n, prefix = 'w') => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk: S(prefix + i), v: N(i) } } }))
  add('BatchWriteItem 25', 'BatchWriteItem', { RequestItems: { [HASH]: puts(25) } })
  add('BatchWriteItem 26', 'BatchWriteItem', { RequestItems: { [HASH]: puts(26) } })
  add('BatchWriteItem 26 two tables', 'BatchWriteItem', { RequestItems: { [HASH]: puts(20), diff_missing: puts(6) } })
  add('BatchWriteItem same key twice', 'BatchWriteItem', { RequestItems: { [HASH]: [ ...puts(1), { DeleteRequest: { Key: { pk: S('w0') } } } ] } })
  add('BatchWriteItem put and delete', 'BatchWriteItem', { RequestItems: { [HASH]: [ { PutRequest: { Item: { pk: S('w0') } }, DeleteRequest: { Key: k1 } } ] } })
  add('BatchWriteItem empty request', 'BatchWriteItem', { RequestItems: { [HASH]: [ {} ] } })
  add('BatchWriteItem missing table', 'BatchWriteItem', { RequestItems: { diff_missing: puts(1) } })
  add('BatchWriteItem bad item', 'BatchWriteItem', { RequestItems: { [HASH]: [ { PutRequest: { Item: { pk: N(1) } } } ] } })
  add('BatchWriteItem item without key', 'BatchWriteItem', { RequestItems: { [HASH]: [ { PutRequest: { Item: { x: N(1) } } } ] } })
  add('BatchWriteItem item with empty key', 'BatchWriteItem', { RequestItems: { [HASH]: [ { PutRequest: { Item: { pk: S('') } } } ] } })
  add('BatchWriteItem bad delete key', 'BatchWriteItem', { RequestItems: { [HASH]: [ { DeleteRequest: { Key: { pk: S('x'), y: S('z') } } } ] } })
  add('BatchWriteItem item too big', 'BatchWriteItem', { RequestItems: { [HASH]: [ { PutRequest: { Item: { pk: S('x'), v: S('a'.repeat(400 * 1024)) } } } ] } })
  add('BatchWriteItem empty', 'BatchWriteItem', { RequestItems: {} })

  // ---- tables ----------------------------------------------------------------------------------
  const ct = (extra) => ({ TableName: 'diff_ct', AttributeDefinitions: [ { AttributeName: 'pk', AttributeType: 'S' } ],
    KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' } ], ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, ...extra })
  const createTables = {
    'exists': ct({ TableName: HASH }), 'undefined key attribute': ct({ KeySchema: [ { AttributeName: 'x', KeyType: 'HASH' } ] }),
    'RANGE first': ct({ KeySchema: [ { AttributeName: 'pk', KeyType: 'RANGE' } ] }),
    'two HASH': ct({ AttributeDefinitions: [ { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' } ], KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'HASH' } ] }),
    'same key twice': ct({ KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'pk', KeyType: 'RANGE' } ] }),
    'extra definition': ct({ AttributeDefinitions: [ { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' } ] }),
    'duplicate definition': ct({ AttributeDefinitions: [ { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'pk', AttributeType: 'N' } ] }),
    'no throughput': ct({ ProvisionedThroughput: undefined }), 'pay per request with throughput': ct({ BillingMode: 'PAY_PER_REQUEST' }),
    'zero throughput': ct({ ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } }),
    'huge throughput': ct({ ProvisionedThroughput: { ReadCapacityUnits: 1e12, WriteCapacityUnits: 1e12 } }),
    'LSI without range': ct({ LocalSecondaryIndexes: [ { IndexName: 'l', KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' } ], Projection: { ProjectionType: 'ALL' } } ] }),
    'LSI empty': ct({ LocalSecondaryIndexes: [] }), 'GSI empty': ct({ GlobalSecondaryIndexes: [] }),
    'GSI undefined attribute': ct({ GlobalSecondaryIndexes: [ { IndexName: 'g', KeySchema: [ { AttributeName: 'q', KeyType: 'HASH' } ], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } ] }),
    'GSI no projection type': ct({ GlobalSecondaryIndexes: [ { IndexName: 'g', KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' } ], Projection: {}, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } ] }),
    'GSI INCLUDE without attributes': ct({ GlobalSecondaryIndexes: [ { IndexName: 'g', KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' } ], Projection: { ProjectionType: 'INCLUDE' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } ] }),
    'GSI ALL with attributes': ct({ GlobalSecondaryIndexes: [ { IndexName: 'g', KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' } ], Projection: { ProjectionType: 'ALL', NonKeyAttributes: [ 'a' ] }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } ] }),
    'GSI duplicate names': ct({ GlobalSecondaryIndexes: [ 1, 2 ].map(() => ({ IndexName: 'g', KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' } ], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })) }),
    'GSI no throughput': ct({ GlobalSecondaryIndexes: [ { IndexName: 'g', KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' } ], Projection: { ProjectionType: 'ALL' } } ] }),
    'valid': ct({ TableName: 'diff_ct_ok' }),
  }
  for (const [ what, body ] of Object.entries(createTables)) {
    add(`CreateTable ${what}`, 'CreateTable', JSON.parse(JSON.stringify(body)), { compareBody: createdTable })
  }
  add('DeleteTable missing', 'DeleteTable', { TableName: 'diff_missing' })
  add('DescribeTable missing', 'DescribeTable', { TableName: 'diff_missing' })
  add('DescribeTimeToLive missing', 'DescribeTimeToLive', { TableName: 'diff_missing' })
  add('DescribeTimeToLive', 'DescribeTimeToLive', { TableName: HASH })
  add('UpdateTable nothing', 'UpdateTable', { TableName: HASH })
  add('UpdateTable missing', 'UpdateTable', { TableName: 'diff_missing', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } })
  add('UpdateTable same throughput', 'UpdateTable', { TableName: HASH, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } })
  add('UpdateTable GSI update missing index', 'UpdateTable', { TableName: RANGE, GlobalSecondaryIndexUpdates: [ { Update: { IndexName: 'nope', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } } } ] })
  add('UpdateTable GSI empty update', 'UpdateTable', { TableName: RANGE, GlobalSecondaryIndexUpdates: [ {} ] })
  add('ListTables limit 1', 'ListTables', { Limit: 1 })
  add('ListTables start', 'ListTables', { ExclusiveStartTableName: 'diff_h' })
  const arnCases = {
    'TagResource bad arn': [ 'TagResource', { ResourceArn: 'nope', Tags: [ { Key: 'a', Value: 'b' } ] } ],
    'TagResource missing table': [ 'TagResource', (ctx) => ({ ResourceArn: ctx.arn('diff_missing'), Tags: [ { Key: 'a', Value: 'b' } ] }) ],
    'TagResource no tags': [ 'TagResource', (ctx) => ({ ResourceArn: ctx.arn(HASH), Tags: [] }) ],
    // On the other table: dynalite takes these (a departure), and HASH's tags are compared below.
    'TagResource key too long': [ 'TagResource', (ctx) => ({ ResourceArn: ctx.arn(RANGE), Tags: [ { Key: 'k'.repeat(129), Value: 'v' } ] }) ],
    'TagResource value too long': [ 'TagResource', (ctx) => ({ ResourceArn: ctx.arn(RANGE), Tags: [ { Key: 'k', Value: 'v'.repeat(257) } ] }) ],
    'tags cleared': [ 'UntagResource', (ctx) => ({ ResourceArn: ctx.arn(HASH), TagKeys: [ 'k', 'a', 'b' ] }), { compareBody: () => ({}) } ],
    'TagResource ok': [ 'TagResource', (ctx) => ({ ResourceArn: ctx.arn(HASH), Tags: [ { Key: 'b', Value: '2' }, { Key: 'a', Value: '1' } ] }) ],
    'ListTagsOfResource': [ 'ListTagsOfResource', (ctx) => ({ ResourceArn: ctx.arn(HASH) }), { compareBody: sortedTags } ],
    'ListTagsOfResource bad arn': [ 'ListTagsOfResource', { ResourceArn: 'arn:aws:dynamodb:us-east-1:1:tablex' } ],
    'ListTagsOfResource missing table': [ 'ListTagsOfResource', (ctx) => ({ ResourceArn: ctx.arn('diff_missing') }) ],
    'UntagResource no keys': [ 'UntagResource', (ctx) => ({ ResourceArn: ctx.arn(HASH), TagKeys: [] }) ],
    'UntagResource ok': [ 'UntagResource', (ctx) => ({ ResourceArn: ctx.arn(HASH), TagKeys: [ 'a', 'zz' ] }) ],
    'ListTagsOfResource after untag': [ 'ListTagsOfResource', (ctx) => ({ ResourceArn: ctx.arn(HASH) }), { compareBody: sortedTags } ],
    'UntagResource missing table': [ 'UntagResource', (ctx) => ({ ResourceArn: ctx.arn('diff_missing'), TagKeys: [ 'a' ] }) ],
  }
  for (const [ what, [ op, body, extra ] ] of Object.entries(arnCases)) add(what, op, body, extra)

  resetK1()
  // ---- values read back, capacity and metrics, sizes ------------------------------------------
  const numbers = [ '12.5E3', '0.000', '-0', '1e-130', '9.9999999999999999999999999999999999999E+125', '00012', '1.50', '-.5', '5.',
    '123456789012345678901234567890123456.78' ]
  add('PutItem number formats', 'PutItem', { TableName: HASH, Item: { pk: S('nums'), ...Object.fromEntries(numbers.map((n, i) => [ 'n' + i, N(n) ])),
    ns: { NS: [ '1', '1e2', '-3.50' ] } } })
  add('GetItem number formats', 'GetItem', { TableName: HASH, Key: { pk: S('nums') } }, { compareBody: sortedSets })
  for (const rcc of [ 'TOTAL', 'INDEXES', 'NONE' ]) {
    add(`GetItem ReturnConsumedCapacity ${rcc}`, 'GetItem', { TableName: HASH, Key: k1, ReturnConsumedCapacity: rcc, ConsistentRead: rcc == 'TOTAL' })
    add(`PutItem ReturnConsumedCapacity ${rcc}`, 'PutItem', { TableName: RANGE, Item: { pk: S('cap'), sk: N(1), g: S('x'), a: S('y') }, ReturnConsumedCapacity: rcc })
    add(`Query ReturnConsumedCapacity ${rcc}`, 'Query', { TableName: RANGE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') }, ReturnConsumedCapacity: rcc })
    add(`Scan ReturnConsumedCapacity ${rcc}`, 'Scan', { TableName: RANGE, IndexName: 'gsi_g', Select: 'COUNT', ReturnConsumedCapacity: rcc })
    add(`DeleteItem ReturnConsumedCapacity ${rcc}`, 'DeleteItem', { TableName: RANGE, Key: { pk: S('cap'), sk: N(1) }, ReturnConsumedCapacity: rcc })
    add(`BatchGetItem ReturnConsumedCapacity ${rcc}`, 'BatchGetItem', { RequestItems: { [HASH]: { Keys: [ k1 ] } }, ReturnConsumedCapacity: rcc })
    add(`BatchWriteItem ReturnConsumedCapacity ${rcc}`, 'BatchWriteItem', { RequestItems: { [HASH]: [ { PutRequest: { Item: { pk: S('capw') } } } ] }, ReturnConsumedCapacity: rcc })
    add(`UpdateItem ReturnConsumedCapacity ${rcc}`, 'UpdateItem', { TableName: HASH, Key: { pk: S('capu') }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': S('x') }, ReturnConsumedCapacity: rcc })
  }
  add('PutItem ReturnItemCollectionMetrics SIZE', 'PutItem', { TableName: RANGE, Item: { pk: S('icm'), sk: N(1), a: S('z') }, ReturnItemCollectionMetrics: 'SIZE' })
  add('PutItem ReturnItemCollectionMetrics SIZE no LSI', 'PutItem', { TableName: HASH, Item: { pk: S('icm') }, ReturnItemCollectionMetrics: 'SIZE' })
  add('DeleteItem ReturnItemCollectionMetrics SIZE', 'DeleteItem', { TableName: RANGE, Key: { pk: S('icm'), sk: N(1) }, ReturnItemCollectionMetrics: 'SIZE' })
  // 400 KB exactly and one byte over, with the overheads of every type (name bytes + value bytes;
  // N by digits, M/L 3 bytes + 1 per element, BOOL/NULL 1 byte).
  const sized = (extra) => {
    const base = { pk: S('sz'), n: N('12345'), b: { B: 'AAECAw==' }, t: { BOOL: true }, z: { NULL: true },
      l: { L: [ S('ab'), N(1) ] }, m: { M: { k: S('v') } }, ss: { SS: [ 'x', 'yy' ] } }
    return (fill) => ({ ...base, f: S('a'.repeat(fill + extra)) })
  }
  for (const fill of [ 409400, 409500, 409550, 409560, 409570 ]) {
    add(`PutItem sized item ${fill}`, 'PutItem', { TableName: HASH, Item: sized(0)(fill) })
  }
  add('PutItem key 2048 bytes multibyte', 'PutItem', { TableName: HASH, Item: { pk: S('é'.repeat(1024)) } })
  add('PutItem key 2049 bytes multibyte', 'PutItem', { TableName: HASH, Item: { pk: S('é'.repeat(1024) + 'a') } })
  add('PutItem range key 1024 bytes', 'PutItem', { TableName: RANGE, Item: { pk: S('x'), sk: N(1), a: S('a'.repeat(1024)) } })
  add('PutItem range key N 38 digits', 'PutItem', { TableName: RANGE, Item: { pk: S('x'), sk: N('1'.repeat(38)) } })
  add('GetItem missing item', 'GetItem', { TableName: HASH, Key: { pk: S('never-there') } })
  dropX()
  add('reset x range', 'DeleteItem', { TableName: RANGE, Key: { pk: S('x'), sk: N('1'.repeat(38)) } })

  // ---- more expression checks --------------------------------------------------------------
  const more = [
    [ 'UpdateItem', { UpdateExpression: 'SET a = :undefined' } ],
    [ 'UpdateItem', { UpdateExpression: 'SET #x = :a', ExpressionAttributeValues: { ':a': N(1) } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET m.#k = :a', ExpressionAttributeNames: { '#k': 'inner' }, ExpressionAttributeValues: { ':a': N(1) } } ],
    [ 'UpdateItem', { UpdateExpression: 'REMOVE m.inner, m', ExpressionAttributeValues: undefined } ],
    [ 'UpdateItem', { UpdateExpression: 'SET l[0] = :a', ExpressionAttributeValues: { ':a': N(1) }, Key: { pk: S('k2') } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET n[0] = :a', ExpressionAttributeValues: { ':a': N(1) } } ],
    [ 'UpdateItem', { UpdateExpression: 'REMOVE l[0].b' } ],
    [ 'UpdateItem', { UpdateExpression: 'REMOVE nope.b' } ],
    [ 'UpdateItem', { UpdateExpression: 'REMOVE m.nope' } ],
    [ 'UpdateItem', { UpdateExpression: 'REMOVE l[7]' } ],
    [ 'UpdateItem', { UpdateExpression: 'SET m.inner.x.y = :a', ExpressionAttributeValues: { ':a': N(1) } } ],
    [ 'UpdateItem', { UpdateExpression: 'ADD m.cnt :a', ExpressionAttributeValues: { ':a': N(1) } } ],
    [ 'UpdateItem', { UpdateExpression: 'DELETE l :a', ExpressionAttributeValues: { ':a': { SS: [ 'x' ] } } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a = list_append(:a, :b)', ExpressionAttributeValues: { ':a': { L: [ N(1) ] }, ':b': { L: [ N(2) ] } } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a = if_not_exists(n, :a) + :a', ExpressionAttributeValues: { ':a': N(1) } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a = :a, #p = :a', ExpressionAttributeNames: { '#p': 'pk' }, ExpressionAttributeValues: { ':a': S('x') } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a = :a', ConditionExpression: '#n > :a', ExpressionAttributeNames: { '#n': 'n', '#u': 'u' }, ExpressionAttributeValues: { ':a': N(1) } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a = :a', ConditionExpression: 'n IN (' + Array.from({ length: 101 }, (_, i) => ':v' + i).join(',') + ')',
      ExpressionAttributeValues: Object.fromEntries([ [ ':a', N(1) ], ...Array.from({ length: 101 }, (_, i) => [ ':v' + i, N(i) ]) ]) } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a = :a', ConditionExpression: '((((((n > :a))))))', ExpressionAttributeValues: { ':a': N(1) } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a1.b1.c1.d1.e1.f1 = :a', ExpressionAttributeValues: { ':a': N(1) } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a = :a', ConditionExpression: 'contains(ss, :s) AND attribute_type(n, :t) AND size(l) = :two AND begins_with(s, :p)',
      ExpressionAttributeValues: { ':a': N(1), ':s': S('a'), ':t': S('N'), ':two': N(2), ':p': S('te') } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a = :a', ConditionExpression: 'contains(ss, :s)', ExpressionAttributeValues: { ':a': N(1), ':s': { SS: [ 'a' ] } } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a = :a', ConditionExpression: 'n BETWEEN :a AND :b', ExpressionAttributeValues: { ':a': N(1), ':b': S('x') } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a = :a', ConditionExpression: 'attribute_type(n, :t)', ExpressionAttributeValues: { ':a': N(1), ':t': S('SS') } } ],
    [ 'UpdateItem', { UpdateExpression: 'SET a = :a', ConditionExpression: 'size(m) > :a AND size(b) > :a AND size(ss) > :a', ExpressionAttributeValues: { ':a': N(1) } } ],
  ]
  resetK1()
  more.forEach(([ op, extra ], i) => {
    const body = { TableName: HASH, Key: k1, ReturnValues: 'UPDATED_OLD', ...extra }
    if (body.ExpressionAttributeValues === undefined) delete body.ExpressionAttributeValues
    const name = `${op} more #${i} ${JSON.stringify(extra.UpdateExpression)} ${extra.ConditionExpression ? JSON.stringify(extra.ConditionExpression).slice(0, 60) : ''}`
    add(name, op, body)
    add(`${name} missing table`, op, { ...body, TableName: 'diff_missing' })
    if (body.ConditionExpression && body.ConditionExpression.includes(' IN (')) resetK1() // a departure: dynalite writes
  })
  resetK1()
  add('reset k2 again', 'PutItem', { TableName: HASH, Item: seed[1] })
  const tooManyTables = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [ 'x' + i, { Keys: [ k1 ] } ]))
  add('BatchGetItem twelve bad table names', 'BatchGetItem', { RequestItems: tooManyTables })
  add('CreateTable many bad members', 'CreateTable', { TableName: 'a', BillingMode: 'x', AttributeDefinitions: [ { AttributeName: '', AttributeType: 'Q' }, { AttributeName: '', AttributeType: 'Z' } ],
    KeySchema: [ { AttributeName: '', KeyType: 'X' }, { AttributeName: '', KeyType: 'Y' }, { AttributeName: '', KeyType: 'Z' } ], ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } })

  // ---- malformed bodies -------------------------------------------------------------------------
  add('GetItem body not JSON', 'GetItem', '{"TableName": ')
  add('GetItem body array', 'GetItem', '[]')
  add('GetItem body string', 'GetItem', '"x"')
  add('ListTables zero-length body', 'ListTables', '')
  add('GetItem unknown member', 'GetItem', { TableName: HASH, Key: k1, Whatever: 1 })
  add('GetItem null members', 'GetItem', { TableName: HASH, Key: k1, ProjectionExpression: null, ConsistentRead: null })
  add('GetItem ConsistentRead string', 'GetItem', { TableName: HASH, Key: k1, ConsistentRead: 'yes' })
  add('ListTables Limit float', 'ListTables', { Limit: 1.7 })
  return out
}

// CreateTable's description without DeletionProtectionEnabled (a 2023 member dynalite predates).
function createdTable (body) {
  return { ...body.TableDescription, TableStatus: undefined, DeletionProtectionEnabled: undefined }
}
// Tags: DynamoDB documents no order for ListTagsOfResource.
function sortedTags (body) {
  return { ...body, Tags: (body.Tags || []).map((t) => t.Key + '=' + t.Value).sort() }
}
function sortedItems (body) {
  const items = (body.Items || []).map((i) => JSON.stringify(normalize(i))).sort()
  return { ...body, Items: items, LastEvaluatedKey: body.LastEvaluatedKey ? 'present' : undefined }
}
// Set members come in no documented order.
function sortedSets (body) {
  const sortSets = (v) => {
    if (Array.isArray(v)) return v.map(sortSets)
    if (v && typeof v == 'object') {
      const out = {}
      for (const [ k, x ] of Object.entries(v)) out[k] = [ 'SS', 'NS', 'BS' ].includes(k) ? [ ...x ].sort() : sortSets(x)
      return out
    }
    return v
  }
  return sortSets(body)
}
function sortedResponses (body) {
  const r = {}
  for (const [ t, items ] of Object.entries(body.Responses || {})) r[t] = items.map((i) => JSON.stringify(normalize(i))).sort()
  return { ...body, Responses: r }
}

module.exports = { actionCases: cases }
