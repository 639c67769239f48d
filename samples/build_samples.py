#!/usr/bin/python3
"""Build Infera's sample ModelArts model packages from data shipped with Debian's scikit-learn.

Run with Debian's interpreter (it has python3-sklearn, python3-xgboost, python3-torch, ...):

    /usr/bin/python3 samples/build_samples.py [--out samples/build] [--only NAME ...]

Writes, under --out:

    sklearn_iris/model/{config.json, customize_service.py, sklearn.m}
    xgboost_iris/model/{config.json, customize_service.py, xgboost.m}
    pytorch_digits/model/{config.json, customize_service.py, mnist_mlp.pt, label.json}
    token_stream/model/{config.json, customize_service.py, bigram.pt}   streams tokens as SSE
    openai_bigram/model/{config.json, server.py, bigram.json}   custom engine with the OpenAI API
    onnx_iris/model/{config.json, iris_mlp.onnx}          Iris MLP (PyTorch) exported to ONNX
    onnx_digits/model/{config.json, digits_mlp.onnx}      the pytorch_digits network exported to ONNX
    digits_test/<dataset index>_<label>.png      held-out 28x28 grayscale digits
    iris_requests/{single,batch,meta}.json       held-out Iris request bodies (for curl -d @file)
    expected.json                                held-out inputs and the exact expected answers

Everything is deterministic (fixed seeds, one thread) and needs no network. The expected answers
are computed by loading the saved artefacts back the same way each customize_service.py does.
"""

import argparse
import collections
import io
import json
import os
import shutil
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "templates")

IRIS_FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
IRIS_TEST_ROWS = 30
IRIS_SPLIT_SEED = 42

DIGITS_TEST_FRACTION = 0.2
DIGITS_SPLIT_SEED = 20240602
DIGITS_TORCH_SEED = 1234
DIGITS_PNG_COUNT = 40
DIGITS_SIZE = 28

EXPECTED_VERSION = 1


# --------------------------------------------------------------------------------------------
# helpers

def _write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def _copy_template(name, dest_dir):
    shutil.copyfile(os.path.join(TEMPLATES, name, "customize_service.py"),
                    os.path.join(dest_dir, "customize_service.py"))


def _fresh_dir(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)


def _metrics(y_true, y_pred):
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
    # ModelArts metrics are plain numbers (up to 17 decimals); macro averages over the classes.
    return collections.OrderedDict([
        ("f1", round(float(f1_score(y_true, y_pred, average="macro")), 17)),
        ("recall", round(float(recall_score(y_true, y_pred, average="macro")), 17)),
        ("precision", round(float(precision_score(y_true, y_pred, average="macro")), 17)),
        ("accuracy", round(float(accuracy_score(y_true, y_pred)), 17)),
    ])


def _ml_apis(result_type):
    """apis block for the two Iris packages (request/response schema as in the docs' ML example)."""
    row = collections.OrderedDict(
        (name, {"type": "number"}) for name in IRIS_FEATURES)
    return [collections.OrderedDict([
        ("url", "/"),
        ("method", "post"),
        ("request", collections.OrderedDict([
            ("Content-type", "application/json"),
            # The body is {"data": {"req_data": [...]}} (what customize_service.py reads), as in seed 003's
            # mapping example; batch CSV mappings are generated from this schema.
            ("data", {
                "type": "object",
                "properties": {
                    "data": {
                        "type": "object",
                        "properties": {
                            "req_data": {
                                "type": "array",
                                "items": [{"type": "object", "properties": row}],
                            }
                        },
                    }
                },
            }),
        ])),
        ("response", collections.OrderedDict([
            ("Content-type", "application/json"),
            ("data", {
                "type": "object",
                "properties": {
                    "data": {
                        "type": "object",
                        "properties": {
                            "resp_data": {
                                "type": "array",
                                "items": [{
                                    "type": "object",
                                    "properties": {"predictresult": {"type": result_type}},
                                }],
                            }
                        },
                    }
                },
            }),
        ])),
    ])]


# --------------------------------------------------------------------------------------------
# Iris (shared by the scikit-learn and XGBoost samples)

