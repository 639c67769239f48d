#!/usr/bin/python3
"""Infera model-service worker: serves one ModelArts ``customize_service.py`` over HTTP.

Started by the C# supervisor, one process per instance. The contract (environment, exit codes,
HTTP behaviour) is described in README.md next to this file; the ModelArts behaviour reproduced
here is specified in /work/shared/spec/model-service.md.

Only the standard library is used here: the engines (torch, sklearn, ...) are imported by user code.
"""
import collections
import inspect
import io
import json
import logging
import os
import re
import signal
import socket
import socketserver
import sys
import threading
import time
import traceback
import types
import urllib.parse

RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__))

# Exit codes, also documented in README.md (the supervisor maps them to failure events).
EXIT_OK = 0              # stopped by SIGTERM/SIGINT
EXIT_BAD_ENVIRONMENT = 2  # INFERA_PORT / MODEL_PATH missing or invalid
EXIT_LOAD_FAILED = 3     # customize_service.py, service class, model file or constructor failed
EXIT_LISTEN_FAILED = 4   # could not bind 127.0.0.1:INFERA_PORT
EXIT_PARENT_GONE = 5     # INFERA_PARENT_PID disappeared (watchdog)

def _stop_grace():
    """Seconds SIGTERM waits for in-flight requests: INFERA_STOP_GRACE_SECONDS (set by the server), else 10."""
    try:
        return max(0.0, float(os.environ.get("INFERA_STOP_GRACE_SECONDS", "10")))
    except ValueError:
        return 10.0


STOP_GRACE_SECONDS = _stop_grace()    # how long SIGTERM waits for the in-flight request
IDLE_CONNECTION_SECONDS = 300.0  # drop keep-alive connections idle for longer than this
MAX_LINE = 65536             # request line / header line limit
MAX_HEADERS = 200

# model_type values (normalised: lower case, alphanumerics only) that use the machine-learning
# runtime: raw body in, {"data": {"resp_data": ...}} out.
ML_TYPES = {"scikitlearn", "sklearn", "xgboost", "sparkmllib", "spark", "pyspark"}

# Names of the ML base class a service must *directly* derive from (spec section 6). The aliases
# are the docs' typos; they are the same class object, but user code may define its own.
ML_BASE_NAMES = {"XgSklServingBaseService", "XgSkServingBaseService", "XgSkIServingBaseService"}

# Top-level modules of engines that cannot be installed here, for a clearer failure summary.
UNSUPPORTED_ENGINE_MODULES = {
    "tensorflow": "TensorFlow", "tensorflow_serving": "TensorFlow", "mindspore": "MindSpore",
    "mxnet": "MXNet", "caffe": "Caffe", "pyspark": "Spark_MLlib",
}

DL_ERROR = {"erno": "MR.0105", "msg": "Recognition failed", "words_result": {}}
DL_INVALID_INPUT = {"erno": "MR.0101", "msg": "The input data is invalid", "words_result": {}}
ML_INVALID_INPUT = {"erno": "PY.0101", "msg": "The input data is invalid"}

log = logging.getLogger("infera_worker")


# --------------------------------------------------------------------------------------------
# Startup: locating and constructing the service
# --------------------------------------------------------------------------------------------

class LoadError(Exception):
    """A startup failure; ``summary`` becomes the last line of stderr."""

    def __init__(self, summary, show_traceback=True):
        super(LoadError, self).__init__(summary)
        self.summary = summary
        self.show_traceback = show_traceback


def _normalise_type(model_type):
    return re.sub(r"[^a-z0-9]", "", (model_type or "").lower())


def _one_line(exc):
    text = "%s: %s" % (type(exc).__name__, exc)
    return re.sub(r"\s+", " ", text).strip()


def _describe_import_failure(exc):
    summary = _one_line(exc)
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        top = exc.name.split(".")[0]
        engine = UNSUPPORTED_ENGINE_MODULES.get(top)
        if engine:
            summary += " (the %s engine is not supported on this node)" % engine
        else:
            summary += " (not installed on this node; config.json dependencies are not installed)"
    return summary


