"""Helpers for the Lambda e2e tests: build function zips in memory, start `cdnlab lambda`, make
boto3 clients and run aws-cli against it."""
import base64
import io
import json
import os
import subprocess
import unittest
import zipfile

from harness import Proc

AWS_CLI = "/usr/bin/aws"
ROLE = "arn:aws:iam::000000000000:role/lambda"
CLIENT_ENV = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDTEST", AWS_SECRET_ACCESS_KEY="secret",
                  AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")


def make_zip(files):
    """files: {name: text or (text, mode)} -> zip bytes (mode sets unix permissions)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            mode = 0o644
            if isinstance(content, tuple):
                content, mode = content
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3
            z.writestr(info, content)
    return buf.getvalue()


def start_lambda(*extra, data=None):
    args = ["lambda", "--listen", "127.0.0.1:0"]
    args += ["--data", data] if data else ["--in-memory"]
    return Proc(args + list(extra))


def client(proc, retries=1):
    import boto3
    from botocore.config import Config
    cfg = Config(retries={"max_attempts": retries, "mode": "standard"}, connect_timeout=5, read_timeout=60)
    return boto3.session.Session().client(
        "lambda", endpoint_url=proc.url(), region_name="us-east-1",
        aws_access_key_id="AKIDTEST", aws_secret_access_key="secret", config=cfg)


def client_error(fn):
    """Calls fn, a boto3 call that must fail: (error code, HTTP status, message) of its ClientError."""
    from botocore.exceptions import ClientError
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Message"]
    raise AssertionError("expected a ClientError")


def aws(proc, *args, check=True):
    """Runs aws-cli against the service; returns (exit code, parsed JSON or text, stderr)."""
    cmd = [AWS_CLI, "lambda"] + list(args) + ["--endpoint-url", proc.url(), "--output", "json"]
    r = subprocess.run(cmd, capture_output=True, text=True, env=CLIENT_ENV, timeout=60)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr}")
    out = r.stdout
    try:
        out = json.loads(out) if out.strip() else None
    except ValueError:
        pass
    return r.returncode, out, r.stderr


def tail_of(resp):
    return base64.b64decode(resp["LogResult"]).decode()


def payload_of(resp):
    return json.loads(resp["Payload"].read())


class LambdaServiceCase(unittest.TestCase):
    """A test class sharing one `cdnlab lambda --in-memory` (cls.proc) and a boto3 client of it
    (cls.lam); a subclass that deploys functions up front calls super().setUpClass() first."""

    @classmethod
    def setUpClass(cls):
        cls.proc = start_lambda()
        cls.lam = client(cls.proc)

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.proc.stop()