def load_iris_split():
    from sklearn.datasets import load_iris
    from sklearn.model_selection import train_test_split

    iris = load_iris()
    X = iris.data.astype(np.float64)
    y = iris.target.astype(np.int64)
    names = [str(n) for n in iris.target_names]  # setosa, versicolor, virginica
    idx = np.arange(len(y))
    idx_train, idx_test = train_test_split(
        idx, test_size=IRIS_TEST_ROWS, random_state=IRIS_SPLIT_SEED, stratify=y)
    idx_test = np.sort(idx_test)
    return X, y, names, np.sort(idx_train), idx_test


def iris_row(x):
    """One req_data record: the four features in the model's column order."""
    # float(repr) of the dataset's values, e.g. 5.1 -> 5.1; JSON round-trips them exactly.
    return collections.OrderedDict((name, float(v)) for name, v in zip(IRIS_FEATURES, x))


def iris_requests(X, y, idx_test):
    rows = [iris_row(X[i]) for i in idx_test]
    single = {"data": {"req_data": rows[:1]}}
    batch = {"data": {"req_data": rows}}
    # The docs' request with a "meta" block (echoed back by the ML runtime); one row per class.
    first_of_class = [rows[[y[i] for i in idx_test].index(c)] for c in sorted(set(y.tolist()))]
    meta = collections.OrderedDict([
        ("meta", {"uuid": "10eb0091-887f-4839-9929-cbc884f1e20e"}),
        ("data", {"req_data": first_of_class}),
    ])
    return collections.OrderedDict([("single", single), ("batch", batch), ("meta", meta)])


def ml_preprocess(body_bytes):
    """Exactly what both Iris customize_service.py files do with the raw body."""
    json_data = json.loads(body_bytes, object_pairs_hook=collections.OrderedDict)
    list_data = []
    for element in json_data["data"]["req_data"]:
        list_data.append([element[each] for each in element])
    return json_data, list_data


def ml_http_body(json_data, resp_data):
    """What the ModelArts ML runtime sends back: {"data":{"resp_data":...}} (+ echoed meta)."""
    out = collections.OrderedDict()
    if "meta" in json_data:
        out["meta"] = json_data["meta"]
    out["data"] = {"resp_data": resp_data}
    return out


def ml_expected_requests(requests, predict):
    """Run each request body through the package's pre/inference/postprocess logic."""
    result = []
    for name, body in requests.items():
        text = json.dumps(body, ensure_ascii=False)
        json_data, rows = ml_preprocess(text.encode("utf-8"))
        resp_data = [{"predictresult": v} for v in predict(rows)]
        result.append(collections.OrderedDict([
            ("name", name),
            ("method", "POST"),
            ("path", "/"),
            ("content_type", "application/json"),
            ("body_file", "iris_requests/%s.json" % name),
            ("body", body),
            ("body_text", text),
            ("response", ml_http_body(json_data, resp_data)),
        ]))
    return result


def build_sklearn_iris(out, iris, requests):
    from sklearn.linear_model import LogisticRegression
    import joblib

    X, y, names, idx_train, idx_test = iris
    labels = np.array(names, dtype=object)[y].astype(str)  # class names as the targets

    model = LogisticRegression(C=1000.0, max_iter=2000, random_state=0)
    model.fit(X[idx_train], labels[idx_train])  # plain arrays: no feature-name warnings at serve time

    pkg = os.path.join(out, "sklearn_iris", "model")
    _fresh_dir(pkg)
    model_file = os.path.join(pkg, "sklearn.m")
    joblib.dump(model, model_file)
    _copy_template("sklearn_iris", pkg)

    # Score and answer with the artefact read back from disk, as customize_service.py does.
    served = joblib.load(model_file)
    y_pred = served.predict(X[idx_test].tolist()).tolist()
    metrics = _metrics(labels[idx_test].tolist(), y_pred)

    config = collections.OrderedDict([
        ("model_algorithm", "predict_analysis"),
        ("model_type", "Scikit_Learn"),
        ("runtime", "python3.6"),
        ("metrics", metrics),
        ("apis", _ml_apis("string")),
    ])
    _write_json(os.path.join(pkg, "config.json"), config)

    test_rows = [collections.OrderedDict([
        ("index", int(i)), ("features", iris_row(X[i])), ("label", str(labels[i])),
        ("prediction", p)]) for i, p in zip(idx_test, y_pred)]
    return collections.OrderedDict([
        ("package", "sklearn_iris"),
        ("model_dir", "sklearn_iris/model"),
        ("model_type", "Scikit_Learn"),
        ("model_file", "sklearn.m"),
        ("runtime_kind", "ml"),
        ("label_names", names),
        ("metrics", metrics),
        ("train_rows", int(len(idx_train))),
        ("test_rows", test_rows),
        ("requests", ml_expected_requests(
            requests, lambda rows: joblib.load(model_file).predict(rows).tolist())),
    ])


