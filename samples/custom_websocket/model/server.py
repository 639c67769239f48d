"""A custom-engine WebSocket model (model_type "Custom"), Python standard library only (RFC 6455).

Infera starts it with the config.json "cmd" and tells it where to listen: PORT on INFERA_HOST.

  GET /health              200 {"status": "OK"}
  GET / (Upgrade)          a WebSocket session:
    text "/stream N"       answers N text messages "token 0" … "token N-1", DELAY seconds apart (env, default 0.05)
    text "/headers"        answers one text message: JSON of the handshake headers it saw (lower-case names)
    text "/close CODE R"   closes the session itself with CODE and reason R
    other text             echoed as text
    binary                 echoed as binary
    ping                   answered with a pong carrying the same payload
    close                  answered with a close frame carrying the same code and reason
"""
import base64
import hashlib
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
DELAY = float(os.environ.get("DELAY", "0.05"))
MAX_MESSAGE = 16 * 1024 * 1024


class Closed(Exception):
    pass


class Session(object):
    def __init__(self, sock, rfile, headers):
        self.sock = sock
        self.rfile = rfile
        self.headers = headers
        self.send_lock = threading.Lock()

    def read_exact(self, n):
        data = self.rfile.read(n)
        if len(data) < n:
            raise Closed()
        return data

    def read_frame(self):
        b1, b2 = self.read_exact(2)
        fin, opcode, masked, length = b1 & 0x80, b1 & 0x0F, b2 & 0x80, b2 & 0x7F
        if length == 126:
            length = struct.unpack("!H", self.read_exact(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self.read_exact(8))[0]
        if length > MAX_MESSAGE:
            raise Closed()
        mask = self.read_exact(4) if masked else b"\0\0\0\0"
        payload = bytearray(self.read_exact(length))
        for i in range(length):
            payload[i] ^= mask[i % 4]
        return bool(fin), opcode, bytes(payload)

    def send(self, opcode, payload):
        head = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([n])
        elif n < 65536:
            head += bytes([126]) + struct.pack("!H", n)
        else:
            head += bytes([127]) + struct.pack("!Q", n)
        with self.send_lock:
            self.sock.sendall(head + payload)

    def run(self):
        message, kind = b"", None
        while True:
            fin, opcode, payload = self.read_frame()
            if opcode == 0x9:
                self.send(0xA, payload)
                continue
            if opcode == 0xA:
                continue
            if opcode == 0x8:
                self.send(0x8, payload)  # same code and reason back
                return
            if opcode in (0x1, 0x2):
                message, kind = payload, opcode
            elif opcode == 0x0:
                message += payload
            if not fin:
                continue
            if kind == 0x2:
                self.send(0x2, message)
            elif not self.command(message.decode("utf-8")):
                return

    def command(self, text):
        if text.startswith("/stream "):
            for i in range(int(text.split()[1])):
                self.send(0x1, ("token %d" % i).encode())
                time.sleep(DELAY)
        elif text == "/headers":
            self.send(0x1, json.dumps(self.headers, sort_keys=True).encode())
        elif text.startswith("/close "):
            _, code, reason = (text + " ").split(" ", 2)
            self.send(0x8, struct.pack("!H", int(code)) + reason.strip().encode())
            try:
                self.read_frame()  # the peer's close answer
            except (Closed, OSError, ValueError):
                pass
            return False
        else:
            self.send(0x1, text.encode("utf-8"))
        return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("custom-websocket: " + (fmt % args) + "\n")

    def do_GET(self):
        if self.headers.get("Upgrade", "").lower() == "websocket":
            return self.upgrade()
        body = json.dumps({"status": "OK"} if self.path == "/health" else
                          {"error": "connect with WebSocket"}).encode()
        self.send_response(200 if self.path == "/health" else 400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def upgrade(self):
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        seen = {k.lower(): v for k, v in self.headers.items() if k.lower().startswith("x-") or k.lower() == "path"}
        seen["path"] = self.path
        try:
            Session(self.connection, self.rfile, seen).run()
        except (Closed, OSError, ValueError):
            pass
        self.close_connection = True


def main():
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer((os.environ.get("INFERA_HOST", "127.0.0.1"), port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    sys.stderr.write("custom-websocket: listening on %d\n" % port)
    server.serve_forever()


if __name__ == "__main__":
    main()
