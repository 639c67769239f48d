"""A custom-engine model (model_type "Custom"): its own HTTP server, Python standard library only.

Infera starts it with the config.json "cmd" in this folder and tells it where to listen:
PORT (and INFERA_PORT) is the loopback port, INFERA_HOST the address, INFERA_PROTOCOL http or https.

Routes
  GET  /health           readiness: 503 for the first READY_DELAY seconds (env, default 1.5), then 200
                         unless /control/unready was called (until /control/ready)
  GET  /alive            liveness: 200 until /control/die was called, then 500
  POST /                 echoes the JSON body with who answered
  POST /control/unready  /health answers 503 from now on
  POST /control/ready    /health answers 200 again
  POST /control/die      /alive answers 500 from now on
"""
import json
import os
import signal
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STARTED = time.monotonic()
READY_DELAY = float(os.environ.get("READY_DELAY", "1.5"))
STATE = {"unready": False, "dead": False, "health_503": 0, "health_200": 0}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("custom-echo: " + (fmt % args) + "\n")

    def _send(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            with LOCK:
                ready = time.monotonic() - STARTED >= READY_DELAY and not STATE["unready"]
                STATE["health_200" if ready else "health_503"] += 1
            self._send(200 if ready else 503, {"status": "OK" if ready else "starting"})
        elif self.path == "/alive":
            self._send(500 if STATE["dead"] else 200, {"alive": not STATE["dead"]})
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        with LOCK:
            if self.path == "/control/unready":
                STATE["unready"] = True
            elif self.path == "/control/ready":
                STATE["unready"] = False
            elif self.path == "/control/die":
                STATE["dead"] = True
            elif self.path != "/":
                self._send(404, {"error": "not found"})
                return
            snapshot = dict(STATE)
        try:
            echo = json.loads(raw) if raw else None
        except ValueError:
            self._send(400, {"error_code": "ECHO.0001", "error_msg": "body is not JSON"})
            return
        self._send(200, {
            "echo": echo,
            "instance": os.environ.get("INFERA_INSTANCE_ID"),
            "pid": os.getpid(),
            "port": int(os.environ["PORT"]),
            "cwd": os.getcwd(),
            "model_path": os.environ.get("MODEL_PATH"),
            "health_503": snapshot["health_503"],
            "python": sys.executable,
        })


def main():
    port = int(os.environ["PORT"])
    host = os.environ.get("INFERA_HOST", "127.0.0.1")
    server = ThreadingHTTPServer((host, port), Handler)
    if os.environ.get("INFERA_PROTOCOL") == "https":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.environ.get("TLS_CERT", "cert.pem"), os.environ.get("TLS_KEY", "key.pem"))
        server.socket = context.wrap_socket(server.socket, server_side=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    print("custom-echo listening on %s:%d" % (host, port), flush=True)
    server.serve_forever()
    print("custom-echo stopped", flush=True)


if __name__ == "__main__":
    main()
