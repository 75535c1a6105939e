#!/usr/bin/env bash
# Acceptance scenario with Debian's aws-cli v2 (/usr/bin/aws) against a DynamoDB-compatible
# endpoint, the way an operator scripts it: create a table with a GSI, write, read, update,
# query with CLI pagination, scan, batch write, transactions, conditional and validation failures.
#   DDB_ENDPOINT=http://127.0.0.1:8000 bash tests/clients/awscli_suite.sh
# DDB_TARGET=dynalite skips the steps dynalite cannot do (counted as skipped). Last line:
# `N passed, M failed[, K skipped]`; exit status 1 if anything failed.
set -uo pipefail

AWS=${AWS_CLI:-/usr/bin/aws}
ENDPOINT=${DDB_ENDPOINT:-http://127.0.0.1:8000}
TARGET=${DDB_TARGET:-cdnlab}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-AKIDEXAMPLE} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-secret}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1}
# No pager, no retries (a wrong 5xx must fail fast, not after back-off), no metadata look-ups,
# no user config from the machine.
export AWS_PAGER="" AWS_MAX_ATTEMPTS=1 AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

RUN="cli$(/usr/bin/python3 -c 'import random,string;print("".join(random.choice(string.ascii_lowercase) for _ in range(5)))')"
TABLE="${RUN}_events"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 skipped=0

ddb() { "$AWS" dynamodb --endpoint-url "$ENDPOINT" --output json "$@"; }
# py EXPR: evaluates a Python expression with `j` bound to the JSON read from stdin; prints it.
py() { /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); r=($1); print(r if isinstance(r,str) else json.dumps(r, sort_keys=True))"; }

ok() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; shift; printf '     %s\n' "$@"; }
gap() { # gap NAME WHY: skip on dynalite only
  if [ "$TARGET" = dynalite ]; then skipped=$((skipped + 1)); echo "SKIP $1 ($2)"; return 0; fi
  return 1
}
# expect NAME WANT GOT
expect() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected: $2" "got:      $3"; fi; }
# expect_error NAME CODE CMD...: the command must fail with that DynamoDB error code.
expect_error() {
  local name=$1 code=$2; shift 2
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ $rc -ne 0 ] && grep -q "($code)" <<<"$out"; then ok "$name"; else fail "$name" "expected error $code (exit $rc)" "$out"; fi
}

wait_active() { # wait_active TABLE [INDEX]
  local st
  for _ in $(seq 1 600); do
    st=$(ddb describe-table --table-name "$1" | py "j['Table']['TableStatus'] + ''.join(' '+g['IndexStatus'] for g in j['Table'].get('GlobalSecondaryIndexes', []))")
    [[ "$st" =~ ^ACTIVE(\ ACTIVE)*$ ]] && return 0
    sleep 0.1
  done
  echo "table $1 not ACTIVE: $st"; return 1
}

# --- control plane ---------------------------------------------------------------------------
out=$(ddb create-table --table-name "$TABLE" \
  --attribute-definitions AttributeName=device,AttributeType=S AttributeName=ts,AttributeType=N AttributeName=kind,AttributeType=S \
  --key-schema AttributeName=device,KeyType=HASH AttributeName=ts,KeyType=RANGE \
  --global-secondary-indexes 'IndexName=byKind,KeySchema=[{AttributeName=kind,KeyType=HASH},{AttributeName=ts,KeyType=RANGE}],Projection={ProjectionType=KEYS_ONLY}' \
  --billing-mode PAY_PER_REQUEST 2>&1)
expect "create-table" "$TABLE" "$(py "j['TableDescription']['TableName']" <<<"$out" 2>/dev/null || echo "$out")"
wait_active "$TABLE" || { echo "0 passed, 1 failed"; exit 1; }

expect "describe-table key schema" '["device:HASH", "ts:RANGE"]' \
  "$(ddb describe-table --table-name "$TABLE" | py "[k['AttributeName']+':'+k['KeyType'] for k in j['Table']['KeySchema']]")"
