#!/usr/bin/env bash
# REST API (v1) costs (issue 11): wrk through `cdnlab gateway` to
#   rest-mock      a MOCK method whose request and response go through mapping templates
#   rest-getitem   a GetItem AWS integration on `cdnlab store` (request + response templates)
#   rest-cached    the same method with the stage cache on (every request after the first a hit)
# next to the same GetItem sent straight to the store (store-getitem), so the gateway's part of a
# DynamoDB-backed REST call, and what its cache saves, read side by side. Rounds alternate the
# targets; the table gives medians.
#
#   bash bench/gateway/rest.sh                      # 10 s x 3 rounds
#   DURATION=3 ROUNDS=1 bash bench/gateway/rest.sh  # smoke run
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_init restbench
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1

STORE_PORT=$(free_port)
start_server store "$BIN" store --listen 127.0.0.1:$STORE_PORT --in-memory
GW_PORT=$(free_port)
start_server gateway "$BIN" gateway --listen 127.0.0.1:$GW_PORT --data "$WORK/gw" --store-endpoint http://127.0.0.1:$STORE_PORT \
  --workers "$WORKERS"
wait_http -X POST "http://127.0.0.1:$STORE_PORT/" -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
  -H 'Content-Type: application/x-amz-json-1.0' -d '{}'
wait_http "http://127.0.0.1:$GW_PORT/restapis"

python3 - "$STORE_PORT" "$GW_PORT" > "$WORK/api_id" <<'PY'
import sys, boto3
store, gw = (f"http://127.0.0.1:{p}" for p in sys.argv[1:3])
ddb = boto3.client("dynamodb", endpoint_url=store)
ddb.create_table(TableName="items", BillingMode="PAY_PER_REQUEST",
                 AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                 KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
ddb.put_item(TableName="items", Item={"id": {"S": "7"}, "name": {"S": "lamp"}, "price": {"N": "12.5"}})
doc = """swagger: "2.0"
info: {title: rest-bench}
paths:
  /mock/{id}:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default: {statusCode: "200", responseTemplates: {application/json: '{"id": "$input.params(''id'')", "stage": "$context.stage"}'}}
  /items/{id}:
    get:
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:dynamodb:action/GetItem
        cacheKeyParameters: [method.request.path.id]
        requestTemplates: {application/json: '{"TableName": "items", "Key": {"id": {"S": "$input.params(''id'')"}}}'}
        responses:
          default:
            statusCode: "200"
            responseTemplates: {application/json: '#set($i = $input.path(''$.Item''))
              {"id": "$i.id.S", "name": "$i.name.S", "price": $i.price.N}'}
"""
gwc = boto3.client("apigateway", endpoint_url=gw)
api = gwc.import_rest_api(body=doc.encode())["id"]
gwc.create_deployment(restApiId=api, stageName="plain")
gwc.create_deployment(restApiId=api, stageName="cached")
gwc.update_stage(restApiId=api, stageName="cached", patchOperations=[
    {"op": "replace", "path": "/cacheClusterEnabled", "value": "true"},
    {"op": "replace", "path": "/*/*/caching/enabled", "value": "true"}])
print(api)
PY
API_ID=$(cat "$WORK/api_id")
HOST="$API_ID.execute-api.localhost"
wait_http -H "Host: $HOST" "http://127.0.0.1:$GW_PORT/plain/items/7"
cat > "$WORK/getitem.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"TableName": "items", "Key": {"id": {"S": "7"}}}'
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.GetItem"
LUA

G=${PID_OF[gateway]} S=${PID_OF[store]}
for _ in $(seq 1 "$ROUNDS"); do
  run_target store-getitem "$S" "http://127.0.0.1:$STORE_PORT/" -s "$WORK/getitem.lua"
  run_target rest-getitem "$G $S" "http://127.0.0.1:$GW_PORT/plain/items/7" -H "Host: $HOST"
  run_target rest-cached "$G $S" "http://127.0.0.1:$GW_PORT/cached/items/7" -H "Host: $HOST"
  run_target rest-mock "$G" "http://127.0.0.1:$GW_PORT/plain/mock/7" -H "Host: $HOST"
done
print_table store-getitem rest-getitem rest-cached rest-mock
echo "cache: $(curl -fsS "http://127.0.0.1:$GW_PORT/metrics" | grep -E '^cdnlab_gateway_cache_(hits|misses)_total' | tr '\n' ' ')"