def build_xgboost_iris(out, iris, requests):
    import xgboost as xgb

    X, y, names, idx_train, idx_test = iris
    # The docs' parameters, adapted: no 'silent' (removed from xgboost), one thread, 50 rounds.
    params = {
        "booster": "gbtree",
        "objective": "multi:softmax",
        "num_class": 3,
        "gamma": 0.1,
        "max_depth": 6,
        "lambda": 2,
        "subsample": 0.7,
        "colsample_bytree": 0.7,
        "min_child_weight": 3,
        "verbosity": 0,
        "eta": 0.1,
        "seed": 1000,
        "nthread": 1,
    }
    dtrain = xgb.DMatrix(X[idx_train], label=y[idx_train].astype(np.float32))
    booster = xgb.train(list(params.items()), dtrain, num_boost_round=50)

    pkg = os.path.join(out, "xgboost_iris", "model")
    _fresh_dir(pkg)
    model_file = os.path.join(pkg, "xgboost.m")
    # xgboost picks the format from the extension; for ".m" 1.7 would write its deprecated binary
    # format. Write the JSON model instead: Booster(model_file=...) recognises it by content in
    # every xgboost from 1.0 on, including versions that no longer read the old binary format.
    with open(model_file, "wb") as f:
        f.write(booster.save_raw("json"))
    _copy_template("xgboost_iris", pkg)

    def predict(rows):
        served = xgb.Booster(model_file=model_file)
        return served.predict(xgb.DMatrix(rows)).tolist()

    y_pred = predict(X[idx_test].tolist())
    metrics = _metrics(y[idx_test].tolist(), [int(v) for v in y_pred])

    config = collections.OrderedDict([
        ("model_algorithm", "predict_analysis"),
        ("model_type", "XGBoost"),
        ("runtime", "python3.6"),
        ("metrics", metrics),
        ("apis", _ml_apis("number")),
    ])
    _write_json(os.path.join(pkg, "config.json"), config)

    test_rows = [collections.OrderedDict([
        ("index", int(i)), ("features", iris_row(X[i])), ("label", float(y[i])),
        ("label_name", names[int(y[i])]), ("prediction", p)]) for i, p in zip(idx_test, y_pred)]
    return collections.OrderedDict([
        ("package", "xgboost_iris"),
        ("model_dir", "xgboost_iris/model"),
        ("model_type", "XGBoost"),
        ("model_file", "xgboost.m"),
        ("runtime_kind", "ml"),
        ("label_names", names),
        ("metrics", metrics),
        ("train_rows", int(len(idx_train))),
        ("test_rows", test_rows),
        ("requests", ml_expected_requests(requests, predict)),
    ])


# --------------------------------------------------------------------------------------------
# Digits (PyTorch)

def digit_image(pixels8x8):
    """8x8 scikit-learn digit (0..16) -> 28x28 grayscale PIL image (0..255), white ink on black."""
    from PIL import Image
    a = np.clip(np.rint(np.asarray(pixels8x8, dtype=np.float64) * (255.0 / 16.0)), 0, 255)
    small = Image.fromarray(a.astype(np.uint8).reshape(8, 8), mode="L")
    return small.resize((DIGITS_SIZE, DIGITS_SIZE), Image.BILINEAR)


def _load_service_module(path, name):
    """Import a package's customize_service.py only for its Net class (no model_service needed)."""
    import ast
    import types
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    keep = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Net"]
    mod = types.ModuleType(name)
    exec("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n", mod.__dict__)
    exec(compile(ast.Module(body=keep, type_ignores=[]), path, "exec"), mod.__dict__)
    return mod