def _strip_json_comments(text):
    """Drop // and /* */ comments outside strings: real config.json files carry them."""
    out = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def read_config(model_dir):
    """Parse config.json leniently; returns {} when absent or unreadable (it is advisory only)."""
    path = os.path.join(model_dir, "config.json")
    if not os.path.isfile(path):
        return {}
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8-sig", "replace")
        text = _strip_json_comments(text)
        try:
            return json.loads(text)
        except ValueError:
            return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))  # trailing commas
    except Exception as exc:
        log.warning("config.json could not be parsed (%s); continuing without it", _one_line(exc))
        return {}


def _log_dependencies(config):
    deps = config.get("dependencies") if isinstance(config, dict) else None
    names = []
    for group in deps if isinstance(deps, list) else []:
        for pkg in (group.get("packages") or []) if isinstance(group, dict) else []:
            if isinstance(pkg, dict) and pkg.get("package_name"):
                version = pkg.get("package_version")
                names.append(pkg["package_name"] + ("==" + str(version) if version else ""))
    if names:
        log.info("config.json dependencies are not installed on this node (skipped): %s",
                 ", ".join(names))


def choose_model_path(model_dir, type_key, override=None):
    """What ``self.model_path`` points to (spec section 2)."""
    if override:
        return override if os.path.isabs(override) else os.path.join(model_dir, override)
    if type_key == "pytorch":
        preferred, fallback = (".pth", ".pt"), (".pkl", ".bin", ".ckpt", ".onnx", ".model", ".m")
    elif type_key in ("scikitlearn", "sklearn", "xgboost"):
        preferred, fallback = (".m",), (".pkl", ".joblib", ".model", ".json")
    else:
        return model_dir  # TensorFlow, MindSpore, Spark, custom: the directory itself
    files = sorted(name for name in os.listdir(model_dir)
                   if os.path.isfile(os.path.join(model_dir, name))
                   and name not in ("config.json", "customize_service.py"))
    for group in [preferred] + [(ext,) for ext in fallback]:
        matches = [name for name in files if name.endswith(group)]
        if matches:
            if len(matches) > 1:
                log.warning("several model files match %s: %s; using %s (set the model file in "
                            "the package metadata to choose another)",
                            "/".join("*" + e for e in group), ", ".join(matches), matches[0])
            return os.path.join(model_dir, matches[0])
    if type_key == "pytorch":
        # User code mostly loads its own files via dirname(self.model_path), so keep model_path
        # inside the folder even when no weights file is recognised.
        path = os.path.join(model_dir, "model.pth")
        log.warning("no *.pth/*.pt file in %s; self.model_path is set to %s", model_dir, path)
        return path
    raise LoadError("infera-worker: no model file found in %s (looked for *.m, *.pkl, *.joblib, "
                    "*.model, *.json); Scikit_Learn and XGBoost models need one" % model_dir,
                    show_traceback=False)