expect "describe-table GSI projection" "KEYS_ONLY" \
  "$(ddb describe-table --table-name "$TABLE" --query 'Table.GlobalSecondaryIndexes[0].Projection.ProjectionType' --output text)"
listed=$(ddb list-tables --page-size 1 --query 'TableNames' --output json | py "'$TABLE' in j")
expect "list-tables (CLI follows LastEvaluatedTableName across pages of 1)" "true" "$listed"
expect_error "describe-table of a missing table" ResourceNotFoundException ddb describe-table --table-name "${RUN}_missing"

arn=$(ddb describe-table --table-name "$TABLE" --query Table.TableArn --output text)
ddb tag-resource --resource-arn "$arn" --tags Key=owner,Value=cli >/dev/null 2>&1
expect "tag-resource / list-tags-of-resource" "owner=cli" \
  "$(ddb list-tags-of-resource --resource-arn "$arn" | py "','.join(t['Key']+'='+t['Value'] for t in j['Tags'])")"

if ! gap "update-time-to-live" "dynalite has no UpdateTimeToLive"; then
  ddb update-time-to-live --table-name "$TABLE" --time-to-live-specification Enabled=true,AttributeName=expires >/dev/null 2>&1
  expect "update-time-to-live / describe-time-to-live" "expires" \
    "$(ddb describe-time-to-live --table-name "$TABLE" --query TimeToLiveDescription.AttributeName --output text 2>&1)"
fi

# --- items -----------------------------------------------------------------------------------
# One put-item, the other eleven readings in one batch (each CLI start costs about a second).
ddb put-item --table-name "$TABLE" \
  --item '{"device":{"S":"d1"},"ts":{"N":"1001"},"kind":{"S":"reading"},"celsius":{"N":"21.5"}}' >/dev/null \
  || fail "put-item"
/usr/bin/python3 - "$TABLE" >"$work/readings.json" <<'EOF'
import json, sys
print(json.dumps({sys.argv[1]: [{"PutRequest": {"Item": {
    "device": {"S": "d1"}, "ts": {"N": str(1000 + i)}, "kind": {"S": "alarm" if i % 3 == 0 else "reading"},
    "celsius": {"N": f"{20 + i}.5"}}}} for i in range(2, 13)]}))
EOF
ddb batch-write-item --request-items "file://$work/readings.json" >/dev/null || fail "batch-write-item readings"
expect "get-item" '{"celsius": {"N": "21.5"}, "device": {"S": "d1"}, "kind": {"S": "reading"}, "ts": {"N": "1001"}}' \
  "$(ddb get-item --table-name "$TABLE" --key '{"device":{"S":"d1"},"ts":{"N":"1001"}}' --consistent-read | py "j['Item']")"
expect "get-item --projection-expression" '{"celsius": {"N": "22.5"}}' \
  "$(ddb get-item --table-name "$TABLE" --key '{"device":{"S":"d1"},"ts":{"N":"1002"}}' --projection-expression celsius | py "j['Item']")"

expect "update-item SET + ADD, --return-values UPDATED_NEW" '{"celsius": {"N": "22"}, "seen": {"N": "1"}}' \
  "$(ddb update-item --table-name "$TABLE" --key '{"device":{"S":"d1"},"ts":{"N":"1001"}}' \
      --update-expression 'SET celsius = celsius + :d ADD seen :one' \
      --expression-attribute-values '{":d":{"N":"0.5"},":one":{"N":"1"}}' --return-values UPDATED_NEW | py "j['Attributes']")"

expect_error "put-item with a failed condition" ConditionalCheckFailedException \
  ddb put-item --table-name "$TABLE" --item '{"device":{"S":"d1"},"ts":{"N":"1001"}}' --condition-expression 'attribute_not_exists(device)'