def build_pytorch_digits(out):
    import torch
    import torch.nn.functional as F
    import torchvision.transforms as transforms
    from PIL import Image
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    pkg = os.path.join(out, "pytorch_digits", "model")
    _fresh_dir(pkg)
    _copy_template("pytorch_digits", pkg)
    # The network is defined once, in the package's customize_service.py; train that very class.
    Net = _load_service_module(os.path.join(pkg, "customize_service.py"), "_digits_net").Net

    # Same transform the service applies to uploaded images.
    infer_transformation = transforms.Compose([
        transforms.Resize((DIGITS_SIZE, DIGITS_SIZE)),
        transforms.ToTensor(),
    ])

    digits = load_digits()
    y = digits.target.astype(np.int64)
    idx = np.arange(len(y))
    idx_train, idx_test = train_test_split(
        idx, test_size=DIGITS_TEST_FRACTION, random_state=DIGITS_SPLIT_SEED, stratify=y)
    idx_test = np.sort(idx_test)

    # Training inputs go through the same image pipeline as served PNGs.
    X = torch.stack([infer_transformation(digit_image(digits.data[i])) for i in idx])
    Y = torch.from_numpy(y)

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        torch.manual_seed(DIGITS_TORCH_SEED)
        gen = torch.Generator().manual_seed(DIGITS_TORCH_SEED)
        model = Net()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        tr = torch.from_numpy(idx_train)
        for _epoch in range(15):
            model.train()
            perm = tr[torch.randperm(len(tr), generator=gen)]
            for start in range(0, len(perm), 32):
                b = perm[start:start + 32]
                optimizer.zero_grad()
                loss = F.nll_loss(model(X[b]), Y[b])
                loss.backward()
                optimizer.step()
        model.eval()
        model_file = os.path.join(pkg, "mnist_mlp.pt")
        torch.save(model.state_dict(), model_file)
        _write_json(os.path.join(pkg, "label.json"), list(range(10)))

        # Reload as the service does and score the whole held-out set.
        served = Net()
        served.load_state_dict(torch.load(model_file, map_location=torch.device("cpu")))
        served.eval()
        with torch.no_grad():
            test_pred = served(X[torch.from_numpy(idx_test)]).argmax(dim=1).tolist()
        metrics = _metrics(y[idx_test].tolist(), test_pred)

        # Held-out PNGs for clients; answers computed from the files read back from disk.
        png_dir = os.path.join(out, "digits_test")
        _fresh_dir(png_dir)
        files = []
        for i in idx_test[:DIGITS_PNG_COUNT]:
            fname = "%04d_%d.png" % (i, y[i])
            digit_image(digits.data[i]).save(os.path.join(png_dir, fname), format="PNG")
            files.append((int(i), int(y[i]), fname))

        with open(os.path.join(pkg, "label.json")) as f:
            label = json.load(f)

        def serve(fnames):
            """_preprocess + _inference + _postprocess of customize_service.py for one request."""
            batch = []
            for fname in fnames:
                with open(os.path.join(png_dir, fname), "rb") as f:
                    content = io.BytesIO(f.read())
                with Image.open(content) as image1:
                    batch.append(infer_transformation(image1.convert("L")))
            with torch.no_grad():
                out_t = served(torch.stack(batch, dim=0))
            return [{"images": label[int(torch.argmax(row))]} for row in out_t]

        test_images = []
        for i, lab, fname in files:
            pred = serve([fname])[0]["images"]
            test_images.append(collections.OrderedDict([
                ("index", i), ("file", "digits_test/" + fname), ("label", lab),
                ("prediction", pred)]))
        batch_resp = serve([f for _, _, f in files])
        for t, r in zip(test_images, batch_resp):
            if t["prediction"] != r["images"]:
                raise SystemExit("batch and single predictions differ for %s" % t["file"])
    finally:
        torch.set_num_threads(threads)

    config = collections.OrderedDict([
        ("model_algorithm", "image_classification"),
        ("model_type", "PyTorch"),
        ("runtime", "python3.7"),
        ("metrics", metrics),
        ("apis", [collections.OrderedDict([
            ("url", "/"),
            ("method", "post"),
            ("request", collections.OrderedDict([
                ("Content-type", "multipart/form-data"),
                ("data", {"type": "object", "properties": {"images": {"type": "file"}}}),
            ])),
            ("response", collections.OrderedDict([
                ("Content-type", "application/json"),
                ("data", {
                    "type": "array",
                    "items": [{
                        "type": "object",
                        "properties": {"images": {"type": "integer"}},
                    }],
                }),
            ])),
        ])]),
    ])
    _write_json(os.path.join(pkg, "config.json"), config)

    first = test_images[0]
    requests = [
        collections.OrderedDict([
            ("name", "single"), ("method", "POST"), ("path", "/"),
            ("content_type", "multipart/form-data"),
            ("files", [{"field": "images", "file": first["file"]}]),
            ("response", [{"images": first["prediction"]}]),
        ]),
        collections.OrderedDict([
            ("name", "batch"), ("method", "POST"), ("path", "/"),
            ("content_type", "multipart/form-data"),
            ("files", [{"field": "images", "file": t["file"]} for t in test_images]),
            ("response", batch_resp),
        ]),
    ]
    return collections.OrderedDict([
        ("package", "pytorch_digits"),
        ("model_dir", "pytorch_digits/model"),
        ("model_type", "PyTorch"),
        ("model_file", "mnist_mlp.pt"),
        ("runtime_kind", "dl"),
        ("label_names", label),
        ("metrics", metrics),
        ("train_rows", int(len(idx_train))),
        ("held_out_rows", int(len(idx_test))),
        ("test_images", test_images),
        ("requests", requests),
    ])


