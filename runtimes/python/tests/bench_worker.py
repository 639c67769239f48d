"""Throughput of the worker on loopback with a trivial service (not part of the unit tests).

    cd runtimes/python && /usr/bin/python3 tests/bench_worker.py [seconds]

Measures GET /health and POST / (JSON echo through SingleNodeService.inference) with wrk when it
is installed, and always with a keep-alive Python client (one connection per thread).
"""
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Worker, make_package, remove_package  # noqa: E402

ECHO = '''
from model_service.model_service import SingleNodeService

class Echo(SingleNodeService):
    def _inference(self, data):
        return data
'''


def python_client(port, method, path, body, seconds, connections):
    counts = [0] * connections
    stop_at = time.monotonic() + seconds

    def run(i):
        conn = http.client.HTTPConnection("127.0.0.1", port)
        headers = {"Content-Type": "application/json"} if body else {}
        while time.monotonic() < stop_at:
            conn.request(method, path, body=body, headers=headers)
            conn.getresponse().read()
            counts[i] += 1
        conn.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds


def wrk(port, path, seconds, lua=None):
    cmd = ["wrk", "-t2", "-c8", "-d%ds" % seconds]
    if lua:
        cmd += ["-s", lua]
    out = subprocess.run(cmd + ["http://127.0.0.1:%d%s" % (port, path)],
                         capture_output=True, text=True).stdout
    return next((line.split()[1] for line in out.splitlines()
                 if line.startswith("Requests/sec")), "?")


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    model_dir = make_package({"customize_service.py": ECHO})
    worker = Worker(model_dir, "Custom").wait_ready()
    tmp = tempfile.mkdtemp()
    try:
        if shutil.which("wrk"):
            lua = os.path.join(tmp, "post.lua")
            with open(lua, "w") as f:
                f.write('wrk.method = "POST"\nwrk.body = \'{"a": 1}\'\n'
                        'wrk.headers["Content-Type"] = "application/json"\n')
            print("wrk -t2 -c8  GET /health : %s req/s" % wrk(worker.port, "/health", seconds))
            print("wrk -t2 -c8  POST / echo : %s req/s" % wrk(worker.port, "/", seconds, lua))
        for connections in (1, 4):
            rate = python_client(worker.port, "POST", "/", b'{"a": 1}', seconds, connections)
            print("python client, %d keep-alive connection(s), POST / echo: %.0f req/s"
                  % (connections, rate))
    finally:
        worker.stop()
        remove_package(model_dir)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
