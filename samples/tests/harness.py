#!/usr/bin/python3
"""Serve the built sample packages the way ModelArts would, and check the answers in expected.json.

Two ways of serving a package:

* in process: load ``customize_service.py`` under a ``model_service`` package and call
  ``inference()`` with the data shapes the ModelArts runtimes hand over (raw body bytes for
  machine-learning engines, ``{field: {filename: BytesIO}}`` for multipart uploads), then build the
  HTTP body the runtime would send. Uses Infera's real runtime (runtimes/python) when present, and
  otherwise a minimal stand-in defined here.
* over HTTP: start Infera's worker (runtimes/python/infera_worker.py) on a free port and POST the
  requests to it. Only when the worker exists.

Usage:  /usr/bin/python3 samples/tests/harness.py [BUILD_DIR] [--no-worker]
        (INFERA_SAMPLES_STAND_IN=1 uses the stand-in even when the real runtime exists)
"""

import collections
import importlib.util
import inspect
import io
import json
import shutil
import os
import signal
import socket
import subprocess
import sys
import time
import types
import urllib.error
import urllib.request
import uuid

SAMPLES_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_DIR = os.path.dirname(SAMPLES_DIR)
RUNTIME_DIR = os.path.join(REPO_DIR, "runtimes", "python")
WORKER = os.path.join(RUNTIME_DIR, "infera_worker.py")
PYTHON = "/usr/bin/python3"

ML_TYPES = ("Scikit_Learn", "XGBoost")

_runtime_kind = None


# --------------------------------------------------------------------------------------------
# model_service: the real one, or a minimal stand-in

def _install_fake_runtime():
    """Just enough of the ModelArts ``model_service`` API for the three sample packages."""

    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        sys.modules[name] = m
        return m

    import logging

    def getLogger(name=None):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        return logger

    log = module("model_service.log", getLogger=getLogger)
    module("log", getLogger=getLogger)

    class ModelService(object):
        ctx = None

        def inference(self, data):
            raise NotImplementedError

    class SingleNodeService(ModelService):
        def inference(self, data):
            return self._postprocess(self._inference(self._preprocess(data)))

        def _preprocess(self, data):
            return data

        def _postprocess(self, data):
            return data

    class PTServingBaseService(SingleNodeService):
        def __init__(self, model_name, model_path):
            self.model_name = model_name
            self.model_path = model_path
            self.model = None

        def _inference(self, data):
            return {k: self.model(v) for k, v in data.items()}

    class XgSklServingBaseService(SingleNodeService):
        def __init__(self, model_path):
            self.model_path = model_path

    pkg = module("model_service", log=log)
    pkg.__path__ = []
    module("model_service.model_service", ModelService=ModelService,
           SingleNodeService=SingleNodeService)
    module("model_service.pytorch_model_service", PTServingBaseService=PTServingBaseService)
    module("model_service.python_model_service", XgSklServingBaseService=XgSklServingBaseService,
           XgSkServingBaseService=XgSklServingBaseService)
    # ``from sklearn.externals import joblib`` (removed from scikit-learn, used by the docs).
    import joblib
    import sklearn.externals
    sklearn.externals.joblib = joblib
    sys.modules["sklearn.externals.joblib"] = joblib


def setup_runtime():
    """Make ``model_service`` importable; returns "infera" (real runtime) or "stand-in"."""
    global _runtime_kind
    if _runtime_kind:
        return _runtime_kind
    force_stand_in = os.environ.get("INFERA_SAMPLES_STAND_IN") == "1"
    if os.path.isdir(os.path.join(RUNTIME_DIR, "model_service")) and not force_stand_in:
        sys.path.insert(0, RUNTIME_DIR)
        try:
            import infera_compat
            infera_compat.install()
        except ImportError:
            pass
        import model_service.model_service  # noqa: F401
        _runtime_kind = "infera"
    else:
        _install_fake_runtime()
        _runtime_kind = "stand-in"
    return _runtime_kind


def load_service(model_dir, model_type, model_file):
    """Load customize_service.py from model_dir and construct its service class."""
    setup_runtime()
    from model_service.model_service import SingleNodeService
    model_dir = os.path.abspath(model_dir)
    for p in (os.path.dirname(model_dir), model_dir):
        if p not in sys.path:
            sys.path.insert(0, p)
    path = os.path.join(model_dir, "customize_service.py")
    name = "customize_service_%s" % uuid.uuid4().hex
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    cwd = os.getcwd()
    os.chdir(model_dir)
    try:
        spec.loader.exec_module(mod)
    finally:
        os.chdir(cwd)
    classes = [c for c in vars(mod).values()
               if isinstance(c, type) and issubclass(c, SingleNodeService)
               and c.__module__ == name and not c.__subclasses__()]
    if len(classes) != 1:
        raise RuntimeError("expected one service class in %s, found %r" % (path, classes))
    cls = classes[0]
    model_path = os.path.join(model_dir, model_file)
    params = [p for p in inspect.signature(cls.__init__).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][1:]
    if model_type in ML_TYPES and len(params) <= 1:
        return cls(model_path)
    return cls("serve", model_path)


def ml_call(service, body_bytes):
    """ML runtime: raw body in, {"meta"?, "data": {"resp_data": result}} out (JSON round-trip)."""
    request = json.loads(body_bytes, object_pairs_hook=collections.OrderedDict)
    result = service.inference(body_bytes)
    out = collections.OrderedDict()
    if isinstance(request, dict) and "meta" in request:
        out["meta"] = request["meta"]
    out["data"] = {"resp_data": result}
    return json.loads(json.dumps(out, ensure_ascii=False))