# --------------------------------------------------------------------------------------------
# token_stream: a streaming (Server-Sent Events) text generator

TOKEN_STREAM_TOP_K = 3


def token_stream_generate(successors, vocab, prompt, max_tokens):
    """The tokens TokenStreamService yields for a prompt (mirrors its customize_service.py)."""
    import re
    index = {w: i for i, w in enumerate(vocab)}
    words = re.findall(r"[a-z]+", prompt.lower())
    current = next((index[w] for w in reversed(words) if w in index), index["the"])
    tokens = []
    for step in range(max_tokens):
        options = [int(x) for x in successors[current] if int(x) >= 0]
        if not options:
            break
        current = options[step % len(options)]
        tokens.append(vocab[current])
    return tokens


def _bigram():
    """Word-bigram model of the dataset descriptions Debian's scikit-learn ships: vocabulary and top successors."""
    import re
    import sklearn.datasets
    descr = os.path.join(os.path.dirname(sklearn.datasets.__file__), "descr")
    text = ""
    for name in sorted(os.listdir(descr)):
        if name.endswith(".rst"):
            with open(os.path.join(descr, name), encoding="utf-8") as f:
                text += f.read().lower() + "\n"
    words = re.findall(r"[a-z]+", text)
    vocab = sorted(set(words))
    index = {w: i for i, w in enumerate(vocab)}
    counts = collections.defaultdict(collections.Counter)
    for a, b in zip(words, words[1:]):
        counts[index[a]][index[b]] += 1
    successors = [[] for _ in vocab]
    for a, following in counts.items():
        best = sorted(following.items(), key=lambda kv: (-kv[1], kv[0]))[:TOKEN_STREAM_TOP_K]
        successors[a] = [b for b, _ in best]
    return vocab, successors


