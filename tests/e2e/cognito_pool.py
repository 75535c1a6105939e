"""A stand-in for Cognito user pools in the gateway's end-to-end tests: RSA keys made with the
openssl command, ID and access tokens signed RS256 as a user pool signs them (iss
https://cognito-idp.REGION.amazonaws.com/POOL_ID, kid, token_use), and a local HTTP server that
serves each pool's JWKS at /<POOL_ID>/.well-known/jwks.json (the gateway's --cognito-idp-endpoint)
and counts the fetches."""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from gateway_fakes import JsonDocuments  # noqa: E402

OPENSSL = "/usr/bin/openssl"
REGION, ACCOUNT = "us-east-1", "123456789012"


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


class RsaKey:
    def __init__(self, kid, workdir):
        self.kid = kid
        self.pem = os.path.join(workdir, f"{kid}.pem")
        subprocess.run([OPENSSL, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", self.pem],
                       check=True, capture_output=True, timeout=60)
        out = subprocess.run([OPENSSL, "rsa", "-in", self.pem, "-noout", "-modulus"], check=True, capture_output=True,
                             text=True, timeout=30).stdout
        modulus = bytes.fromhex(out.strip().split("=", 1)[1])
        self.jwk = {"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid, "e": b64u((65537).to_bytes(3, "big")),
                    "n": b64u(modulus)}

    def sign(self, data):
        return subprocess.run([OPENSSL, "dgst", "-sha256", "-sign", self.pem], input=data, check=True,
                              capture_output=True, timeout=30).stdout


class UserPool:
    def __init__(self, pool_id, workdir):
        self.id = pool_id
        self.arn = f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{pool_id}"
        self.issuer = f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}"
        self.workdir = workdir
        self.keys = [RsaKey(pool_id + "-k1", workdir)]

    def rotate(self):
        """A new signing key, published next to the old one (as Cognito rotates)."""
        self.keys.append(RsaKey(f"{self.id}-k{len(self.keys) + 1}", self.workdir))

    def token(self, token_use="id", scope=None, lifetime=3600, key=None, **claims):
        key = key or self.keys[-1]
        now = int(time.time())
        body = {"sub": "7d8ca528-4931-4254-9273-ea5ee853f271", "iss": self.issuer, "token_use": token_use,
                "auth_time": now - 60, "iat": now - 60, "exp": now + lifetime, "jti": "jti-1"}
        if token_use == "id":
            body.update({"aud": "app-client-1", "cognito:username": "alice", "email": "alice@example.com",
                         "email_verified": True, "cognito:groups": ["admin", "users"]})
        else:
            body.update({"client_id": "app-client-1", "username": "alice", "scope": scope or "openid"})
        body.update(claims)
        head = b64u(json.dumps({"kid": key.kid, "alg": "RS256"}).encode())
        payload = b64u(json.dumps(body).encode())
        return f"{head}.{payload}.{b64u(key.sign(f'{head}.{payload}'.encode()))}"


class CognitoIdp(JsonDocuments):
    """GET /<POOL_ID>/.well-known/jwks.json for every pool; anything else is 404."""

    def __init__(self, *pool_ids):
        self.tmp = tempfile.TemporaryDirectory()
        self.pools = {p: UserPool(p, self.tmp.name) for p in pool_ids}
        super().__init__(self.serve)

    def serve(self, path):
        parts = path.split("/")
        pool = self.pools.get(parts[1]) if len(parts) == 4 and parts[2:] == [".well-known", "jwks.json"] else None
        return {"keys": [k.jwk for k in list(pool.keys)]} if pool else None

    def jwks_fetches(self, pool_id):
        return self.count(f"/{pool_id}/.well-known/jwks.json")

    def close(self):
        super().close()
        self.tmp.cleanup()
