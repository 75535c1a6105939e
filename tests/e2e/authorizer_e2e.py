"""What the gateway's authorizer tests share (test_gateway_authorizers.py for HTTP APIs,
test_gateway_rest_auth.py for REST APIs): the real `cdnlab lambda` running the tests' Node.js
functions, a `cdnlab gateway` in front of it that accepts one IAM key, a boto3 client of the
management API, and SigV4 signing of execute-api requests as botocore signs them."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from gateway_e2e_base import gateway_client  # noqa: E402
from harness import Proc  # noqa: E402
from lambda_util import ROLE, client, make_zip, start_lambda  # noqa: E402

from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402


class AuthorizerStack:
    """Lambda service with `functions` (index.js exporting each name), a gateway with
    --lambda-endpoint at it and --iam-key KEY:SECRET, and a boto3 `service` client."""

    def __init__(self, functions_js, names, iam_key, iam_secret, service):
        self.tmp = tempfile.TemporaryDirectory()
        self.lam = start_lambda()
        self.lc = client(self.lam)
        code = make_zip({"index.js": functions_js})
        for name in names:
            self.lc.create_function(FunctionName=name, Runtime="nodejs20.x", Role=ROLE, Handler=f"index.{name}",
                                    Code={"ZipFile": code}, Timeout=10)
        self.gw = Proc(["gateway", "--listen", "127.0.0.1:0", "--data", os.path.join(self.tmp.name, "gw"),
                        "--lambda-endpoint", self.lam.url(), "--iam-key", f"{iam_key}:{iam_secret}"])
        self.ep = ["--endpoint-url", self.gw.url()]
        self.boto = gateway_client(service, self.gw.url())

    def close(self):
        self.boto.close()
        self.lc.close()
        self.gw.stop()
        self.lam.stop()
        self.tmp.cleanup()


def sigv4_headers(method, url, key, secret, body=b"", headers=None):
    """The headers of `method url` signed for execute-api in us-east-1 (Authorization, X-Amz-Date, ...)."""
    req = AWSRequest(method=method, url=url, data=body, headers=headers or {})
    SigV4Auth(Credentials(key, secret), "execute-api", "us-east-1").add_auth(req)
    return dict(req.headers.items())
