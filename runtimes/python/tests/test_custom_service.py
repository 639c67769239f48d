"""The worker against a plain SingleNodeService package: request shapes, errors, HTTP behaviour."""
import json
import os
import socket
import threading
import time
import unittest

from harness import Worker, make_package, remove_package

# One package exercising many behaviours; the JSON field "op" picks what the service does.
ECHO_SERVICE = '''
import io
import os
import sys
import threading
import time
import collections

import log                                    # top-level shim
from metric.metrics_manager import MetricsManager
from model_service.model_service import SingleNodeService
import helper                                 # sibling module: model folder on sys.path
from model.pkg.util import double             # package-style: parent folder on sys.path

logger = log.getLogger(__name__)
with open("relative.txt") as f:               # cwd is the model folder at import time
    RELATIVE = f.read().strip()

_active = 0
_active_lock = threading.Lock()


class EchoService(SingleNodeService):
    # No __init__: the host must fill in model_name/model_path itself.

    def _preprocess(self, data):
        print("HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nbad")   # must not reach the socket
        sys.stdout.write("user stdout line\\n")
        return data

    def _inference(self, data):
        global _active
        with _active_lock:
            _active += 1
            concurrent = _active
        try:
            return self._run(data, concurrent)
        finally:
            with _active_lock:
                _active -= 1

    def _run(self, data, concurrent):
        op = data.get("op") if isinstance(data, dict) else None
        if op == "keyerror":
            return {}["missing"]
        if op == "typeerror":
            return len(5)
        if op == "runtime":
            raise RuntimeError("boom")
        if op == "exit":
            sys.exit(1)
        if op == "unserialisable":
            return {"value": object()}
        if op == "string":
            return "plain text"
        if op == "sleep":
            time.sleep(float(data["seconds"]))
            return {"slept": data["seconds"], "concurrent": concurrent}
        if op == "info":
            return {"model_name": self.model_name, "model_path": self.model_path,
                    "ctx": self.ctx, "cwd": os.getcwd(), "file": __file__,
                    "helper": helper.VALUE, "double": double(21), "relative": RELATIVE,
                    "metrics": dict(MetricsManager.metrics)}
        # Default: describe what arrived, uploads included.
        out = {}
        for key, value in data.items():
            if isinstance(value, dict) and value and all(isinstance(v, io.BytesIO)
                                                         for v in value.values()):
                out[key] = {"type": type(value).__name__,
                            "files": [[name, f.tell(), f.getvalue().decode("latin-1")]
                                      for name, f in value.items()]}
            else:
                out[key] = value
        return out
'''


class CustomServiceTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.model_dir = make_package({
            "config.json": '{"model_type": "Custom"}',
            "customize_service.py": ECHO_SERVICE,
            "helper.py": "VALUE = 'helper'\n",
            "relative.txt": "read via cwd\n",
            "pkg/__init__.py": "",
            "pkg/util.py": "def double(x):\n    return 2 * x\n",
        })
        cls.worker = Worker(cls.model_dir, "Custom").wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.worker.stop()
        remove_package(cls.model_dir)

    def test_health(self):
        status, headers, body = self.worker.request("GET", "/health")
        self.assertEqual(200, status)
        self.assertEqual({"status": "OK"}, json.loads(body))
        self.assertEqual(str(len(body)), headers["Content-Length"])

    def test_json_is_passed_parsed_and_returned_without_wrapper(self):
        status, _, body = self.worker.post_json("/", {"text": "中文", "n": [1, 2]})
        self.assertEqual(200, status)
        self.assertEqual({"text": "中文", "n": [1, 2]}, json.loads(body))
        self.assertIn("中文".encode("utf-8"), body)  # ensure_ascii=False

    def test_json_sent_as_form_by_curl_is_still_json(self):
        status, _, body = self.worker.request(
            "POST", "/", b'{"images": "abc"}',
            {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(200, status)
        self.assertEqual({"images": "abc"}, json.loads(body))

    def test_query_parameters_are_merged_as_strings(self):
        status, _, body = self.worker.post_json("/any/api/path?limit=5&flag=", {"a": 1, "limit": 9})
        self.assertEqual(200, status)
        self.assertEqual({"a": 1, "limit": 9, "flag": ""}, json.loads(body))

    def test_get_with_query_only(self):
        status, _, body = self.worker.request("GET", "/predict?x=1&y=two")
        self.assertEqual(200, status)
        self.assertEqual({"x": "1", "y": "two"}, json.loads(body))

    def test_multipart_files_are_ordered_dicts_of_bytesio_at_position_zero(self):
        status, _, body = self.worker.post_multipart(
            "/?q=7", [("name", "bob"), ("city", "北京")],
            [("images", "a.jpg", b"AAA\r\n--not-a-boundary"), ("images", "b.jpg", b"\x00\xffB"),
             ("images", "a.jpg", b"second a"), ("other", "c.bin", b"")])
        self.assertEqual(200, status, body)
        result = json.loads(body)
        self.assertEqual("bob", result["name"])
        self.assertEqual("北京", result["city"])
        self.assertEqual("7", result["q"])
        self.assertEqual("OrderedDict", result["images"]["type"])
        # Duplicate filenames collapse (the later one wins); order of first appearance is kept.
        self.assertEqual([["a.jpg", 0, "second a"], ["b.jpg", 0, "\x00\xffB"]],
                         result["images"]["files"])
        self.assertEqual([["c.bin", 0, ""]], result["other"]["files"])

    def test_no_json_and_no_form_is_mr0101(self):
        for body, ctype in ((b"", "application/json"), (b"not json", "text/plain"),
                            (b"{broken", "application/json")):
            status, _, payload = self.worker.request("POST", "/", body, {"Content-Type": ctype})
            self.assertEqual(400, status, body)
            self.assertEqual("MR.0101", json.loads(payload)["erno"])

    def test_keyerror_and_typeerror_are_400_with_mr0105(self):
        for op in ("keyerror", "typeerror"):
            status, _, body = self.worker.post_json("/", {"op": op})
            self.assertEqual(400, status, op)
            self.assertEqual({"erno": "MR.0105", "msg": "Recognition failed", "words_result": {}},
                             json.loads(body))

    def test_other_exceptions_are_500_and_the_worker_keeps_serving(self):
        for op in ("runtime", "exit"):
            status, _, body = self.worker.post_json("/", {"op": op})
            self.assertEqual(500, status, op)
            self.assertEqual({"erno": "MR.0105", "msg": "Recognition failed", "words_result": {}},
                             json.loads(body))
        self.assertIn("RuntimeError: boom", self.worker.stderr())  # traceback in the log
        status, _, body = self.worker.post_json("/", {"after": "error"})
        self.assertEqual((200, {"after": "error"}), (status, json.loads(body)))

    def test_unserialisable_result_is_500(self):
        status, _, body = self.worker.post_json("/", {"op": "unserialisable"})
        self.assertEqual(500, status)
        self.assertEqual("MR.0105", json.loads(body)["erno"])

    def test_string_result_is_json_encoded(self):
        status, _, body = self.worker.post_json("/", {"op": "string"})
        self.assertEqual((200, b'"plain text"'), (status, body))

    def test_user_prints_go_to_the_log_not_the_response(self):
        status, headers, body = self.worker.post_json("/", {"p": 1})
        self.assertEqual((200, {"p": 1}), (status, json.loads(body)))
        self.assertEqual("application/json", headers["Content-Type"])
        deadline = time.monotonic() + 5
        while "user stdout line" not in self.worker.stdout() and time.monotonic() < deadline:
            time.sleep(0.05)  # line-buffered: must show up promptly, not at exit
        self.assertIn("user stdout line", self.worker.stdout())

    def test_service_attributes_paths_and_shims(self):
        status, _, body = self.worker.post_json("/", {"op": "info"})
        self.assertEqual(200, status, body)
        info = json.loads(body)
        self.assertEqual("serve", info["model_name"])
        self.assertEqual(self.model_dir, info["model_path"])  # Custom engine: the directory
        self.assertIsNone(info["ctx"])
        self.assertEqual(os.path.realpath(self.model_dir), os.path.realpath(info["cwd"]))
        self.assertEqual(os.path.join(self.model_dir, "customize_service.py"), info["file"])
        self.assertEqual(("helper", 42, "read via cwd", {}),
                         (info["helper"], info["double"], info["relative"], info["metrics"]))

    def test_keep_alive_reuses_one_connection(self):
        conn = self.worker.connect()
        try:
            self.worker.request("GET", "/health", conn=conn)
            first_socket = conn.sock
            for i in range(20):
                status, headers, body = self.worker.request(
                    "POST", "/", json.dumps({"i": i}).encode(),
                    {"Content-Type": "application/json"}, conn=conn)
                self.assertEqual((200, {"i": i}), (status, json.loads(body)))
                self.assertEqual("keep-alive", headers["Connection"])
            self.assertIs(first_socket, conn.sock)
        finally:
            conn.close()

    def test_sequential_keep_alive_requests_do_not_stall(self):
        # A response written in pieces without TCP_NODELAY meets the client's delayed ACK:
        # ~40 ms per request. 100 requests must take well under that.
        conn = self.worker.connect()
        try:
            self.worker.request("GET", "/health", conn=conn)
            started = time.monotonic()
            for _ in range(100):
                status, _, _ = self.worker.request("POST", "/", b'{"a": 1}',
                                                   {"Content-Type": "application/json"}, conn=conn)
                self.assertEqual(200, status)
            elapsed = time.monotonic() - started
        finally:
            conn.close()
        self.assertLess(elapsed, 1.0, "100 keep-alive requests took %.2f s" % elapsed)

    def test_chunked_and_expect_continue_bodies(self):
        with socket.create_connection(("127.0.0.1", self.worker.port), timeout=10) as s:
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                      b"5\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\n")
            response = _read_all(s)
        self.assertTrue(response.startswith(b"HTTP/1.1 200 OK\r\n"), response)
        self.assertTrue(response.endswith(b'{"a": 1}'), response)

        with socket.create_connection(("127.0.0.1", self.worker.port), timeout=10) as s:
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 8\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
            self.assertEqual(b"HTTP/1.1 100 Continue\r\n\r\n", s.recv(100))
            s.sendall(b'{"b": 2}')
            response = _read_all(s)
        self.assertTrue(response.startswith(b"HTTP/1.1 200 OK\r\n"), response)
        self.assertTrue(response.endswith(b'{"b": 2}'), response)

    def test_health_answers_during_a_long_inference_and_requests_are_serialised(self):
        results = []

        def slow():
            results.append(self.worker.post_json("/", {"op": "sleep", "seconds": "1.0"}))

        threads = [threading.Thread(target=slow) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        started = time.monotonic()
        status, _, _ = self.worker.request("GET", "/health")
        self.assertEqual(200, status)
        self.assertLess(time.monotonic() - started, 0.5)
        for t in threads:
            t.join(10)
        self.assertEqual([200, 200], [r[0] for r in results])
        # Both saw themselves as the only request inside the service.
        self.assertEqual([1, 1], [json.loads(r[2])["concurrent"] for r in results])

    def test_unknown_method_is_405(self):
        status, _, _ = self.worker.request("DELETE", "/")
        self.assertEqual(405, status)


def _read_all(sock):
    chunks = []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


if __name__ == "__main__":
    unittest.main()
