// Cases generated from dynalite's validations/*.js: for every member of every operation's shape,
// each JSON type it must not have (SerializationException, worded per Coral's type), null, and each
// declared constraint broken (length, enum, pattern, range: ValidationException listing the
// failures), both alone in the body (the required/notNull members then fail too, in shape order)
// and inside an otherwise valid request (on the fixture table and on a missing one).
'use strict'
const path = require('path')
const { dynalitePath } = require('./servers')
const { baseRequests } = require('./fixtures')

const OPERATIONS = [ 'BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable',
  'DescribeTimeToLive', 'GetItem', 'ListTables', 'ListTagsOfResource', 'PutItem', 'Query', 'Scan', 'TagResource',
  'UntagResource', 'UpdateItem', 'UpdateTable' ]

function shapeOf (operation) {
  const file = operation[0].toLowerCase() + operation.slice(1)
  return require(path.join(dynalitePath, 'validations', file)).types
}

function parseType (spec) {
  if (typeof spec == 'string') spec = { type: spec }
  const m = /(.+?)<(.+)>$/.exec(spec.type)
  return { base: m ? m[1] : spec.type, sub: m ? m[2] : null, spec,
    children: typeof spec.children == 'string' ? { type: spec.children } : spec.children }
}

// Values of the wrong JSON type for a shape node (the first few are used deeper down).
function wrongValues (spec) {
  const t = parseType(spec)
  switch (t.base) {
  case 'String': return [ true, 12, 1.5, [], {} ]
  case 'Integer': case 'Long': case 'Short': case 'Double': return [ 'one', false, [], {} ]
  case 'Boolean': return [ 12, 1.5, 'maybe', [], {} ]
  case 'Blob': return [ 12, 'abc', 'ab=c', [], {} ]
  case 'List': case 'ParameterizedList': return [ 'str', 12, {} ]
  case 'Map': case 'ParameterizedMap': return [ 'str', true, [] ]
  case 'ValueStruct': case 'FieldStruct': return [ 'str', 12, [] ]
  case 'AttrStruct': return [ 'str', 12, [], { S: 12 }, { N: true }, { B: 'abc' }, { SS: 'a' }, { L: {} },
    { M: [] }, { BOOL: 'maybe' }, { NULL: 12 }, { NS: [ 1 ] } ]
  default: return []
  }
}

// Wrap a value found at a child position into its parent's container.
function wrapChild (t, childValue, childName) {
  if (t.base == 'List' || t.base == 'ParameterizedList') return [ childValue ]
  if (t.base == 'Map' || t.base == 'ParameterizedMap') return { k1: childValue }
  return { [childName]: childValue }
}

// [{where, value}] for every wrong type at this node and (to depth 3) below it.
function typeVariants (spec, where, depth) {
  const out = wrongValues(spec).map((value) => ({ where: where + '=' + JSON.stringify(value), value }))
  if (depth >= 3) return out
  const t = parseType(spec)
  if (!t.children) return out
  if (t.base == 'AttrStruct') return out
  const kids = (t.base.endsWith('Struct')) ? Object.entries(t.children)
    : [ [ 'member', t.children ] ]
  for (const [ name, childSpec ] of kids) {
    const deeper = typeVariants(childSpec, where + '.' + name, depth + 1)
    for (const v of deeper.slice(0, depth == 0 ? 12 : 4)) out.push({ where: v.where, value: wrapChild(t, v.value, name) })
  }
  return out
}

// A value that breaks each declared constraint of a node (null for notNull).
function constraintVariants (spec, where) {
  const t = parseType(spec)
  const s = t.spec, out = []
  const isStr = t.base == 'String'
  const isList = t.base.endsWith('List'), isMap = t.base.endsWith('Map')
  if (s.enum) out.push({ where: where + ':enum', value: 'NOT_IN_ENUM' })
  if (s.regex && isStr) out.push({ where: where + ':regex', value: 'bad name!' })
  if (s.lengthGreaterThanOrEqual != null) {
    const n = s.lengthGreaterThanOrEqual - 1
    if (isStr) out.push({ where: where + ':minLength', value: 'a'.repeat(n) })
    else if (isList && n == 0) out.push({ where: where + ':minLength', value: [] })
    else if (isMap && n == 0) out.push({ where: where + ':minLength', value: {} })
  }
  if (s.lengthLessThanOrEqual != null && isStr && s.lengthLessThanOrEqual < 5000)
    out.push({ where: where + ':maxLength', value: 'a'.repeat(s.lengthLessThanOrEqual + 1) })
  if (s.greaterThanOrEqual != null) out.push({ where: where + ':min', value: s.greaterThanOrEqual - 1 })
  if (s.lessThanOrEqual != null) out.push({ where: where + ':max', value: s.lessThanOrEqual + 1 })
  if (s.notNull) out.push({ where: where + ':null', value: null })
  return out
}

// Nested constraint variants, one level into structs and list members.
function nestedConstraintVariants (spec, where) {
  const t = parseType(spec), out = []
  if (!t.children || t.base == 'AttrStruct' || typeof t.children != 'object') return out
  const kids = t.base.endsWith('Struct') ? Object.entries(t.children) : [ [ 'member', t.children ] ]
  for (const [ name, childSpec ] of kids) {
    for (const v of constraintVariants(childSpec, where + '.' + name)) out.push({ where: v.where, value: wrapChild(t, v.value, name) })
    const ct = parseType(childSpec)
    if (ct.children && ct.base.endsWith('Struct') && typeof ct.children == 'object') {
      for (const [ gname, gspec ] of Object.entries(ct.children)) {
        for (const v of constraintVariants(gspec, where + '.' + name + '.' + gname))
          out.push({ where: v.where, value: wrapChild(t, { [gname]: v.value }, name) })
      }
    }
  }
  return out
}

function shapeCases () {
  const cases = []
  for (const op of OPERATIONS) {
    const types = shapeOf(op)
    const base = baseRequests[op]
    for (const [ member, spec ] of Object.entries(types)) {
      for (const v of typeVariants(spec, member, 0)) {
        cases.push({ name: `${op} type ${v.where}`, op, body: { [member]: v.value } })
      }
      for (const v of [ ...constraintVariants(spec, member), ...nestedConstraintVariants(spec, member) ]) {
        cases.push({ name: `${op} alone ${v.where}`, op, body: { [member]: v.value } })
        if (base) {
          for (const table of [ 'fixture', 'missing' ]) {
            cases.push({ name: `${op} ${table} ${v.where}`, op,
              body: (ctx) => {
                const b = base(ctx, table == 'missing' ? 'diff_missing' : null)
                if (v.value === null && !member.includes('.')) delete b[member]
                else b[member] = v.value
                return b
              } })
          }
        }
      }
    }
    cases.push({ name: `${op} empty body`, op, body: {} })
    cases.push({ name: `${op} every member wrong`, op,
      body: Object.fromEntries(Object.entries(types).map(([ m, s ]) => [ m, constraintVariants(s, m)[0]?.value ?? null ]).filter(([ , v ]) => v !== null)) })
  }
  return cases
}

module.exports = { shapeCases, OPERATIONS }
