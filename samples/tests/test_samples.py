"""Builds the sample packages into a temporary folder and checks them.

    /usr/bin/python3 -m unittest discover -s samples/tests

Checks: the package layout, held-out accuracy, that expected.json agrees with predictions
recomputed straight from the saved artefacts, that the build is deterministic, that each
customize_service.py returns the expected answers in process, and (when
runtimes/python/infera_worker.py exists) over HTTP through the worker. For the ONNX exports: that
they pass onnx.checker with a dynamic batch dimension, that expected.json holds the PyTorch
outputs, and (when the .NET ONNX worker is built) that ONNX Runtime answers them within 1e-5.
"""

import collections
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

BUILD_SCRIPT = os.path.join(harness.SAMPLES_DIR, "build_samples.py")
MIN_ACCURACY = {"sklearn_iris": 0.9, "xgboost_iris": 0.9, "pytorch_digits": 0.9}
BUILD_TIMEOUT = 120


def _build(out):
    start = time.monotonic()
    proc = subprocess.run([harness.PYTHON, BUILD_SCRIPT, "--out", out],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=BUILD_TIMEOUT)
    if proc.returncode != 0:
        raise AssertionError("build failed:\n" + proc.stdout.decode("utf-8", "replace"))
    return time.monotonic() - start


def _digest_tree(root):
    result = {}
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            if f.endswith(".log") or "__pycache__" in dirpath:
                continue
            path = os.path.join(dirpath, f)
            with open(path, "rb") as fh:
                result[os.path.relpath(path, root)] = hashlib.sha256(fh.read()).hexdigest()
    return result


class SamplesTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="infera-samples-")
        cls.out = os.path.join(cls.tmp, "build")
        cls.build_seconds = _build(cls.out)
        with open(os.path.join(cls.out, "expected.json"), encoding="utf-8") as f:
            cls.expected = json.load(f, object_pairs_hook=collections.OrderedDict)
        cls.samples = cls.expected["samples"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_build_produces_the_three_packages(self):
        self.assertEqual(list(self.samples), ["sklearn_iris", "xgboost_iris", "pytorch_digits"])
        for name, s in self.samples.items():
            model_dir = os.path.join(self.out, s["model_dir"])
            for f in ("config.json", "customize_service.py", s["model_file"]):
                self.assertTrue(os.path.isfile(os.path.join(model_dir, f)), (name, f))
            with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
                config = json.load(f)
            self.assertEqual(config["model_type"], s["model_type"])
            self.assertEqual(config["metrics"], s["metrics"])
            self.assertEqual(config["apis"][0]["url"], "/")
        self.assertTrue(os.path.isfile(os.path.join(self.out, "pytorch_digits", "model",
                                                    "label.json")))
        pngs = sorted(os.listdir(os.path.join(self.out, "digits_test")))
        self.assertEqual(len(pngs), 40)
        self.assertEqual(pngs, sorted(os.path.basename(t["file"])
                                      for t in self.samples["pytorch_digits"]["test_images"]))
        for name in ("single", "batch", "meta"):
            self.assertTrue(os.path.isfile(os.path.join(self.out, "iris_requests",
                                                        name + ".json")))

    def test_build_is_fast(self):
        self.assertLess(self.build_seconds, 60)

    def test_held_out_accuracy_meets_thresholds(self):
        for name, minimum in MIN_ACCURACY.items():
            self.assertGreaterEqual(self.samples[name]["metrics"]["accuracy"], minimum, name)

    def test_sklearn_expected_matches_recomputation(self):
        import joblib
        s = self.samples["sklearn_iris"]
        model = joblib.load(os.path.join(self.out, s["model_dir"], s["model_file"]))
        rows = [list(r["features"].values()) for r in s["test_rows"]]
        predictions = model.predict(rows).tolist()
        self.assertEqual(predictions, [r["prediction"] for r in s["test_rows"]])
        correct = sum(p == r["label"] for p, r in zip(predictions, s["test_rows"]))
        self.assertAlmostEqual(correct / len(rows), s["metrics"]["accuracy"])
        self.assertTrue(set(predictions) <= set(s["label_names"]))

    def test_xgboost_expected_matches_recomputation(self):
        import xgboost as xgb
        s = self.samples["xgboost_iris"]
        booster = xgb.Booster(model_file=os.path.join(self.out, s["model_dir"], s["model_file"]))
        rows = [list(r["features"].values()) for r in s["test_rows"]]
        predictions = booster.predict(xgb.DMatrix(rows)).tolist()
        self.assertEqual(predictions, [r["prediction"] for r in s["test_rows"]])
        correct = sum(p == r["label"] for p, r in zip(predictions, s["test_rows"]))
        self.assertAlmostEqual(correct / len(rows), s["metrics"]["accuracy"])

    def test_pytorch_expected_matches_recomputation(self):
        import torch
        import torchvision.transforms as transforms
        from PIL import Image
        sys.path.insert(0, harness.SAMPLES_DIR)
        import build_samples
        s = self.samples["pytorch_digits"]
        model_dir = os.path.join(self.out, s["model_dir"])
        net = build_samples._load_service_module(
            os.path.join(model_dir, "customize_service.py"), "_test_digits_net").Net()
        net.load_state_dict(torch.load(os.path.join(model_dir, s["model_file"]),
                                       map_location=torch.device("cpu")))
        net.eval()
        transform = transforms.Compose([transforms.Resize((28, 28)), transforms.ToTensor()])
        with open(os.path.join(model_dir, "label.json")) as f:
            label = json.load(f)
        self.assertEqual(label, list(range(10)))
        for t in s["test_images"]:
            with Image.open(os.path.join(self.out, t["file"])) as image:
                self.assertEqual(image.size, (28, 28))
                x = transform(image.convert("L")).unsqueeze(0)
            with torch.no_grad():
                self.assertEqual(label[int(net(x).argmax(dim=1))], t["prediction"], t["file"])
            index, digit = os.path.basename(t["file"])[:-4].split("_")
            self.assertEqual((int(index), int(digit)), (t["index"], t["label"]))

    def test_expected_responses_are_consistent_with_test_rows(self):
        for name in ("sklearn_iris", "xgboost_iris"):
            s = self.samples[name]
            batch = [r for r in s["requests"] if r["name"] == "batch"][0]
            self.assertEqual(json.loads(batch["body_text"]), batch["body"])
            self.assertEqual(batch["response"], {"data": {"resp_data": [
                {"predictresult": r["prediction"]} for r in s["test_rows"]]}})
            meta = [r for r in s["requests"] if r["name"] == "meta"][0]
            self.assertEqual(meta["response"]["meta"], meta["body"]["meta"])
            with open(os.path.join(self.out, batch["body_file"]), encoding="utf-8") as f:
                self.assertEqual(json.load(f), batch["body"])
        s = self.samples["pytorch_digits"]
        batch = [r for r in s["requests"] if r["name"] == "batch"][0]
        self.assertEqual(batch["response"], [{"images": t["prediction"]}
                                             for t in s["test_images"]])

    def test_build_is_deterministic(self):
        again = os.path.join(self.tmp, "again")
        _build(again)
        self.assertEqual(_digest_tree(again), _digest_tree(self.out))

    def test_customize_services_answer_as_expected_in_process(self):
        failures = harness.check_in_process(self.out, self.expected)
        self.assertEqual(failures, [])

    def test_onnx_exports_pass_the_checker_with_a_dynamic_batch_dimension(self):
        import onnx
        onnx_samples = self.expected["onnx"]
        self.assertEqual(list(onnx_samples), ["onnx_iris", "onnx_digits"])
        for name, s in onnx_samples.items():
            model_dir = os.path.join(self.out, s["model_dir"])
            self.assertEqual(sorted(os.listdir(model_dir)), ["config.json", s["model_file"]], name)
            model = onnx.load(os.path.join(model_dir, s["model_file"]))
            onnx.checker.check_model(model)
            (graph_input,) = model.graph.input
            (graph_output,) = model.graph.output
            self.assertEqual(graph_input.name, s["input"]["name"])
            self.assertEqual(graph_output.name, s["output"]["name"])
            for value in (graph_input, graph_output):
                dims = value.type.tensor_type.shape.dim
                self.assertEqual(dims[0].dim_param, "batch", name)
            shape = [d.dim_value for d in graph_input.type.tensor_type.shape.dim[1:]]
            self.assertEqual(shape, s["input"]["shape"][1:], name)
            with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
                self.assertEqual(json.load(f)["model_type"], "ONNX")
        self.assertGreaterEqual(onnx_samples["onnx_iris"]["metrics"]["accuracy"], 0.9)

    def test_onnx_expected_outputs_are_the_pytorch_outputs(self):
        import onnx
        import torch
        from onnx import numpy_helper
        sys.path.insert(0, harness.SAMPLES_DIR)
        import build_samples
        # Digits: the pytorch_digits network itself on the expected inputs (the PNGs as the service reads them).
        s = self.expected["onnx"]["onnx_digits"]
        src = os.path.join(self.out, "pytorch_digits", "model")
        net = build_samples._load_service_module(os.path.join(src, "customize_service.py"), "_test_onnx_net").Net()
        net.load_state_dict(torch.load(os.path.join(src, "mnist_mlp.pt"), map_location=torch.device("cpu")))
        net.eval()
        images = torch.tensor([t["input"] for t in s["images"]], dtype=torch.float32).reshape(-1, 1, 28, 28)
        with torch.no_grad():
            outputs = net(images)
        for t, row in zip(s["images"], outputs):
            self.assertEqual([float(v) for v in row.tolist()], t["outputs"], t["file"])
            self.assertEqual(int(row.argmax()), t["prediction"])
        # Iris: a PyTorch MLP rebuilt from the exported weights gives the expected outputs.
        s = self.expected["onnx"]["onnx_iris"]
        model = onnx.load(os.path.join(self.out, s["model_dir"], s["model_file"]))
        weights = [torch.from_numpy(numpy_helper.to_array(t).copy()) for t in model.graph.initializer]
        layers = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3), torch.nn.Softmax(dim=1))
        by_shape = {tuple(w.shape): w for w in weights}
        with torch.no_grad():
            for layer in (layers[0], layers[2]):
                layer.weight.copy_(by_shape[tuple(layer.weight.shape)])
                layer.bias.copy_(by_shape[tuple(layer.bias.shape)])
            rows = torch.tensor([list(r["features"].values()) for r in s["rows"]], dtype=torch.float32)
            recomputed = layers(rows)
        for r, row in zip(s["rows"], recomputed):
            for a, b in zip(row.tolist(), r["outputs"]):
                self.assertAlmostEqual(a, b, delta=1e-6)

    @unittest.skipUnless(harness.onnx_worker(), "the .NET ONNX worker is not built (dotnet build src/Infera.Onnx.Worker)")
    def test_onnx_runtime_answers_the_pytorch_outputs_within_1e_5(self):
        tolerance = 1e-5
        for name, s in self.expected["onnx"].items():
            entries = s["rows"] if name == "onnx_iris" else s["images"]
            inputs = [list(e["features"].values()) if name == "onnx_iris" else e["input"] for e in entries]
            shape = [len(inputs)] + s["input"]["shape"][1:]
            body = json.dumps({"inputs": [{"name": s["input"]["name"], "shape": shape, "datatype": "FP32",
                                           "data": [v for row in inputs for v in row]}]}).encode("utf-8")
            log_path = os.path.join(self.tmp, "onnx-worker-%s.log" % name)
            with harness.Worker(os.path.join(self.out, s["model_dir"]), "ONNX", log_path,
                                command=harness.onnx_worker()) as w:
                status, answer = w.post(body, "application/json", path="/v2/models/model/infer")
                self.assertEqual(status, 200, answer)
                data = answer["outputs"][0]["data"]
                expected = [v for e in entries for v in e["outputs"]]
                self.assertEqual(len(data), len(expected), name)
                worst = max(abs(a - b) for a, b in zip(data, expected))
                self.assertLessEqual(worst, tolerance, "%s: ONNX Runtime differs from PyTorch by %g" % (name, worst))
                if name == "onnx_iris":
                    records = [e["features"] for e in entries]
                    status, answer = w.post(json.dumps({"data": {"req_data": records}}).encode("utf-8"),
                                            "application/json")
                    self.assertEqual(status, 200, answer)
                    for e, row in zip(entries, answer["data"]["resp_data"]):
                        for a, b in zip(row["probabilities"], e["outputs"]):
                            self.assertLessEqual(abs(a - b), tolerance)

    @unittest.skipUnless(harness.worker_available(), "runtimes/python/infera_worker.py not present")
    def test_worker_answers_as_expected_over_http(self):
        failures = harness.check_worker(self.out, self.expected, self.tmp)
        self.assertEqual(failures, [])


if __name__ == "__main__":
    unittest.main()
