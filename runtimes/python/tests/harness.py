"""Helpers shared by the worker tests: fixture packages, a worker subprocess, an HTTP client."""
import http.client
import json
import os
import shutil
import socket
import subprocess
import tempfile
import textwrap
import time
import uuid

RUNTIME_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKER = os.path.join(RUNTIME_DIR, "infera_worker.py")
PYTHON = "/usr/bin/python3"  # Debian's interpreter, the one with the engines installed


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_package(files):
    """Write {relative path: text or bytes} under <tmp>/model and return that folder.

    The folder is called `model`, as in a real package, so `from model.x import y` works.
    """
    root = tempfile.mkdtemp(prefix="infera-worker-test-")
    model_dir = os.path.join(root, "model")
    os.makedirs(model_dir)
    for name, content in files.items():
        path = os.path.join(model_dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, str):
            with open(path, "w", encoding="utf-8") as f:
                f.write(textwrap.dedent(content))
        else:
            with open(path, "wb") as f:
                f.write(content)
    return model_dir


def remove_package(model_dir):
    shutil.rmtree(os.path.dirname(model_dir), ignore_errors=True)


class Worker(object):
    """infera_worker.py as a subprocess, stdout and stderr captured to files."""

    def __init__(self, model_dir, model_type=None, env=None):
        self.model_dir = model_dir
        self.port = free_port()
        self._log_dir = tempfile.mkdtemp(prefix="infera-worker-log-")
        self.stdout_path = os.path.join(self._log_dir, "stdout")
        self.stderr_path = os.path.join(self._log_dir, "stderr")
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("INFERA_")}
        full_env.update({"INFERA_PORT": str(self.port), "MODEL_PATH": model_dir,
                         "INFERA_INSTANCE_ID": "test-" + uuid.uuid4().hex[:8]})
        if model_type:
            full_env["INFERA_MODEL_TYPE"] = model_type
        full_env.update(env or {})
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen([PYTHON, WORKER], env=full_env, stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL, cwd="/")

    def wait_ready(self, timeout=30.0):
        """Poll /health until 200; raises with the worker's stderr if it dies first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("worker exited with %s:\n%s" % (self.proc.returncode,
                                                                     self.stderr()))
            try:
                status, _, _ = self.request("GET", "/health", timeout=1.0)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("worker not ready after %.0f s:\n%s" % (timeout, self.stderr()))

    def connect(self, timeout=20.0):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=20.0, conn=None):
        own = conn is None
        conn = conn or self.connect(timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            if own:
                conn.close()

    def post_json(self, path, value, **kwargs):
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        return self.request("POST", path, body, {"Content-Type": "application/json"}, **kwargs)

    def post_multipart(self, path, fields, files, **kwargs):
        body, content_type = encode_multipart(fields, files)
        return self.request("POST", path, body, {"Content-Type": content_type}, **kwargs)

    def stdout(self):
        with open(self.stdout_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stderr(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self._log_dir, ignore_errors=True)


def encode_multipart(fields, files):
    """fields: [(name, str)]; files: [(field, filename, bytes)] -> (body, content type)."""
    boundary = "----infera" + uuid.uuid4().hex
    chunks = []
    for name, value in fields:
        chunks.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n"
                       % (boundary, name)).encode("utf-8") + value.encode("utf-8") + b"\r\n")
    for field, filename, content in files:
        chunks.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                       "Content-Type: application/octet-stream\r\n\r\n"
                       % (boundary, field, filename)).encode("utf-8") + content + b"\r\n")
    chunks.append(("--%s--\r\n" % boundary).encode("ascii"))
    return b"".join(chunks), "multipart/form-data; boundary=" + boundary


def engines_available(*modules):
    import importlib.util
    return all(importlib.util.find_spec(m) is not None for m in modules)
