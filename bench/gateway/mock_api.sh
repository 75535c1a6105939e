# The OpenAPI document's head with the MOCK route GET /ping (13 bytes of JSON) that the gateway
# benchmarks measure: callgrind_mock.sh serves it alone, overhead.sh adds its other routes after
# it. Sourced, not run:
#
#   { mock_ping_openapi; cat <<YAML ...more paths... YAML; } > api.yaml

mock_ping_openapi() {
  cat <<'YAML'
openapi: 3.0.1
info: {title: bench}
paths:
  /ping:
    get:
      x-amazon-apigateway-integration:
        type: mock
        responses: {default: {statusCode: "200", responseTemplates: {application/json: '{"pong":true}'}}}
YAML
}