def build_token_stream(out):
    import torch
    vocab, top = _bigram()
    successors = torch.full((len(vocab), TOKEN_STREAM_TOP_K), -1, dtype=torch.long)
    for a, row in enumerate(top):
        for j, b in enumerate(row):
            successors[a, j] = b
    model_dir = os.path.join(out, "token_stream", "model")
    _fresh_dir(model_dir)
    torch.save({"vocab": vocab, "successors": successors}, os.path.join(model_dir, "bigram.pt"))
    _copy_template("token_stream", model_dir)
    _write_json(os.path.join(model_dir, "config.json"), collections.OrderedDict([
        ("model_type", "PyTorch"),
        ("model_algorithm", "text_generation"),
        ("runtime", "python3.7"),
        ("apis", [collections.OrderedDict([
            ("url", "/"), ("method", "post"),
            ("request", {"Content-type": "application/json", "data": {"type": "object", "properties": {
                "prompt": {"type": "string"}, "max_tokens": {"type": "integer"}, "delay": {"type": "number"}}}}),
            ("response", {"Content-type": "text/event-stream", "data": {"type": "object", "properties": {
                "index": {"type": "integer"}, "token": {"type": "string"}, "done": {"type": "boolean"}}}}),
        ])]),
    ]))
    prompt = "the iris dataset"
    return collections.OrderedDict([
        ("model_dir", "token_stream/model"),
        ("model_type", "PyTorch"),
        ("model_file", "bigram.pt"),
        ("vocabulary", len(vocab)),
        ("request", {"prompt": prompt, "max_tokens": 8, "delay": 0.05}),
        ("tokens", token_stream_generate(successors, vocab, prompt, 8)),
    ])


def _openai_api(url, method, request, response_type):
    api = collections.OrderedDict([("url", url), ("method", method)])
    if request is not None:
        api["request"] = {"Content-type": "application/json", "data": request}
    api["response"] = {"Content-type": response_type, "data": {"type": "object"}}
    return api


def build_openai_bigram(out):
    """A custom-engine model that speaks the OpenAI API (chat completions, completions, models) over the same bigram."""
    vocab, successors = _bigram()
    model_dir = os.path.join(out, "openai_bigram", "model")
    _fresh_dir(model_dir)
    shutil.copyfile(os.path.join(TEMPLATES, "openai_bigram", "server.py"), os.path.join(model_dir, "server.py"))
    with open(os.path.join(model_dir, "bigram.json"), "w", encoding="utf-8") as f:
        json.dump({"vocab": vocab, "successors": successors}, f, separators=(",", ":"))
    message = {"type": "object", "properties": {"role": {"type": "string"}, "content": {"type": "string"}}}
    _write_json(os.path.join(model_dir, "config.json"), collections.OrderedDict([
        ("model_type", "Custom"),
        ("model_algorithm", "text_generation"),
        ("cmd", "python3 server.py"),
        ("apis", [
            _openai_api("/v1/chat/completions", "post", {"type": "object", "properties": {
                "model": {"type": "string"}, "messages": {"type": "array", "items": message},
                "max_tokens": {"type": "integer"}, "stream": {"type": "boolean"}}}, "text/event-stream"),
            _openai_api("/v1/completions", "post", {"type": "object", "properties": {
                "model": {"type": "string"}, "prompt": {"type": "string"},
                "max_tokens": {"type": "integer"}, "stream": {"type": "boolean"}}}, "application/json"),
            _openai_api("/v1/models", "get", None, "application/json"),
        ]),
    ]))
    prompt = "Tell me about the iris dataset"
    # The words generate() in server.py yields for the prompt (its last known word is "dataset").
    index = {w: i for i, w in enumerate(vocab)}
    import re
    current = next((index[w] for w in reversed(re.findall(r"[a-z]+", prompt.lower())) if w in index), index["the"])
    tokens = []
    for step in range(8):
        options = successors[current]
        if not options:
            break
        current = options[step % len(options)]
        tokens.append(vocab[current])
    return collections.OrderedDict([
        ("model_dir", "openai_bigram/model"),
        ("model_type", "Custom"),
        ("model", "bigram"),
        ("prompt", prompt),
        ("max_tokens", 8),
        ("tokens", tokens),
    ])


# --------------------------------------------------------------------------------------------
# ONNX: an Iris MLP and the digits network, exported with torch.onnx (checked with Debian's python3-onnx)

IRIS_MLP_SEED = 7
ONNX_OPSET = 13


