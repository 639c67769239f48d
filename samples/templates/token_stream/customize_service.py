# A streaming text generator: a word-bigram language model (top successors per word, a torch
# tensor built by samples/build_samples.py from the dataset descriptions that ship with
# scikit-learn) that answers with Server-Sent Events, one event per generated token.
#
# Returning a generator from inference() makes the Infera worker answer `text/event-stream`
# and send each yielded item as its own event as soon as it is yielded (runtimes/python/README.md).
import json
import os
import re
import time

import torch

from model_service.pytorch_model_service import PTServingBaseService


class TokenStreamService(PTServingBaseService):
    def __init__(self, model_name, model_path):
        self.model_name = model_name
        self.model_path = model_path
        folder = os.path.dirname(model_path)
        state = torch.load(os.path.join(folder, "bigram.pt"))
        self.successors = state["successors"]        # LongTensor [vocab, k], -1 = none
        self.vocab = state["vocab"]
        self.index = {word: i for i, word in enumerate(self.vocab)}

    def inference(self, data):
        prompt = str(data.get("prompt", "the"))
        max_tokens = max(1, min(int(data.get("max_tokens", 16)), 256))
        delay = max(0.0, min(float(data.get("delay", 0.05)), 2.0))
        words = re.findall(r"[a-z]+", prompt.lower())
        current = next((self.index[w] for w in reversed(words) if w in self.index), self.index["the"])
        return self._generate(current, max_tokens, delay)

    def _generate(self, current, max_tokens, delay):
        for step in range(max_tokens):
            row = self.successors[current]
            options = row[row >= 0]
            if options.numel() == 0:
                break
            # Deterministic, and cycles less than always taking the most frequent successor.
            current = int(options[step % options.numel()])
            yield {"index": step, "token": self.vocab[current]}
            if delay:
                time.sleep(delay)
        yield {"done": True}