expect_error "validation: missing sort key" ValidationException \
  ddb put-item --table-name "$TABLE" --item '{"device":{"S":"d1"}}'
expect_error "validation: unused expression attribute value" ValidationException \
  ddb update-item --table-name "$TABLE" --key '{"device":{"S":"d1"},"ts":{"N":"1001"}}' \
    --update-expression 'SET a = :a' --expression-attribute-values '{":a":{"S":"x"},":b":{"S":"y"}}'

# --- query / scan ----------------------------------------------------------------------------
expect "query BETWEEN, descending" '[1010, 1009, 1008]' \
  "$(ddb query --table-name "$TABLE" --key-condition-expression 'device = :d AND ts BETWEEN :a AND :b' \
      --expression-attribute-values '{":d":{"S":"d1"},":a":{"N":"1008"},":b":{"N":"1010"}}' --no-scan-index-forward \
      | py "[int(i['ts']['N']) for i in j['Items']]")"
# The CLI's own pagination: --page-size makes it send Limit and follow LastEvaluatedKey itself;
# --max-items stops early and hands back a NextToken to resume from.
expect "query --page-size 5 (CLI follows LastEvaluatedKey)" "12" \
  "$(ddb query --table-name "$TABLE" --key-condition-expression 'device = :d' \
      --expression-attribute-values '{":d":{"S":"d1"}}' --page-size 5 | py "j['Count']")"
first=$(ddb query --table-name "$TABLE" --key-condition-expression 'device = :d' \
  --expression-attribute-values '{":d":{"S":"d1"}}' --page-size 4 --max-items 7)
token=$(py "j.get('NextToken', '')" <<<"$first")
rest=$(ddb query --table-name "$TABLE" --key-condition-expression 'device = :d' \
  --expression-attribute-values '{":d":{"S":"d1"}}' --page-size 4 --starting-token "$token")
expect "query --max-items / --starting-token resumes where it stopped" "$(seq -s, 1001 1012)" \
  "$( (py "[i['ts']['N'] for i in j['Items']]" <<<"$first"; py "[i['ts']['N'] for i in j['Items']]" <<<"$rest") | /usr/bin/python3 -c 'import sys,json; print(",".join(x for l in sys.stdin for x in json.loads(l)))')"
expect "query the GSI (KEYS_ONLY)" '[["device", "kind", "ts"], 4]' \
  "$(ddb query --table-name "$TABLE" --index-name byKind --key-condition-expression 'kind = :k' \
      --expression-attribute-values '{":k":{"S":"alarm"}}' | py "[sorted(j['Items'][0]), j['Count']]")"
expect "query --select COUNT with a filter" '[4, 12]' \
  "$(ddb query --table-name "$TABLE" --key-condition-expression 'device = :d' --filter-expression 'celsius > :t' \
      --expression-attribute-values '{":d":{"S":"d1"},":t":{"N":"29"}}' --select COUNT | py "[j['Count'], j['ScannedCount']]")"
expect "scan with a filter" "4" \
  "$(ddb scan --table-name "$TABLE" --filter-expression 'kind = :k' --expression-attribute-values '{":k":{"S":"alarm"}}' \
      --page-size 3 | py "j['Count']")"
segs=$(for s in 0 1 2; do ddb scan --table-name "$TABLE" --segment $s --total-segments 3 | py "[i['ts']['N'] for i in j['Items']]"; done \
  | /usr/bin/python3 -c 'import sys,json; a=[x for l in sys.stdin for x in json.loads(l)]; print(len(a), len(set(a)))')
expect "parallel scan covers every item once" "12 12" "$segs"