def _export_onnx(model, example, path, input_name, output_name):
    """Export with a dynamic batch dimension and check the file with the onnx package."""
    import onnx
    import torch
    model.eval()
    torch.onnx.export(
        model, example, path, input_names=[input_name], output_names=[output_name],
        dynamic_axes={input_name: {0: "batch"}, output_name: {0: "batch"}},
        opset_version=ONNX_OPSET, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def _floats(tensor_row):
    """A float32 tensor row as JSON numbers that read back as the same float32 values."""
    return [float(v) for v in tensor_row.tolist()]


def build_onnx_iris(out, iris):
    import torch
    import torch.nn as nn

    X, y, names, idx_train, idx_test = iris
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        torch.manual_seed(IRIS_MLP_SEED)
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3), nn.Softmax(dim=1))
        xs = torch.tensor(X[idx_train], dtype=torch.float32)
        ys = torch.tensor(y[idx_train], dtype=torch.long)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        for _epoch in range(400):
            optimizer.zero_grad()
            # Softmax is part of the exported graph; train on its log.
            loss = nn.functional.nll_loss(torch.log(model(xs) + 1e-12), ys)
            loss.backward()
            optimizer.step()
        model.eval()
        pkg = os.path.join(out, "onnx_iris", "model")
        _fresh_dir(pkg)
        model_file = os.path.join(pkg, "iris_mlp.onnx")
        _export_onnx(model, torch.zeros(1, 4), model_file, "input", "probabilities")
        with torch.no_grad():
            probabilities = model(torch.tensor(X[idx_test], dtype=torch.float32))
    finally:
        torch.set_num_threads(threads)

    predictions = probabilities.argmax(dim=1).tolist()
    metrics = _metrics(y[idx_test].tolist(), predictions)
    config = collections.OrderedDict([
        ("model_type", "ONNX"),
        ("model_algorithm", "predict_analysis"),
        ("metrics", metrics),
        # The req_data records' fields, in the order of the input tensor's elements; apis are generated at import.
        ("feature_order", collections.OrderedDict([("input", "input"), ("fields", IRIS_FEATURES)])),
    ])
    _write_json(os.path.join(pkg, "config.json"), config)
    rows = [collections.OrderedDict([
        ("index", int(i)), ("features", iris_row(X[i])), ("label", names[int(y[i])]),
        ("outputs", _floats(p)), ("prediction", names[int(k)])])
        for i, p, k in zip(idx_test, probabilities, predictions)]
    return collections.OrderedDict([
        ("model_dir", "onnx_iris/model"),
        ("model_type", "ONNX"),
        ("model_file", "iris_mlp.onnx"),
        ("input", {"name": "input", "datatype": "FP32", "shape": [-1, 4]}),
        ("output", {"name": "probabilities", "datatype": "FP32", "shape": [-1, 3]}),
        ("feature_order", IRIS_FEATURES),
        ("label_names", names),
        ("metrics", metrics),
        ("tolerance", 1e-5),
        ("rows", rows),
    ])


def build_onnx_digits(out):
    """Export the trained pytorch_digits network; inputs are the held-out PNGs read back as the service reads them."""
    import torch
    import torchvision.transforms as transforms
    from PIL import Image

    src = os.path.join(out, "pytorch_digits", "model")
    Net = _load_service_module(os.path.join(src, "customize_service.py"), "_digits_net_onnx").Net
    model = Net()
    model.load_state_dict(torch.load(os.path.join(src, "mnist_mlp.pt"), map_location=torch.device("cpu")))
    model.eval()
    pkg = os.path.join(out, "onnx_digits", "model")
    _fresh_dir(pkg)
    model_file = os.path.join(pkg, "digits_mlp.onnx")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        _export_onnx(model, torch.zeros(1, 1, DIGITS_SIZE, DIGITS_SIZE), model_file, "images", "log_probs")
        transform = transforms.Compose([transforms.Resize((DIGITS_SIZE, DIGITS_SIZE)), transforms.ToTensor()])
        png_dir = os.path.join(out, "digits_test")
        images = []
        for fname in sorted(os.listdir(png_dir)):
            with Image.open(os.path.join(png_dir, fname)) as image:
                images.append((fname, transform(image.convert("L"))))
        with torch.no_grad():
            log_probs = model(torch.stack([t for _, t in images]))
    finally:
        torch.set_num_threads(threads)

    config = collections.OrderedDict([
        ("model_type", "ONNX"),
        ("model_algorithm", "image_classification"),
        # Concurrent requests are stacked into one run of up to 32 images (see runtimes/README.md).
        ("dynamic_batching", collections.OrderedDict([
            ("max_batch_size", 32), ("max_queue_delay_microseconds", 1000)])),
    ])
    _write_json(os.path.join(pkg, "config.json"), config)
    entries = []
    for (fname, tensor), row in zip(images, log_probs):
        index, label = (int(part) for part in fname[:-len(".png")].split("_"))
        entries.append(collections.OrderedDict([
            ("file", "digits_test/" + fname), ("index", index), ("label", label),
            ("input", _floats(tensor.reshape(-1))), ("outputs", _floats(row)),
            ("prediction", int(row.argmax()))]))
    return collections.OrderedDict([
        ("model_dir", "onnx_digits/model"),
        ("model_type", "ONNX"),
        ("model_file", "digits_mlp.onnx"),
        ("input", {"name": "images", "datatype": "FP32", "shape": [-1, 1, DIGITS_SIZE, DIGITS_SIZE]}),
        ("output", {"name": "log_probs", "datatype": "FP32", "shape": [-1, 10]}),
        ("tolerance", 1e-5),
        ("images", entries),
    ])


