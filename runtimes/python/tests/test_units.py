"""In-process tests of the worker's building blocks and the model_service package."""
import collections
import io
import os
import sys
import tempfile
import types
import unittest

from harness import RUNTIME_DIR, encode_multipart, engines_available

if RUNTIME_DIR not in sys.path:
    sys.path.insert(0, RUNTIME_DIR)

import infera_worker  # noqa: E402
from model_service.model_service import SingleNodeService  # noqa: E402
from model_service.pytorch_model_service import PTServingBaseService  # noqa: E402
from model_service.python_model_service import (XgSkIServingBaseService,  # noqa: E402
                                                XgSklServingBaseService, XgSkServingBaseService)


class MultipartTest(unittest.TestCase):

    def test_awkward_filenames_and_contents(self):
        boundary = "XyZ"
        body = (b"preamble to ignore\r\n"
                b"--XyZ\r\n"
                b'Content-Disposition: form-data; name="f"; filename="a;b \\"q\\".jpg"\r\n'
                b"Content-Type: image/jpeg\r\n\r\n"
                b"line1\r\n--XyZnot-a-delimiter\r\n\r\n\r\n"
                b"--XyZ\r\n"
                b"Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''%E4%B8%AD.png\r\n\r\n"
                b"zh\r\n"
                b"--XyZ\r\n"
                b'Content-Disposition: form-data; name="win"; filename="C:\\dir\\x.txt"\r\n\r\n'
                b"w\r\n"
                b"--XyZ\r\n"
                b'Content-Disposition: form-data; name="text"\r\n\r\n'
                b"\xe4\xb8\xad\xe6\x96\x87\r\n"
                b"--XyZ\r\n"
                b"Content-Type: text/plain\r\n\r\n"
                b"part without a name is dropped\r\n"
                b"--XyZ--\r\nepilogue")
        data = infera_worker.parse_multipart(body, 'multipart/form-data; boundary="%s"' % boundary)
        self.assertEqual(["f", "win", "text"], list(data))
        self.assertIsInstance(data["f"], collections.OrderedDict)
        self.assertEqual(['a;b "q".jpg', "中.png"], list(data["f"]))
        upload = data["f"]['a;b "q".jpg']
        self.assertIs(type(upload), io.BytesIO)
        self.assertEqual(0, upload.tell())
        self.assertEqual(b"line1\r\n--XyZnot-a-delimiter\r\n\r\n", upload.read())
        self.assertEqual(["C:\\dir\\x.txt"], list(data["win"]))
        self.assertEqual("中文", data["text"])

    def test_round_trip_of_binary_files(self):
        payload = bytes(range(256)) * 64
        body, ctype = encode_multipart([("k", "v")], [("img", "x.bin", payload)])
        data = infera_worker.parse_multipart(body, ctype)
        self.assertEqual(payload, data["img"]["x.bin"].getvalue())
        self.assertEqual("v", data["k"])

    def test_missing_boundary_is_invalid_input(self):
        with self.assertRaises(infera_worker.InvalidInput):
            infera_worker.build_dl_data("POST", [], "multipart/form-data", b"--x--")


class ConfigAndModelFileTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="infera-unit-")

    def _touch(self, *names):
        for name in names:
            open(os.path.join(self.dir, name), "wb").close()

    def test_config_with_comments_and_trailing_commas(self):
        with open(os.path.join(self.dir, "config.json"), "w") as f:
            f.write('{\n // c\n "model_type": "PyTorch", /* block */\n'
                    ' "url": "http://host//path", "apis": [1, 2,],\n}\n')
        config = infera_worker.read_config(self.dir)
        self.assertEqual("PyTorch", config["model_type"])
        self.assertEqual("http://host//path", config["url"])

    def test_pytorch_picks_the_pth_over_other_files(self):
        self._touch("classifier-pca.pkl", "classifier.pth", "config.json")
        self.assertEqual(os.path.join(self.dir, "classifier.pth"),
                         infera_worker.choose_model_path(self.dir, "pytorch"))

    def test_ml_order_is_m_then_pkl(self):
        self._touch("model.pkl", "config.json", "label.json")
        self.assertEqual(os.path.join(self.dir, "model.pkl"),
                         infera_worker.choose_model_path(self.dir, "scikitlearn"))
        self._touch("model.m")
        self.assertEqual(os.path.join(self.dir, "model.m"),
                         infera_worker.choose_model_path(self.dir, "xgboost"))

    def test_override_and_directory_engines(self):
        self.assertEqual(os.path.join(self.dir, "sub/w.bin"),
                         infera_worker.choose_model_path(self.dir, "pytorch", "sub/w.bin"))
        self.assertEqual(self.dir, infera_worker.choose_model_path(self.dir, "tensorflow"))
        self.assertEqual(self.dir, infera_worker.choose_model_path(self.dir, "mindspore"))


