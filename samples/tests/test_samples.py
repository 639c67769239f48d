"""Builds the sample packages into a temporary folder and checks them.

    /usr/bin/python3 -m unittest discover -s samples/tests

Checks: the package layout, held-out accuracy, that expected.json agrees with predictions
recomputed straight from the saved artefacts, that the build is deterministic, that each
customize_service.py returns the expected answers in process, and (when
runtimes/python/infera_worker.py exists) over HTTP through the worker.
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

    @unittest.skipUnless(harness.worker_available(), "runtimes/python/infera_worker.py not present")
    def test_worker_answers_as_expected_over_http(self):
        failures = harness.check_worker(self.out, self.expected, self.tmp)
        self.assertEqual(failures, [])


if __name__ == "__main__":
    unittest.main()