# --- batches and transactions ----------------------------------------------------------------
/usr/bin/python3 - "$TABLE" >"$work/batch.json" <<'EOF'
import json, sys
print(json.dumps({sys.argv[1]: [{"PutRequest": {"Item": {"device": {"S": "d2"}, "ts": {"N": str(i)}}}} for i in range(20)]}))
EOF
ddb batch-write-item --request-items "file://$work/batch.json" >"$work/bw.out" 2>&1
expect "batch-write-item from a file" "{}" "$(py "j.get('UnprocessedItems', {})" <"$work/bw.out" 2>/dev/null || cat "$work/bw.out")"
expect "batch-get-item" "3" \
  "$(ddb batch-get-item --request-items "{\"$TABLE\":{\"Keys\":[{\"device\":{\"S\":\"d2\"},\"ts\":{\"N\":\"1\"}},{\"device\":{\"S\":\"d2\"},\"ts\":{\"N\":\"2\"}},{\"device\":{\"S\":\"d1\"},\"ts\":{\"N\":\"1001\"}},{\"device\":{\"S\":\"zz\"},\"ts\":{\"N\":\"1\"}}]}}" \
      | py "len(j['Responses']['$TABLE'])")"
/usr/bin/python3 - "$TABLE" >"$work/big.json" <<'EOF'
import json, sys
print(json.dumps({sys.argv[1]: [{"PutRequest": {"Item": {"device": {"S": "d3"}, "ts": {"N": str(i)}}}} for i in range(26)]}))
EOF
expect_error "batch-write-item of 26 items is rejected" ValidationException ddb batch-write-item --request-items "file://$work/big.json"

if ! gap "transact-write-items" "dynalite has no transactions"; then
  ddb transact-write-items --transact-items "[
    {\"Put\":{\"TableName\":\"$TABLE\",\"Item\":{\"device\":{\"S\":\"d9\"},\"ts\":{\"N\":\"1\"}},\"ConditionExpression\":\"attribute_not_exists(device)\"}},
    {\"Update\":{\"TableName\":\"$TABLE\",\"Key\":{\"device\":{\"S\":\"d1\"},\"ts\":{\"N\":\"1002\"}},\"UpdateExpression\":\"SET flagged = :t\",\"ExpressionAttributeValues\":{\":t\":{\"BOOL\":true}}}}]" >/dev/null 2>"$work/tx.err"
  expect "transact-write-items applies both actions" '[true, true]' \
    "$(ddb transact-get-items --transact-items "[{\"Get\":{\"TableName\":\"$TABLE\",\"Key\":{\"device\":{\"S\":\"d9\"},\"ts\":{\"N\":\"1\"}}}},{\"Get\":{\"TableName\":\"$TABLE\",\"Key\":{\"device\":{\"S\":\"d1\"},\"ts\":{\"N\":\"1002\"}}}}]" \
        | py "['Item' in j['Responses'][0], j['Responses'][1]['Item'].get('flagged', {}).get('BOOL', False)]" 2>&1 || cat "$work/tx.err")"
  out=$(ddb transact-write-items --transact-items "[
    {\"Delete\":{\"TableName\":\"$TABLE\",\"Key\":{\"device\":{\"S\":\"d9\"},\"ts\":{\"N\":\"1\"}}}},
    {\"ConditionCheck\":{\"TableName\":\"$TABLE\",\"Key\":{\"device\":{\"S\":\"d1\"},\"ts\":{\"N\":\"1002\"}},\"ConditionExpression\":\"attribute_not_exists(flagged)\"}}]" 2>&1)
  if grep -q "(TransactionCanceledException)" <<<"$out" && grep -q "\[None, ConditionalCheckFailed\]" <<<"$out"; then
    ok "transact-write-items cancelled with reasons [None, ConditionalCheckFailed]"
  else
    fail "transact-write-items cancellation" "$out"
  fi
  expect "cancelled transaction deleted nothing" "true" \
    "$(ddb get-item --table-name "$TABLE" --key '{"device":{"S":"d9"},"ts":{"N":"1"}}' | py "'Item' in j")"
fi

out=$(ddb delete-table --table-name "$TABLE" --query TableDescription.TableName --output text 2>&1)
expect "delete-table" "$TABLE" "$out"

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