# --------------------------------------------------------------------------------------------

SAMPLES = ("sklearn_iris", "xgboost_iris", "pytorch_digits")
ONNX_SAMPLES = ("onnx_iris", "onnx_digits")
EXTRA_SAMPLES = ("token_stream", "openai_bigram") + ONNX_SAMPLES


def build(out, only=None):
    only = list(only or SAMPLES + EXTRA_SAMPLES)
    if "onnx_digits" in only and "pytorch_digits" not in only:
        only.append("pytorch_digits")  # onnx_digits exports the trained pytorch_digits network
    out = os.path.abspath(out)
    os.makedirs(out, exist_ok=True)
    started = time.monotonic()
    samples = collections.OrderedDict()
    iris = None
    if "sklearn_iris" in only or "xgboost_iris" in only:
        iris = load_iris_split()
        requests = iris_requests(iris[0], iris[1], iris[4])
        req_dir = os.path.join(out, "iris_requests")
        _fresh_dir(req_dir)
        for name, body in requests.items():
            _write_json(os.path.join(req_dir, name + ".json"), body)
        if "sklearn_iris" in only:
            samples["sklearn_iris"] = build_sklearn_iris(out, iris, requests)
        if "xgboost_iris" in only:
            samples["xgboost_iris"] = build_xgboost_iris(out, iris, requests)
    if "pytorch_digits" in only:
        samples["pytorch_digits"] = build_pytorch_digits(out)

    expected = collections.OrderedDict([
        ("version", EXPECTED_VERSION),
        ("generator", "samples/build_samples.py"),
        ("samples", samples),
    ])
    streaming = collections.OrderedDict()
    if "token_stream" in only:
        # Not classifiers (no metrics), so they are listed apart from the three samples above.
        streaming["token_stream"] = build_token_stream(out)
    if "openai_bigram" in only:
        streaming["openai_bigram"] = build_openai_bigram(out)
    if streaming:
        expected["streaming"] = streaming
    onnx_samples = collections.OrderedDict()
    if "onnx_iris" in only:
        onnx_samples["onnx_iris"] = build_onnx_iris(out, iris or load_iris_split())
    if "onnx_digits" in only:
        onnx_samples["onnx_digits"] = build_onnx_digits(out)
    if onnx_samples:
        # ONNX exports of PyTorch models: "outputs" are the PyTorch outputs, which ONNX Runtime must match within "tolerance".
        expected["onnx"] = onnx_samples
    _write_json(os.path.join(out, "expected.json"), expected)
    for name, s in samples.items():
        m = s["metrics"]
        print("%-15s accuracy=%.4f f1=%.4f  -> %s" % (
            name, m["accuracy"], m["f1"], os.path.join(out, s["model_dir"])))
    print("expected answers -> %s (%.1f s)" % (
        os.path.join(out, "expected.json"), time.monotonic() - started))
    return expected


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=os.path.join(HERE, "build"),
                   help="output folder (default: samples/build)")
    p.add_argument("--only", nargs="+", choices=SAMPLES + EXTRA_SAMPLES, help="build only these samples")
    args = p.parse_args(argv)
    build(args.out, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