class ServiceClassTest(unittest.TestCase):

    def _module(self, **classes):
        module = types.ModuleType("customize_service")
        for name, cls in classes.items():
            cls.__module__ = "customize_service"
            setattr(module, name, cls)
        return module

    def test_dl_keeps_the_leaf_subclass(self):
        class Base(PTServingBaseService):
            pass

        class Leaf(Base):
            pass

        module = self._module(Base=Base, Leaf=Leaf, Unrelated=type("Unrelated", (), {}))
        module.PTServingBaseService = PTServingBaseService
        self.assertIs(Leaf, infera_worker.find_service_class(module, "pytorch"))

    def test_dl_falls_back_to_a_single_node_service(self):
        class Mine(SingleNodeService):
            pass

        self.assertIs(Mine, infera_worker.find_service_class(self._module(Mine=Mine), "pytorch"))

    def test_ml_needs_a_direct_child_of_the_base(self):
        class Direct(XgSkServingBaseService):
            pass

        class Grandchild(Direct):
            pass

        module = self._module(Direct=Direct, Grandchild=Grandchild)
        self.assertIs(Direct, infera_worker.find_service_class(module, "scikitlearn"))

    def test_aliases_are_the_same_class(self):
        self.assertIs(XgSklServingBaseService, XgSkServingBaseService)
        self.assertIs(XgSklServingBaseService, XgSkIServingBaseService)
        self.assertEqual("XgSklServingBaseService", XgSkServingBaseService.__name__)

    def test_constructor_arguments_follow_the_signature(self):
        class ML(XgSklServingBaseService):
            pass

        class NoArgs(SingleNodeService):
            def __init__(self):
                self.built = True

        class Repoints(PTServingBaseService):
            def __init__(self, model_name, model_path):
                self.model_path = "/elsewhere/weights.pth"

        ml = infera_worker.construct_service(ML, "serve", "/m/model.m", True)
        self.assertEqual(("/m/model.m", "serve"), (ml.model_path, ml.model_name))
        none = infera_worker.construct_service(NoArgs, "serve", "/m", False)
        self.assertEqual((True, "serve", "/m", None), (none.built, none.model_name,
                                                        none.model_path, none.ctx))
        repointed = infera_worker.construct_service(Repoints, "serve", "/m/a.pth", False)
        self.assertEqual("/elsewhere/weights.pth", repointed.model_path)  # never overwritten
        self.assertEqual("serve", repointed.model_name)


class ModelServiceTest(unittest.TestCase):

    def test_inference_runs_the_three_hooks_and_feeds_registered_metrics(self):
        from metric.metrics_manager import MetricsManager

        calls = []

        class Recorder(object):
            def update(self, value):
                calls.append(("metric", value >= 0))

        class Svc(SingleNodeService):
            def _preprocess(self, data):
                calls.append("pre")
                return data + 1

            def _inference(self, data):
                calls.append("infer")
                return data * 10

            def _postprocess(self, data):
                calls.append("post")
                return {"v": data}

        svc = Svc("m", "/p")
        MetricsManager.metrics["m_LatencyInference"] = Recorder()
        try:
            self.assertEqual({"v": 20}, svc.inference(1))
        finally:
            del MetricsManager.metrics["m_LatencyInference"]
        self.assertEqual(["pre", "infer", "post", ("metric", True)], calls)
        self.assertIsNone(svc.ping())
        self.assertIsNone(svc.signature())

    def test_ml_default_preprocess_keeps_record_order(self):
        svc = XgSklServingBaseService("/m/model.m")
        rows = svc._preprocess(b'{"data": {"req_data": [{"b": 2, "a": 1}, {"b": 4, "a": 3}]}}')
        self.assertEqual([[2, 1], [4, 3]], rows)
        self.assertEqual([{"predictresult": 1}], svc._postprocess([1]))

    def test_unsupported_engine_stubs_import_and_raise_clearly(self):
        from mms.model_service.mxnet_model_service import MXNetBaseService
        from model_service.caffe_model_service import CaffeBaseService
        from model_service.model_service import EngineNotSupportedError
        from model_service.spark_model_service import SparkServingBaseService
        from model_service.tf_serving_model_service import TfServingBaseService as Alias
        from model_service.tfserving_model_service import TfServingBaseService
        self.assertIs(Alias, TfServingBaseService)
        for cls, args, engine in ((TfServingBaseService, ("m", "/p"), "TensorFlow"),
                                  (CaffeBaseService, ("m", "/p"), "Caffe"),
                                  (MXNetBaseService, ("m", "/p"), "MXNet"),
                                  (SparkServingBaseService, ("/p",), "Spark_MLlib")):
            with self.assertRaisesRegex(EngineNotSupportedError, engine + " engine is not supported"):
                cls(*args)

        class OwnInference(TfServingBaseService):  # overrides everything: allowed to construct
            def _inference(self, data):
                return data

        self.assertEqual({"a": 1}, OwnInference("m", "/p").inference({"a": 1}))

    def test_log_shims(self):
        import log
        from model_service import log as ms_log
        self.assertEqual(20, log.getLogger("x.y").level)
        self.assertEqual(20, ms_log.getLogger("x.z").level)

    @unittest.skipUnless(engines_available("sklearn", "joblib"), "python3-sklearn not installed")
    def test_sklearn_externals_joblib_alias(self):
        import infera_compat
        import joblib
        infera_compat.install()
        from sklearn.externals import joblib as aliased
        self.assertIs(joblib, aliased)
        self.assertEqual("joblib", aliased.__spec__.name)


if __name__ == "__main__":
    unittest.main()
