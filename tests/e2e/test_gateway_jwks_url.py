"""JWT authorizers whose issuer has no --jwks file: the gateway finds the key set over HTTP (OpenID
discovery's jwks_uri, or {issuer}/.well-known/jwks.json when there is no discovery document),
caches it, refreshes it when a token names an unknown kid (at most once per window, so made-up
kids do not become fetches) and after --jwks-ttl. The issuer is a tiny local JWKS server."""
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402
from gateway_e2e_base import b64u, hs256, request  # noqa: E402
from gateway_fakes import JsonDocuments  # noqa: E402

import boto3  # noqa: E402

SECRETS = {"k1": b"k1-secret-0123456789abcdef012345", "k2": b"k2-secret-0123456789abcdef012345",
           "k3": b"k3-secret-0123456789abcdef012345"}


class Issuer(JsonDocuments):
    """Serves /.well-known/openid-configuration -> /keys, and /nodisc/.well-known/jwks.json."""

    def __init__(self):
        self.kids = ["k1"]
        super().__init__(self.serve)

    def serve(self, path):
        if path == "/.well-known/openid-configuration":
            return {"issuer": self.url, "jwks_uri": self.url + "/keys"}
        if path in ("/keys", "/nodisc/.well-known/jwks.json"):
            return {"keys": [{"kty": "oct", "kid": k, "k": b64u(SECRETS[k])} for k in list(self.kids)]}
        return None


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
        cls.issuer.close()
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
