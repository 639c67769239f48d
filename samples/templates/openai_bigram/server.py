"""An OpenAI-compatible text generator: a custom-engine model (runtimes/README.md) serving a word-bigram model.

Answers the OpenAI API shapes the official clients use: GET /v1/models, POST /v1/completions and
POST /v1/chat/completions, with "stream": true as Server-Sent Events ("data: {chunk}" ... "data: [DONE]").
Standard library only. The model is bigram.json beside this file (built by samples/build_samples.py from the
dataset descriptions Debian's scikit-learn ships): the three most frequent successors of each word; generation is
deterministic (step i takes successor i mod k of the current word).
Listens on 127.0.0.1:$PORT; GET /health answers when the model is loaded.
"""
import json
import os
import re
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL_ID = "bigram"
HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "bigram.json"), encoding="utf-8") as f:
    _MODEL = json.load(f)
VOCAB = _MODEL["vocab"]
SUCCESSORS = _MODEL["successors"]
INDEX = {w: i for i, w in enumerate(VOCAB)}
WORD = re.compile(r"[a-z]+")


def generate(prompt, max_tokens):
    """The words that follow the prompt's last known word (or "the")."""
    words = WORD.findall(prompt.lower())
    current = next((INDEX[w] for w in reversed(words) if w in INDEX), INDEX["the"])
    for step in range(max_tokens):
        options = SUCCESSORS[current]
        if not options:
            return
        current = options[step % len(options)]
        yield VOCAB[current]


def prompt_of(body, chat):
    if chat:
        messages = body.get("messages") or []
        users = [m.get("content") for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        text = users[-1] if users else ""
        if isinstance(text, list):  # content parts
            text = " ".join(p.get("text", "") for p in text if isinstance(p, dict))
        return str(text or "")
    prompt = body.get("prompt", "")
    return " ".join(prompt) if isinstance(prompt, list) else str(prompt)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("openai-bigram: " + (fmt % args) + "\n")

    def _json(self, status, obj):
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status, message):
        self._json(status, {"error": {"message": message, "type": "invalid_request_error", "code": None}})

    def do_GET(self):
        if self.path == "/health":
            self._json(200, {"status": "ok"})
        elif self.path == "/v1/models":
            self._json(200, {"object": "list", "data": [
                {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "infera-samples"}]})
        else:
            self._error(404, "no route GET %s" % self.path)

    def do_POST(self):
        chat = self.path == "/v1/chat/completions"
        if not chat and self.path != "/v1/completions":
            return self._error(404, "no route POST %s" % self.path)
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            max_tokens = int(body.get("max_tokens") or body.get("max_completion_tokens") or 16)
            delay = float(body.get("delay", 0))
        except (ValueError, TypeError) as e:
            return self._error(400, "the body is not a valid request: %s" % e)
        if not isinstance(body, dict) or max_tokens < 1:
            return self._error(400, "max_tokens must be at least 1")
        prompt = prompt_of(body, chat)
        tokens = generate(prompt, min(max_tokens, 512))
        ident = ("chatcmpl-" if chat else "cmpl-") + uuid.uuid4().hex[:24]
        created = int(time.time())
        if body.get("stream"):
            self._stream(chat, ident, created, tokens, max_tokens, min(max(delay, 0.0), 2.0))
        else:
            words = list(tokens)
            text = "".join(" " + w for w in words)
            finish = "length" if len(words) == max_tokens else "stop"
            usage = {"prompt_tokens": len(WORD.findall(prompt.lower())), "completion_tokens": len(words)}
            usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
            choice = ({"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}
                      if chat else {"index": 0, "text": text, "logprobs": None, "finish_reason": finish})
            self._json(200, {"id": ident, "object": "chat.completion" if chat else "text_completion",
                             "created": created, "model": MODEL_ID, "choices": [choice], "usage": usage})

    def _stream(self, chat, ident, created, tokens, max_tokens, delay):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        kind = "chat.completion.chunk" if chat else "text_completion"

        def send(payload):
            data = ("data: %s\n\n" % payload).encode("utf-8")
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def chunk(delta, finish=None):
            choice = ({"index": 0, "delta": delta, "finish_reason": finish} if chat
                      else {"index": 0, "text": delta.get("content", ""), "logprobs": None, "finish_reason": finish})
            send(json.dumps({"id": ident, "object": kind, "created": created, "model": MODEL_ID, "choices": [choice]}))

        if chat:
            chunk({"role": "assistant", "content": ""})
        count = 0
        for word in tokens:
            chunk({"content": " " + word})
            count += 1
            if delay:
                time.sleep(delay)
        chunk({}, "length" if count == max_tokens else "stop")
        send("[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def main():
    port = int(os.environ.get("PORT") or os.environ["INFERA_PORT"])
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    sys.stderr.write("openai-bigram: %d words, listening on 127.0.0.1:%d\n" % (len(VOCAB), port))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    main()