def dl_multipart_call(service, files, base_dir):
    """DL runtime: {field: {filename: BytesIO}} in, the JSON of inference()'s result out."""
    data = collections.OrderedDict()
    for f in files:
        with open(os.path.join(base_dir, f["file"]), "rb") as fh:
            content = io.BytesIO(fh.read())
        data.setdefault(f["field"], collections.OrderedDict())[os.path.basename(f["file"])] = content
    return json.loads(json.dumps(service.inference(data), ensure_ascii=False))


def check_in_process(build_dir, expected):
    """Returns a list of (sample, request, expected, actual) mismatches."""
    failures = []
    for name, s in expected["samples"].items():
        service = load_service(os.path.join(build_dir, s["model_dir"]), s["model_type"],
                               s["model_file"])
        for r in s["requests"]:
            if r["content_type"] == "application/json":
                actual = ml_call(service, r["body_text"].encode("utf-8"))
            else:
                actual = dl_multipart_call(service, r["files"], build_dir)
            if actual != r["response"]:
                failures.append((name, r["name"], r["response"], actual))
    return failures


# --------------------------------------------------------------------------------------------
# over HTTP, through Infera's worker

def worker_available():
    return os.path.isfile(WORKER)


def onnx_worker():
    """The ONNX engine's worker (built by `dotnet build`), as a command line, or None when it is not built.

    INFERA_ONNX_WORKER may name the .dll; otherwise the Release, then Debug build under src/ is used.
    """
    import glob
    path = os.environ.get("INFERA_ONNX_WORKER")
    if not path:
        repo = os.path.dirname(SAMPLES_DIR)
        for configuration in ("Release", "Debug"):
            found = sorted(glob.glob(os.path.join(
                repo, "src", "Infera.Onnx.Worker", "bin", configuration, "net*", "*", "Infera.Onnx.Worker.dll")))
            if found:
                path = found[0]
                break
    if not path or not os.path.isfile(path) or not shutil.which("dotnet"):
        return None
    return ["dotnet", path]


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _multipart(files, base_dir):
    boundary = "----infera-samples-%s" % uuid.uuid4().hex
    parts = []
    for f in files:
        fname = os.path.basename(f["file"])
        with open(os.path.join(base_dir, f["file"]), "rb") as fh:
            content = fh.read()
        parts.append((
            "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
            "Content-Type: image/png\r\n\r\n" % (boundary, f["field"], fname)).encode("utf-8"))
        parts.append(content + b"\r\n")
    parts.append(("--%s--\r\n" % boundary).encode("utf-8"))
    return b"".join(parts), "multipart/form-data; boundary=%s" % boundary


class Worker(object):
    """One worker process serving one package; use as a context manager."""

    def __init__(self, model_dir, model_type, log_path, start_timeout=90, command=None):
        self.command = command or [PYTHON, WORKER]
        self.model_dir = os.path.abspath(model_dir)
        self.model_type = model_type
        self.log_path = log_path
        self.start_timeout = start_timeout
        self.port = _free_port()
        self.proc = None

    def __enter__(self):
        env = dict(os.environ)
        env.update({
            "INFERA_PORT": str(self.port),
            "MODEL_PATH": self.model_dir,
            "INFERA_MODEL_TYPE": self.model_type,
            "INFERA_INSTANCE_ID": "samples-test",
            "INFERA_SERVICE_ID": "samples-test",
        })
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, cwd=self.model_dir)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("worker exited with %s; log: %s" % (
                    self.proc.returncode, self.log_path))
            try:
                with urllib.request.urlopen(self.url("/health"), timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("worker not healthy after %ss; log: %s" % (
            self.start_timeout, self.log_path))

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def post(self, body, content_type, path="/"):
        req = urllib.request.Request(self.url(path), data=body, method="POST",
                                     headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(req, timeout=40) as resp:
                return resp.status, json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")


def check_worker(build_dir, expected, log_dir):
    """Returns a list of (sample, request, expected, actual) mismatches."""
    failures = []
    for name, s in expected["samples"].items():
        log_path = os.path.join(log_dir, "worker-%s.log" % name)
        with Worker(os.path.join(build_dir, s["model_dir"]), s["model_type"], log_path) as w:
            for r in s["requests"]:
                if r["content_type"] == "application/json":
                    status, actual = w.post(r["body_text"].encode("utf-8"), "application/json")
                else:
                    body, ctype = _multipart(r["files"], build_dir)
                    status, actual = w.post(body, ctype)
                if status != 200 or actual != r["response"]:
                    failures.append((name, r["name"], r["response"], (status, actual)))
    return failures


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    build_dir = os.path.abspath(args[0] if args else os.path.join(SAMPLES_DIR, "build"))
    with open(os.path.join(build_dir, "expected.json"), encoding="utf-8") as f:
        expected = json.load(f, object_pairs_hook=collections.OrderedDict)
    ok = True
    print("in process (model_service: %s)" % setup_runtime())
    failures = check_in_process(build_dir, expected)
    for f in failures:
        print("  MISMATCH %s/%s\n    expected %s\n    actual   %s" % f)
    ok &= not failures
    print("  %s" % ("ok" if not failures else "FAILED"))
    if "--no-worker" not in argv:
        if worker_available():
            print("over HTTP via %s" % WORKER)
            failures = check_worker(build_dir, expected, build_dir)
            for f in failures:
                print("  MISMATCH %s/%s\n    expected %s\n    actual   %s" % f)
            ok &= not failures
            print("  %s" % ("ok" if not failures else "FAILED"))
        else:
            print("over HTTP: skipped (no %s)" % WORKER)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
