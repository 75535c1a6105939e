# cdnlab's Python runtime: the loop one execution environment runs. It speaks the Lambda Runtime
# API (AWS_LAMBDA_RUNTIME_API) as AWS documents it, with the standard library only: import the
# handler named by _HANDLER ("module.function", module path may be dotted) from LAMBDA_TASK_ROOT,
# then forever GET /invocation/next, call handler(event, context), POST /response or /error.
# Init failures go to /runtime/init/error and the process exits. Embedded in the cdnlab binary.
import http.client
import importlib
import json
import os
import sys
import time
import traceback

# The task root is read-only on AWS, so no __pycache__ is written there; here it may be the
# user's own directory (hot reload), where a .pyc written by one environment could outlive an
# edit made within the same second and be run again by the next one.
sys.dont_write_bytecode = True

API = os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
PREFIX = "/2018-06-01/runtime"


class Api:
    def __init__(self, hostport):
        host, _, port = hostport.rpartition(":")
        self.host, self.port = host, int(port)
        self.conn = None

    def call(self, method, path, body=None, headers=None):
        # One keep-alive connection; reconnect once if the service closed it.
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port)
            try:
                h = dict(headers or {})
                if body is not None:
                    h.setdefault("Content-Type", "application/json")
                self.conn.request(method, PREFIX + path, body=body, headers=h)
                r = self.conn.getresponse()
                return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise


class RuntimeError_(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def error_payload(exc, request_id=None, tb=None):
    error_type = getattr(exc, "error_type", None) or type(exc).__name__
    # As AWS's Python runtime writes it: requestId is there always, empty for an init error.
    payload = {"errorMessage": str(exc), "errorType": error_type, "requestId": request_id or ""}
    payload["stackTrace"] = traceback.format_list(traceback.extract_tb(tb)) if tb else []
    return payload


class Context:
    def __init__(self, headers):
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0") or 0)
        self.identity = _cognito_identity(_parse(headers.get("lambda-runtime-cognito-identity")))
        self.client_context = _client_context(_parse(headers.get("lambda-runtime-client-context")))

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


class CognitoIdentity:
    """context.identity as AWS's Python runtime shapes it: an object, both fields None when the
    invoker sent no identity."""
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __init__(self, identity_id=None, pool_id=None):
        self.cognito_identity_id = identity_id
        self.cognito_identity_pool_id = pool_id


class Client:
    """context.client_context.client: the mobile client's fields, None where not sent."""
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext:
    """context.client_context as AWS's Python runtime gives it: attributes `client`, `custom` and
    `env` (not a dict), so `context.client_context.custom["k"]` works as it does on AWS."""
    __slots__ = ["custom", "env", "client"]


def _object_from(cls, fields):
    obj = cls()
    for name in cls.__slots__:
        setattr(obj, name, fields.get(name))
    return obj


def _cognito_identity(value):
    if not isinstance(value, dict):
        return CognitoIdentity()
    return CognitoIdentity(value.get("cognitoIdentityId"), value.get("cognitoIdentityPoolId"))


def _client_context(value):
    # The Invoke API accepts only a JSON object here; anything else reaches no function.
    if not isinstance(value, dict):
        return None
    cc = _object_from(ClientContext, value)
    if isinstance(cc.client, dict):
        cc.client = _object_from(Client, cc.client)
    return cc


def _parse(value):
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


class _BotocoreEndpointHook:
    """AWS_ENDPOINT_URL_<SERVICE> (how the service points SDKs at the cdnlab store) is honoured by
    botocore >= 1.31 only; Debian 12 ships 1.29. When an older botocore.session is imported, its
    create_client gets the same default, so a function written for AWS still runs unchanged."""

    def find_spec(self, name, path=None, target=None):
        if name != "botocore.session":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                break
        else:
            return None
        original = spec.loader.exec_module

        def exec_module(module):
            original(module)
            _patch_botocore_session(module)

        spec.loader.exec_module = exec_module
        return spec


def _patch_botocore_session(session_module):
    try:
        import botocore
        major, minor = (int(x) for x in botocore.__version__.split(".")[:2])
    except (ImportError, ValueError):
        return
    if (major, minor) >= (1, 31):
        return
    original = session_module.Session.create_client

    def create_client(self, service_name, *args, **kwargs):
        if len(args) < 5 and kwargs.get("endpoint_url") is None:
            env = "AWS_ENDPOINT_URL_" + service_name.upper().replace("-", "_").replace(" ", "_")
            url = os.environ.get(env) or os.environ.get("AWS_ENDPOINT_URL")
            if url:
                kwargs["endpoint_url"] = url
        return original(self, service_name, *args, **kwargs)

    session_module.Session.create_client = create_client


def load_handler():
    root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    spec = os.environ.get("_HANDLER", "")
    module_name, _, function_name = spec.rpartition(".")
    if not module_name or not function_name:
        raise RuntimeError_("Runtime.MalformedHandlerName", f"Bad handler '{spec}': not enough values to unpack")
    sys.path.insert(0, root)
    module_name = module_name.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise RuntimeError_("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {e}")
    except SyntaxError as e:
        raise RuntimeError_("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {e}")
    fn = getattr(module, function_name, None)
    if fn is None:
        raise RuntimeError_("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return fn


def take_assignment(api):
    """A process the service started ahead of time (to spare the next cold start the interpreter's
    own start) first learns which function it is: the whole environment AWS would have started it
    with, and the function's directory."""
    try:
        status, _, body = api.call("GET", "/cdnlab/assignment")
    except OSError:
        sys.exit(0)  # the service stopped before using it
    if status != 200:
        sys.exit(1)
    assignment = json.loads(body)
    os.environ.clear()
    os.environ.update(assignment["env"])
    os.chdir(assignment["cwd"])


def main():
    sys.meta_path.insert(0, _BotocoreEndpointHook())
    api = Api(API)
    if os.environ.get("_CDNLAB_SPARE") == "1":
        take_assignment(api)
    try:
        handler = load_handler()
    except Exception as e:  # noqa: BLE001 - every init failure is reported to the Runtime API
        payload = error_payload(e, tb=e.__traceback__ if not isinstance(e, RuntimeError_) else None)
        sys.stdout.write(f"[ERROR] {payload['errorType']}: {payload['errorMessage']}\n")
        try:
            api.call("POST", "/init/error", json.dumps(payload),
                     {"Lambda-Runtime-Function-Error-Type": payload["errorType"]})
        except OSError:
            pass
        sys.exit(1)
    while True:
        try:
            status, headers, body = api.call("GET", "/invocation/next")
        except OSError:
            sys.exit(0)  # the Runtime API is gone: the environment is being shut down
        if status != 200:
            sys.exit(1)
        request_id = headers.get("lambda-runtime-aws-request-id", "")
        if headers.get("lambda-runtime-trace-id"):
            os.environ["_X_AMZN_TRACE_ID"] = headers["lambda-runtime-trace-id"]
        try:
            event = json.loads(body) if body else None
            result = handler(event, Context(headers))
        except Exception as e:  # noqa: BLE001 - a handler error is the invocation's error
            payload = error_payload(e, request_id, e.__traceback__.tb_next if e.__traceback__ else None)
            sys.stdout.write(f"[ERROR] {payload['errorType']}: {payload['errorMessage']}\n"
                             + "".join(payload["stackTrace"]))
            api.call("POST", f"/invocation/{request_id}/error", json.dumps(payload),
                     {"Lambda-Runtime-Function-Error-Type": payload["errorType"]})
            continue
        try:
            out = json.dumps(result)
        except (TypeError, ValueError) as e:
            payload = {"errorMessage": f"Unable to marshal response: {e}", "errorType": "Runtime.MarshalError",
                       "requestId": request_id, "stackTrace": []}
            api.call("POST", f"/invocation/{request_id}/error", json.dumps(payload),
                     {"Lambda-Runtime-Function-Error-Type": payload["errorType"]})
            continue
        api.call("POST", f"/invocation/{request_id}/response", out)


if __name__ == "__main__":
    main()