def load_user_module(path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("customize_service", path)
    module = importlib.util.module_from_spec(spec)
    # Registered before executing, like a normal import, so pickles and dataclasses that look the
    # module up by name work during import.
    sys.modules["customize_service"] = module
    spec.loader.exec_module(module)
    return module


def _is_runtime_class(cls):
    module = getattr(cls, "__module__", "") or ""
    return module.startswith("model_service") or module.startswith("mms.")


def _unique(classes):
    seen = []
    for cls in classes:
        if cls not in seen:
            seen.append(cls)
    return seen


def _leaf_subclasses(module, base):
    return _unique(obj for obj in vars(module).values()
                   if isinstance(obj, type) and issubclass(obj, base)
                   and not _is_runtime_class(obj) and not obj.__subclasses__())


def _pick_one(candidates, description):
    if len(candidates) > 1:
        local = [c for c in candidates if c.__module__ == "customize_service"]
        if len(local) == 1:
            return local[0]
        raise LoadError("infera-worker: customize_service.py defines several service classes (%s); "
                        "exactly one %s is allowed" % (", ".join(c.__name__ for c in candidates),
                                                       description), show_traceback=False)
    return candidates[0] if candidates else None


def engine_base(type_key):
    """The engine base class and a readable description, imported lazily (user sys.path)."""
    from model_service.model_service import SingleNodeService
    if type_key == "pytorch":
        from model_service.pytorch_model_service import PTServingBaseService
        return PTServingBaseService
    if type_key in ("tensorflow", "tf"):
        from model_service.tfserving_model_service import TfServingBaseService
        return TfServingBaseService
    if type_key == "caffe":
        from model_service.caffe_model_service import CaffeBaseService
        return CaffeBaseService
    if type_key == "mxnet":
        from mms.model_service.mxnet_model_service import MXNetBaseService
        return MXNetBaseService
    if type_key in ("scikitlearn", "sklearn", "xgboost"):
        from model_service.python_model_service import XgSklServingBaseService
        return XgSklServingBaseService
    if type_key in ("sparkmllib", "spark", "pyspark"):
        from model_service.spark_model_service import SparkServingBaseService
        return SparkServingBaseService
    return SingleNodeService


def find_service_class(module, type_key):
    """Spec section 6: DL keeps the single leaf subclass of the engine base, ML the single class
    directly derived from XgSklServingBaseService; both fall back to a leaf SingleNodeService."""
    from model_service.model_service import SingleNodeService
    base = engine_base(type_key)
    if type_key in ML_TYPES:
        parent_names = ML_BASE_NAMES | {base.__name__}
        candidates = _unique(obj for obj in vars(module).values()
                             if isinstance(obj, type) and not _is_runtime_class(obj)
                             and any(b.__name__ in parent_names for b in obj.__bases__))
        description = "direct subclass of %s" % base.__name__
    else:
        candidates = _leaf_subclasses(module, base)
        description = "subclass of %s" % base.__name__
    chosen = _pick_one(candidates, description)
    if chosen is None and base is not SingleNodeService:
        chosen = _pick_one(_leaf_subclasses(module, SingleNodeService), description)
    if chosen is None:
        raise LoadError("infera-worker: no service class in customize_service.py: expected one %s "
                        "(from the model_service package)" % description, show_traceback=False)
    return chosen


def construct_service(cls, model_name, model_path, is_ml):
    """Call the constructor with one or two arguments to suit its signature (spec section 2)."""
    default_args = (model_path,) if is_ml else (model_name, model_path)
    try:
        params = list(inspect.signature(cls).parameters.values())
    except (TypeError, ValueError):
        args = default_args
    else:
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        required = [p for p in positional if p.default is p.empty]
        if any(p.kind == p.VAR_POSITIONAL for p in params):
            args = default_args
        elif is_ml:
            args = (model_name, model_path) if len(required) >= 2 else \
                (model_path,) if positional else ()
        else:
            args = (model_name, model_path) if len(positional) >= 2 else \
                (model_path,) if positional else ()
    service = cls(*args)
    # Fill in, never overwrite: one documented pattern re-points self.model_path on purpose.
    if not hasattr(service, "model_name"):
        service.model_name = model_name
    if not hasattr(service, "model_path"):
        service.model_path = model_path
    return service


def load_service(model_dir, model_type, model_name, model_file_override):
    """Import customize_service.py and construct the service; raises LoadError with a summary."""
    type_key = _normalise_type(model_type)
    is_ml = type_key in ML_TYPES
    model_path = choose_model_path(model_dir, type_key, model_file_override)
    script = os.path.join(model_dir, "customize_service.py")

    if os.path.isfile(script):
        try:
            module = load_user_module(script)
        except BaseException as exc:
            raise LoadError("infera-worker: failed to load customize_service.py: %s"
                            % _describe_import_failure(exc)) from exc
        cls = find_service_class(module, type_key)
    elif type_key in ("scikitlearn", "sklearn", "xgboost"):
        # customize_service.py is optional for the ML engines: the default class serves the model.
        cls = engine_base(type_key)
        log.info("no customize_service.py; using the default %s", cls.__name__)
    else:
        raise LoadError("infera-worker: customize_service.py not found in %s (required for %s "
                        "models)" % (model_dir, model_type or "this model type"),
                        show_traceback=False)

    try:
        service = construct_service(cls, model_name, model_path, is_ml)
    except BaseException as exc:
        raise LoadError("infera-worker: failed to construct %s: %s"
                        % (cls.__name__, _describe_import_failure(exc))) from exc
    return service, is_ml, model_path


# --------------------------------------------------------------------------------------------
# Requests: from HTTP to the ``data`` argument and back (spec sections 4 and 5)
# --------------------------------------------------------------------------------------------

class InvalidInput(Exception):
    pass


def _split_params(value):
    """Split a header value on ';' outside double quotes."""
    pieces, current, quoted, escaped = [], [], False, False
    for ch in value:
        if escaped:
            current.append(ch)
            escaped = False
        elif quoted and ch == "\\":
            current.append(ch)
            escaped = True
        elif ch == '"':
            current.append(ch)
            quoted = not quoted
        elif ch == ";" and not quoted:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    return pieces


def _unquote(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        # Browsers send Windows paths with raw backslashes, so only \" and \\ are escapes.
        return re.sub(r'\\(["\\])', r"\1", value[1:-1])
    return value


def header_params(value):
    """``'form-data; name="a"; filename="b.jpg"'`` -> ``{'name': 'a', 'filename': 'b.jpg'}``."""
    params = {}
    for piece in _split_params(value or "")[1:]:
        key, sep, val = piece.partition("=")
        if sep:
            params[key.strip().lower()] = _unquote(val)
    ext = params.get("filename*")
    if ext:  # RFC 5987: charset'lang'percent-encoded
        charset, _, rest = ext.partition("'")
        _, _, encoded = rest.partition("'")
        try:
            params["filename"] = urllib.parse.unquote(encoded, encoding=charset or "utf-8",
                                                      errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    return params


def _multipart_segments(body, boundary):
    """Yield the raw bytes (headers + content) of each part.

    A delimiter is CRLF "--" boundary followed by optional blanks and CRLF, or by "--" for the
    last one; the boundary text elsewhere (even at the start of a line) is content.
    """
    buf = b"\r\n" + body  # every delimiter is preceded by CRLF; this lets the first one match
    delimiter = b"\r\n--" + boundary
    part_start = None
    search = 0
    while True:
        at = buf.find(delimiter, search)
        if at < 0:
            return  # no close delimiter: a truncated body, whatever is incomplete is dropped
        after = at + len(delimiter)
        if buf.startswith(b"--", after):
            if part_start is not None:
                yield buf[part_start:at]
            return
        end = after
        while end < len(buf) and buf[end] in b" \t":
            end += 1
        if buf.startswith(b"\r\n", end):
            if part_start is not None:
                yield buf[part_start:at]
            part_start = search = end + 2
        else:
            search = after  # boundary text inside the content


def parse_multipart(body, content_type):
    """multipart/form-data -> ``{field: OrderedDict{filename: BytesIO}}`` / ``{field: str}``."""
    boundary = header_params(content_type).get("boundary")
    if not boundary:
        raise InvalidInput("multipart body without boundary")
    data = {}
    for segment in _multipart_segments(body, boundary.encode("latin-1")):
        if segment.startswith(b"\r\n"):
            continue  # a part without headers has no name: nothing to deliver
        head, sep, content = segment.partition(b"\r\n\r\n")
        if not sep:
            continue
        try:
            head_text = head.decode("utf-8")  # browsers send non-ASCII filenames as raw UTF-8
        except UnicodeDecodeError:
            head_text = head.decode("latin-1")
        headers = {}
        for line in head_text.split("\r\n"):
            name, colon, value = line.partition(":")
            if colon:
                headers[name.strip().lower()] = value.strip()
        params = header_params(headers.get("content-disposition", ""))
        name = params.get("name")
        if name is None:
            continue
        if "filename" in params:
            files = data.get(name)
            if not isinstance(files, collections.OrderedDict):
                files = data[name] = collections.OrderedDict()
            # Same filename twice under one field: the later upload wins, as in ModelArts.
            files[params["filename"]] = io.BytesIO(content)
        else:
            charset = header_params(headers.get("content-type", "")).get("charset") or "utf-8"
            try:
                data[name] = content.decode(charset, "replace")
            except LookupError:
                data[name] = content.decode("utf-8", "replace")
    return data


def build_dl_data(method, query, content_type, body):
    """The ``data`` dict of the deep-learning runtimes; InvalidInput means MR.0101."""
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime == "multipart/form-data":
        data = parse_multipart(body, content_type)
        if not data and not query:
            raise InvalidInput("multipart body without form fields")
    elif body.strip():
        try:
            data = json.loads(body)
        except ValueError:
            # `curl -d '{...}'` sends JSON labelled as a form, hence JSON is tried first.
            if mime != "application/x-www-form-urlencoded":
                raise InvalidInput("body is neither JSON nor form data")
            data = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"),
                                               keep_blank_values=True))
    elif query:
        data = {}
    else:
        raise InvalidInput("empty request")
    if isinstance(data, dict):
        for key, value in query:
            data.setdefault(key, value)  # the body wins over the query string
    return data


class Dispatcher(object):
    """Turns one parsed HTTP request into the service call and the ModelArts response body."""

    def __init__(self, service, is_ml):
        self.service = service
        self.is_ml = is_ml
        # Services keep per-request state on self: one request at a time per service object.
        self.lock = threading.Lock()

    def handle(self, method, path, query, headers, body):
        """Returns (status, body_bytes)."""
        content_type = headers.get("content-type", "")
        meta = None
        has_meta = False
        if self.is_ml:
            try:
                parsed = json.loads(body)
            except ValueError:
                return 500, _json(ML_INVALID_INPUT)
            if isinstance(parsed, dict) and "meta" in parsed:
                has_meta, meta = True, parsed["meta"]
            data = body  # ML user code parses the raw bytes itself
        else:
            try:
                data = build_dl_data(method, query, content_type, body)
            except InvalidInput as exc:
                log.warning("%s %s: invalid input: %s", method, path, exc)
                return 400, _json(DL_INVALID_INPUT)

        try:
            with self.lock:
                # Infera extension: the request headers (lower-case names), e.g. the header a routing
                # rule injects (seed 003 section 3.1.2 "custom running parameters").
                self.service.request_headers = headers
                result = self.service.inference(data)
        except (KeyError, TypeError):
            return self._failure(400, method, path)
        except BaseException:  # SystemExit from user code must not kill the connection thread
            return self._failure(500, method, path)

        if is_stream(result):
            return 200, EventStream(result, self.lock, self.is_ml, method, path)

        try:
            if self.is_ml:
                wrapped = {"data": {"resp_data": result}}
                if has_meta:
                    wrapped = {"meta": meta, "data": wrapped["data"]}
                return 200, _json(wrapped)
            return 200, _json(result)
        except Exception:
            # Tensors / numpy values: a serialisation TypeError is a server error, not a 400.
            return self._failure(500, method, path, "result is not JSON serialisable")

    def _failure(self, status, method, path, what="inference failed"):
        trace = traceback.format_exc()
        sys.stderr.write("infera-worker: %s %s: %s (HTTP %d)\n%s" % (method, path, what, status,
                                                                     trace))
        if self.is_ml:
            return status, _json({"erno": "PY.0105", "msg": "Predict failed", "error_info": trace})
        return status, _json(DL_ERROR)


def _json(value):
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def is_stream(result):
    """A generator or other iterator answer is streamed as Server-Sent Events (Infera extension)."""
    if isinstance(result, (str, bytes, bytearray, dict, list, tuple)):
        return False
    return isinstance(result, types.GeneratorType) or (hasattr(result, "__next__") and hasattr(result, "__iter__"))


def sse_event(item):
    """One SSE event for a yielded item: bytes pass as written (user-formatted events); a str becomes
    `data:` lines; anything else is JSON in one `data:` line."""
    if isinstance(item, (bytes, bytearray)):
        return bytes(item)
    text = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
    lines = text.replace("\r\n", "\n").split("\n")
    return ("".join("data: %s\n" % line for line in lines) + "\n").encode("utf-8", "surrogatepass")


class EventStream(object):
    """A streamed answer: `text/event-stream`, one event per item the user's generator yields. The
    generator runs under the service lock (its code may use per-request state on self); when the client
    goes away the generator is closed (GeneratorExit in user code) and the connection dropped."""

    def __init__(self, iterator, lock, is_ml, method, path):
        self.iterator = iterator
        self.lock = lock
        self.is_ml = is_ml
        self.method = method
        self.path = path

    def events(self):
        while True:
            try:
                with self.lock:
                    item = next(self.iterator)
            except StopIteration:
                return
            except BaseException:
                trace = traceback.format_exc()
                sys.stderr.write("infera-worker: %s %s: stream failed\n%s" % (self.method, self.path, trace))
                error = {"erno": "PY.0105", "msg": "Predict failed"} if self.is_ml else DL_ERROR
                yield b"event: error\n" + sse_event(error)
                return
            yield sse_event(item)

    def close(self):
        close = getattr(self.iterator, "close", None)
        if close is not None:
            with self.lock:
                close()


# --------------------------------------------------------------------------------------------
# HTTP/1.1 server
# --------------------------------------------------------------------------------------------
# A small hand-written server rather than http.server: each response leaves as one sendall of
# status line + headers + body on a TCP_NODELAY socket, which avoids the 40 ms delayed-ACK stall
# of header and body written separately, and the request parsing is a few readline() calls.

REASONS = {100: "Continue", 200: "OK", 400: "Bad Request", 404: "Not Found",
           405: "Method Not Allowed", 411: "Length Required", 413: "Payload Too Large",
           414: "URI Too Long", 431: "Request Header Fields Too Large", 500: "Internal Server Error",
           503: "Service Unavailable", 505: "HTTP Version Not Supported"}

HEALTH_BODY = _json({"status": "OK"})


class ProtocolError(Exception):
    def __init__(self, status, message):
        super(ProtocolError, self).__init__(message)
        self.status = status


class _ConnectionClosed(Exception):
    pass


class WorkerState(object):
    def __init__(self, dispatcher):
        self.dispatcher = dispatcher
        self.stopping = False
        self.in_flight = 0
        self.cond = threading.Condition()


class _Connection(socketserver.BaseRequestHandler):
    """One keep-alive connection: read request, answer, repeat."""

    def setup(self):
        self.sock = self.request
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(IDLE_CONNECTION_SECONDS)
        self.rfile = self.sock.makefile("rb", 65536)

    def finish(self):
        try:
            self.rfile.close()
        except OSError:
            pass

    def handle(self):
        state = self.server.state
        while True:
            try:
                request = self._read_request()
            except ProtocolError as exc:
                self._send(exc.status, _json({"msg": str(exc)}), keep_alive=False)
                return
            except (_ConnectionClosed, OSError, ValueError):
                return
            if request is None:
                return
            method, path, query, headers, body, keep_alive = request
            # Checked and counted under one lock, so SIGTERM either refuses this request or
            # waits for it: never exits half-way through it.
            with state.cond:
                refused = state.stopping
                if not refused:
                    state.in_flight += 1
            if refused:
                self._send(503, _json({"msg": "instance is stopping"}), keep_alive=False)
                return
            try:
                status, payload = self._route(state, method, path, query, headers, body)
                keep_alive = keep_alive and not state.stopping
                if isinstance(payload, EventStream):
                    keep_alive = self._send_stream(payload, keep_alive)
                else:
                    self._send(status, payload, keep_alive, head_only=(method == "HEAD"))
            except OSError:
                return  # client went away
            finally:
                with state.cond:  # after the send: the response is part of the request
                    state.in_flight -= 1
                    state.cond.notify_all()
            if not keep_alive:
                return

    def _route(self, state, method, path, query, headers, body):
        if path == "/health" and method in ("GET", "HEAD"):
            return 200, HEALTH_BODY
        if method in ("POST", "PUT", "GET"):
            return state.dispatcher.handle(method, path, query, headers, body)
        return 405, _json({"msg": "method %s is not allowed" % method})

    def _send(self, status, payload, keep_alive, head_only=False):
        head = ("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                "Connection: %s\r\n\r\n" % (status, REASONS.get(status, "Unknown"), len(payload),
                                            "keep-alive" if keep_alive else "close"))
        self.sock.sendall(head.encode("latin-1") + (b"" if head_only else payload))

    def _send_stream(self, stream, keep_alive):
        """Writes a chunked `text/event-stream` answer, one chunk per event, each sent at once.
        Returns whether the connection may be reused (not when the client went away)."""
        head = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=UTF-8\r\n"
                "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nConnection: %s\r\n\r\n"
                % ("keep-alive" if keep_alive else "close"))
        try:
            self.sock.sendall(head.encode("latin-1"))
            for event in stream.events():
                self.sock.sendall(b"%x\r\n%s\r\n" % (len(event), event))
            self.sock.sendall(b"0\r\n\r\n")
            return keep_alive
        except OSError:
            log.info("%s %s: client went away during the event stream; stream closed",
                     stream.method, stream.path)
            stream.close()
            raise

    def _readline(self):
        line = self.rfile.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise ProtocolError(431, "line too long")
        return line

    def _read_request(self):
        line = self._readline()
        while line in (b"\r\n", b"\n"):  # tolerated before a request line (RFC 9112 2.2)
            line = self._readline()
        if not line:
            return None
        parts = line.decode("latin-1").split()
        if len(parts) != 3:
            raise ProtocolError(400, "malformed request line")
        method, target, version = parts
        if not version.startswith("HTTP/1."):
            raise ProtocolError(505, "unsupported HTTP version")

        headers = {}
        while True:
            line = self._readline()
            if not line:
                raise _ConnectionClosed()
            if line in (b"\r\n", b"\n"):
                break
            if len(headers) >= MAX_HEADERS:
                raise ProtocolError(431, "too many headers")
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon:
                raise ProtocolError(400, "malformed header")
            name = name.strip().lower()
            value = value.strip()
            headers[name] = headers[name] + ", " + value if name in headers else value

        connection = headers.get("connection", "").lower()
        if version == "HTTP/1.0":
            keep_alive = "keep-alive" in connection
        else:
            keep_alive = "close" not in connection

        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        length = 0
        if not chunked and "content-length" in headers:
            try:
                length = int(headers["content-length"])
            except ValueError:
                raise ProtocolError(400, "invalid Content-Length")
            if length < 0:
                raise ProtocolError(400, "invalid Content-Length")
        if (chunked or length) and "100-continue" in headers.get("expect", "").lower():
            # curl sends this for larger uploads and otherwise waits a full second.
            self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = self._read_chunked() if chunked else self._read_exact(length)

        if target.startswith("/"):
            path, _, raw_query = target.partition("?")
        else:  # absolute-form, sent by some proxies
            split = urllib.parse.urlsplit(target)
            path, raw_query = split.path or "/", split.query
        path = urllib.parse.unquote(path)
        query = urllib.parse.parse_qsl(raw_query, keep_blank_values=True) if raw_query else []
        return method.upper(), path, query, headers, body, keep_alive

    def _read_exact(self, length):
        if not length:
            return b""
        body = self.rfile.read(length)
        if len(body) < length:
            raise _ConnectionClosed()
        return body

    def _read_chunked(self):
        chunks = []
        while True:
            line = self._readline()
            if not line:
                raise _ConnectionClosed()
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise ProtocolError(400, "invalid chunk size")
            if size == 0:
                while self._readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers are ignored
                return b"".join(chunks)
            chunks.append(self._read_exact(size))
            self._readline()  # CRLF after the chunk


class WorkerServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    # A thread per connection, so /health answers while an inference holds the service lock.
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address, state):
        self.state = state
        socketserver.TCPServer.__init__(self, address, _Connection)


# --------------------------------------------------------------------------------------------
# Process plumbing: parent watchdog, signals, main
# --------------------------------------------------------------------------------------------

def _proc_stat(pid):
    """(state, starttime) from /proc/<pid>/stat, or None where /proc is unavailable."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            raw = f.read().decode("latin-1")
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2:].split()  # the command name may contain spaces
    return fields[0], fields[19]


def _process_alive(pid, start_time):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    stat = _proc_stat(pid)
    if stat is None:
        return True
    state, started = stat
    if state in ("Z", "X"):
        return False  # exited, not yet reaped by its own parent
    return start_time is None or started == start_time  # else the pid was reused


def start_parent_watchdog(parent_pid):
    """Exit when the supervisor is gone, so a killed server leaves no orphan workers."""
    initial_ppid = os.getppid()
    stat = _proc_stat(parent_pid)
    start_time = stat[1] if stat else None

    def watch():
        while True:
            gone = not _process_alive(parent_pid, start_time)
            # Re-parenting (to init or a subreaper) is the surest sign the direct parent died.
            if initial_ppid == parent_pid and os.getppid() != parent_pid:
                gone = True
            if gone:
                try:
                    # The parent held the read end of our stdout/stderr pipes: with it gone this write
                    # raises BrokenPipeError, which must not kill the watchdog before it exits.
                    sys.stderr.write("infera-worker: parent process %d is gone; exiting\n" % parent_pid)
                except Exception:
                    pass
                _flush_and_exit(EXIT_PARENT_GONE)
            time.sleep(1.0)

    threading.Thread(target=watch, name="infera-parent-watchdog", daemon=True).start()


def _flush_and_exit(code):
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    # os._exit: user code may have started non-daemon threads that would block a normal exit.
    os._exit(code)


def _fail(code, summary, show_traceback=True):
    sys.stdout.flush()
    exc = sys.exc_info()[1]
    if show_traceback and exc is not None:
        # For a LoadError the user's exception is what matters, not the worker's wrapping frames.
        cause = exc.__cause__ if isinstance(exc, LoadError) and exc.__cause__ else exc
        traceback.print_exception(type(cause), cause, cause.__traceback__)
    # Always the last stderr line: the supervisor quotes it in the failure event.
    sys.stderr.write(summary + "\n")
    _flush_and_exit(code)


def _configure_streams():
    # User print() output goes to the instance log and must appear promptly: line-buffer both
    # streams even when they are pipes. HTTP only ever uses the socket.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(line_buffering=True, errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    os.environ.setdefault("PYTHONUNBUFFERED", "1")  # for Python subprocesses user code starts
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s")


def _set_sys_path(model_dir):
    # Model folder first (`import model`), then its parent (`from model.x import y`), then this
    # runtime (model_service, log, metric), then the interpreter's own entries.
    front = [model_dir, os.path.dirname(model_dir), RUNTIME_DIR]
    sys.path[:] = front + [p for p in sys.path if p not in front and p not in ("", ".")]


def main():
    _configure_streams()

    port_text = os.environ.get("INFERA_PORT", "")
    model_dir = os.environ.get("MODEL_PATH", "")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        _fail(EXIT_BAD_ENVIRONMENT, "infera-worker: INFERA_PORT must be a TCP port, got %r"
              % port_text, show_traceback=False)
    if not model_dir or not os.path.isdir(model_dir):
        _fail(EXIT_BAD_ENVIRONMENT, "infera-worker: MODEL_PATH is not a directory: %r" % model_dir,
              show_traceback=False)
    model_dir = os.path.abspath(model_dir)  # not realpath: `from model.x import` needs the name

    parent_pid = os.environ.get("INFERA_PARENT_PID", "")
    if parent_pid.isdigit() and int(parent_pid) > 1:
        start_parent_watchdog(int(parent_pid))

    _set_sys_path(model_dir)
    os.chdir(model_dir)
    import infera_compat
    infera_compat.install()

    config = read_config(model_dir)
    model_type = os.environ.get("INFERA_MODEL_TYPE") or \
        (config.get("model_type") if isinstance(config, dict) else None) or "Custom"
    model_name = os.environ.get("INFERA_MODEL_NAME") or "serve"
    _log_dependencies(config)
    log.info("instance %s of service %s: model_type=%s, model folder %s",
             os.environ.get("INFERA_INSTANCE_ID", "-"), os.environ.get("INFERA_SERVICE_ID", "-"),
             model_type, model_dir)

    try:
        service, is_ml, model_path = load_service(model_dir, model_type, model_name,
                                                  os.environ.get("INFERA_MODEL_FILE"))
    except LoadError as exc:
        _fail(EXIT_LOAD_FAILED, exc.summary, exc.show_traceback)
    except BaseException as exc:
        _fail(EXIT_LOAD_FAILED, "infera-worker: failed to start the service: %s" % _one_line(exc))

    state = WorkerState(Dispatcher(service, is_ml))
    try:
        server = WorkerServer(("127.0.0.1", int(port_text)), state)
    except OSError as exc:
        _fail(EXIT_LISTEN_FAILED, "infera-worker: cannot listen on 127.0.0.1:%s: %s"
              % (port_text, _one_line(exc)), show_traceback=False)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                     name="infera-accept", daemon=True).start()
    log.info("ready on 127.0.0.1:%s: %s, model_path=%s", port_text, type(service).__name__,
             getattr(service, "model_path", model_path))

    while not stop.wait(1.0):
        pass

    # Stop accepting, let the in-flight request finish (bounded), then leave.
    log.info("stopping: no new connections, waiting for the in-flight request")
    with state.cond:
        state.stopping = True
    server.shutdown()
    server.server_close()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    with state.cond:
        while state.in_flight and time.monotonic() < deadline:
            state.cond.wait(max(0.0, deadline - time.monotonic()))
        unfinished = state.in_flight
    if unfinished:
        log.warning("stopping with %d request(s) still running after %.0f s", unfinished,
                    STOP_GRACE_SECONDS)
    log.info("stopped")
    _flush_and_exit(EXIT_OK)


if __name__ == "__main__":
    main()
