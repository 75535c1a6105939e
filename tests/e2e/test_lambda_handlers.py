"""Handler strings as AWS's runtimes resolve them: a Python module in a package (`pkg.mod.handler`
and `pkg/mod.handler`, with or without __init__.py), a Node.js file in a folder
(`src/app.handler`, ES module and CommonJS), a nested Node.js export (`index.api.handler`), and
a callback-style Node.js handler; a malformed handler string is Runtime.MalformedHandlerName."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import LambdaServiceCase, make_zip, payload_of, ROLE  # noqa: E402


class LambdaHandlers(LambdaServiceCase):
    def run_fn(self, name, runtime, handler, files, event=None):
        self.lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
                                 Code={"ZipFile": make_zip(files)})
        r = self.lam.invoke(FunctionName=name, Payload=json.dumps(event or {"n": 1}).encode())
        return r.get("FunctionError"), payload_of(r)

    def test_python_module_in_a_package(self):
        code = "def handler(event, context):\n    return {'where': __name__, 'n': event['n']}\n"
        self.assertEqual(self.run_fn("py-dotted", "python3.11", "pkg.mod.handler",
                                     {"pkg/__init__.py": "", "pkg/mod.py": code}), (None, {"where": "pkg.mod", "n": 1}))
        self.assertEqual(self.run_fn("py-slashed", "python3.11", "pkg/mod.handler", {"pkg/mod.py": code}),
                         (None, {"where": "pkg.mod", "n": 1}))

    def test_node_file_in_a_folder_and_nested_export(self):
        self.assertEqual(self.run_fn("node-esm-dir", "nodejs20.x", "src/app.handler",
                                     {"src/app.mjs": "export const handler = async (e) => ({ esm: e.n });\n"}),
                         (None, {"esm": 1}))
        self.assertEqual(self.run_fn("node-cjs-dir", "nodejs20.x", "src/app.handler",
                                     {"src/app.js": "exports.handler = async (e) => ({ cjs: e.n });\n"}),
                         (None, {"cjs": 1}))
        self.assertEqual(self.run_fn("node-nested", "nodejs20.x", "index.api.handler",
                                     {"index.js": "exports.api = { handler: async (e) => ({ nested: e.n }) };\n"}),
                         (None, {"nested": 1}))
        self.assertEqual(self.run_fn("node-callback", "nodejs20.x", "index.handler",
                                     {"index.js": "exports.handler = (e, ctx, cb) => cb(null, { cb: e.n, fn: ctx.functionName });\n"}),
                         (None, {"cb": 1, "fn": "node-callback"}))

    def test_malformed_handler_string(self):
        error, out = self.run_fn("node-malformed", "nodejs20.x", "index", {"index.js": "exports.handler = async () => 1;\n"})
        self.assertEqual((error, out["errorType"]), ("Unhandled", "Runtime.MalformedHandlerName"))
        error, out = self.run_fn("py-malformed", "python3.11", "app", {"app.py": "def handler(e, c):\n    return 1\n"})
        self.assertEqual((error, out["errorType"]), ("Unhandled", "Runtime.MalformedHandlerName"))


if __name__ == "__main__":
    unittest.main()
