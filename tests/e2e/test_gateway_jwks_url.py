"""JWT authorizers whose issuer has no --jwks file: the gateway finds the key set over HTTP (OpenID
discovery's jwks_uri, or {issuer}/.well-known/jwks.json when there is no discovery document),
caches it, refreshes it when a token names an unknown kid (at most once per window, so made-up
kids do not become fetches) and after --jwks-ttl. The issuer is a tiny local JWKS server."""
import http.server
import json
import os
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402
from gateway_e2e_base import b64u, hs256, request  # noqa: E402

import boto3  # noqa: E402

SECRETS = {"k1": b"k1-secret-0123456789abcdef012345", "k2": b"k2-secret-0123456789abcdef012345",
           "k3": b"k3-secret-0123456789abcdef012345"}


class Issuer(http.server.ThreadingHTTPServer):
    """Serves /.well-known/openid-configuration -> /keys, and /nodisc/.well-known/jwks.json."""

    def __init__(self):
        self.kids = ["k1"]
        self.hits = {}
        self.lock = threading.Lock()
        issuer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                with issuer.lock:
                    issuer.hits[self.path] = issuer.hits.get(self.path, 0) + 1
                    keys = {"keys": [{"kty": "oct", "kid": k, "k": b64u(SECRETS[k])} for k in issuer.kids]}
                if self.path == "/.well-known/openid-configuration":
                    body = json.dumps({"issuer": issuer.url, "jwks_uri": issuer.url + "/keys"}).encode()
                elif self.path in ("/keys", "/nodisc/.well-known/jwks.json"):
                    body = json.dumps(keys).encode()
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def count(self, path):
        with self.lock:
            return self.hits.get(path, 0)


def token(issuer, kid, aud="api://shop"):
    now = int(time.time())
    return hs256({"iss": issuer, "aud": aud, "sub": "ann", "exp": now + 600, "iat": now - 5}, SECRETS[kid], kid)


class JwksUrl(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.issuer = Issuer()

    @classmethod
    def tearDownClass(cls):
        cls.issuer.shutdown()
        cls.issuer.server_close()
        cls.tmp.cleanup()

    def gateway(self, name, *extra):
        gw = Proc(["gateway", "--listen", "127.0.0.1:0", "--workers", "1", "--data", os.path.join(self.tmp.name, name), *extra])
        self.addCleanup(gw.stop)
        return gw

    def jwt_api(self, gw, issuer):
        c = boto3.session.Session().client("apigatewayv2", endpoint_url=gw.url(), region_name="us-east-1",
                                           aws_access_key_id="AKIDTEST", aws_secret_access_key="secret")
        self.addCleanup(c.close)
        api = c.create_api(Name="j", ProtocolType="HTTP")["ApiId"]
        integ = c.create_integration(ApiId=api, IntegrationType="MOCK")["IntegrationId"]
        az = c.create_authorizer(ApiId=api, Name="jwt", AuthorizerType="JWT", IdentitySource=["$request.header.Authorization"],
                                 JwtConfiguration={"Audience": ["api://shop"], "Issuer": issuer})["AuthorizerId"]
        c.create_route(ApiId=api, RouteKey="GET /me", Target="integrations/" + integ, AuthorizationType="JWT",
                       AuthorizerId=az)
        c.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
        return lambda tok: request(gw.addr["http"], "GET", "/me", host=f"{api}.execute-api.localhost",
                                   headers={"Authorization": "Bearer " + tok} if tok else {})[0]

    def test_discovery_cache_and_unknown_kid_refresh(self):
        self.issuer.kids = ["k1"]
        call = self.jwt_api(self.gateway("a"), self.issuer.url)
        self.assertEqual(call(token(self.issuer.url, "k1")), 200)
        self.assertEqual(call(token(self.issuer.url, "k1")), 200)
        self.assertEqual(self.issuer.count("/keys"), 1)  # cached
        self.assertEqual(self.issuer.count("/.well-known/openid-configuration"), 1)
        self.assertEqual(call(token(self.issuer.url, "k1", aud="other")), 401)
        # The issuer rotates to k2: a k2 token's unknown kid refreshes the set once.
        self.issuer.kids = ["k2"]
        self.assertEqual(call(token(self.issuer.url, "k2")), 200)
        self.assertEqual(self.issuer.count("/keys"), 2)
        # Another unknown kid right away is refused without a fetch (rate-limited refresh).
        self.issuer.kids = ["k2", "k3"]
        for _ in range(3):
            self.assertEqual(call(token(self.issuer.url, "k3")), 401)
        self.assertEqual(self.issuer.count("/keys"), 2)
        self.assertEqual(call(token(self.issuer.url, "k2")), 200)

    def test_well_known_fallback_and_ttl(self):
        self.issuer.kids = ["k1"]
        iss = self.issuer.url + "/nodisc"
        call = self.jwt_api(self.gateway("b", "--jwks-ttl", "1"), iss)
        self.assertEqual(call(token(iss, "k1")), 200)
        self.assertEqual(self.issuer.count("/nodisc/.well-known/jwks.json"), 1)
        # After the TTL the next request fetches again (polled: no fixed sleep decides the outcome).
        deadline = time.time() + 10
        while self.issuer.count("/nodisc/.well-known/jwks.json") < 2 and time.time() < deadline:
            self.assertEqual(call(token(iss, "k1")), 200)
            time.sleep(0.2)
        self.assertEqual(self.issuer.count("/nodisc/.well-known/jwks.json"), 2)

    def test_unreachable_issuer_is_401(self):
        call = self.jwt_api(self.gateway("c"), "http://127.0.0.1:9/nothing")
        self.assertEqual(call(token("http://127.0.0.1:9/nothing", "k1")), 401)
        self.assertEqual(call(None), 401)


if __name__ == "__main__":
    unittest.main()
