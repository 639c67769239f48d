"""Server-Sent Events: a service whose inference returns a generator streams text/event-stream."""
import http.client
import json
import socket
import time
import unittest

from harness import Worker, make_package, remove_package

STREAM_SERVICE = '''
import time
from model_service.model_service import SingleNodeService

CLOSED = []


class Streamer(SingleNodeService):
    def _inference(self, data):
        if data.get("op") == "headers":
            return {"run_config": self.request_headers.get("x-run-config")}
        if data.get("op") == "closed":
            return {"closed": list(CLOSED)}
        return self._tokens(data)

    def _tokens(self, data):
        try:
            for i, word in enumerate(data["words"]):
                if word == "boom":
                    raise RuntimeError("boom")
                if i:
                    time.sleep(float(data.get("delay", 0)))
                if isinstance(word, str) and word.startswith("raw:"):
                    yield ("event: raw\\ndata: %s\\n\\n" % word[4:]).encode()
                else:
                    yield {"token": word} if word != "text" else "two\\nlines"
        except GeneratorExit:
            CLOSED.append(data.get("id"))
            raise
'''


class StreamingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model_dir = make_package({"customize_service.py": STREAM_SERVICE})
        cls.worker = Worker(cls.model_dir, model_type="Custom").wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.worker.stop()
        remove_package(cls.model_dir)

    def post(self, body):
        conn = http.client.HTTPConnection("127.0.0.1", self.worker.port, timeout=10)
        conn.request("POST", "/", json.dumps(body), {"Content-Type": "application/json", "X-Run-Config": "B"})
        return conn, conn.getresponse()

    def test_generator_streams_events_as_they_are_yielded(self):
        conn, response = self.post({"words": ["hello", "text", "raw:x", "world"], "delay": 0.3})
        self.assertEqual(200, response.status)
        self.assertEqual("text/event-stream; charset=UTF-8", response.getheader("Content-Type"))
        # Read the chunked body raw, line by line, noting when the first event arrives.
        started = time.monotonic()
        lines, first_at = [], None
        while True:
            line = response.fp.readline()
            if first_at is None and line.startswith(b"data:"):
                first_at = time.monotonic() - started
            lines.append(line)
            if line == b"0\r\n" or not line:
                break
        total = time.monotonic() - started
        rest = b"".join(lines).decode()
        self.assertIn('data: {"token": "hello"}', rest)
        self.assertLess(first_at, total - 0.5, "the first event must arrive before the stream ends")
        self.assertIn("data: two\ndata: lines\n\n", rest)
        self.assertIn("event: raw\ndata: x\n\n", rest)
        self.assertIn('data: {"token": "world"}\n\n', rest)
        conn.close()

    def test_error_midway_ends_the_stream_with_an_error_event(self):
        conn, response = self.post({"words": ["a", "boom", "c"]})
        body = response.read().decode()
        self.assertIn('data: {"token": "a"}', body)
        self.assertIn("event: error\ndata: ", body)
        self.assertNotIn('"c"', body)
        conn.close()

    def test_client_leaving_closes_the_generator(self):
        sock = socket.create_connection(("127.0.0.1", self.worker.port))
        body = json.dumps({"words": ["w%d" % i for i in range(50)], "delay": 0.1, "id": "gone"})
        sock.sendall(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                      % (len(body), body)).encode())
        self.assertIn(b"text/event-stream", sock.recv(4096))
        sock.close()
        deadline = time.monotonic() + 10
        closed = []
        while time.monotonic() < deadline and "gone" not in closed:
            time.sleep(0.1)
            conn, response = self.post({"op": "closed"})
            closed = json.loads(response.read())["closed"]
            conn.close()
        self.assertIn("gone", closed)

    def test_request_headers_are_visible_to_the_service(self):
        conn, response = self.post({"op": "headers"})
        self.assertEqual({"run_config": "B"}, json.loads(response.read()))
        conn.close()


if __name__ == "__main__":
    unittest.main()
