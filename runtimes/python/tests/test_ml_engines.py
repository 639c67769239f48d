"""Scikit-learn and XGBoost packages: the ModelArts docs' code (seed 4.3.5, 4.3.7, 4.1.3), run
unchanged, and packages without customize_service.py served by the default class."""
import json
import os
import unittest

from harness import Worker, engines_available, make_package, remove_package

HAVE_ENGINES = engines_available("sklearn", "xgboost", "joblib", "numpy")

# Seed 4.3.7, verbatim: note `sklearn.externals.joblib` and the `XgSkServingBaseService` typo.
SKLEARN_SERVICE = '''
# coding:utf-8
import collections
import json
from sklearn.externals import joblib
from model_service.python_model_service import XgSkServingBaseService

class UserService(XgSkServingBaseService):

    # request data preprocess
    def _preprocess(self, data):
        list_data = []
        json_data = json.loads(data, object_pairs_hook=collections.OrderedDict)
        for element in json_data["data"]["req_data"]:
            array = []
            for each in element:
                array.append(element[each])
            list_data.append(array)
        return list_data

    # predict
    def _inference(self, data):
        sk_model = joblib.load(self.model_path)
        pre_result = sk_model.predict(data)
        pre_result = pre_result.tolist()
        return pre_result

    # predict result process
    def _postprocess(self,data):
        resp_data = []
        for element in data:
            resp_data.append({"predictresult": element})
        return resp_data
'''

# Seed 4.1.3's XGBoost example: the `XgSkIServingBaseService` spelling and "predict_result".
XGBOOST_SERVICE = '''
# coding:utf-8
import collections
import json
import xgboost as xgb
from model_service.python_model_service import XgSkIServingBaseService

class UserService(XgSkIServingBaseService):

    # request data preprocess
    def _preprocess(self, data):
        list_data = []
        json_data = json.loads(data, object_pairs_hook=collections.OrderedDict)
        for element in json_data["data"]["req_data"]:
            array = []
            for each in element:
                array.append(element[each])
            list_data.append(array)
        return list_data

    # predict
    def _inference(self, data):
        xg_model = xgb.Booster(model_file=self.model_path)
        pre_data = xgb.DMatrix(data)
        pre_result = xg_model.predict(pre_data)
        pre_result = pre_result.tolist()
        return pre_result

    # predict result process
    def _postprocess(self, data):
        resp_data = []
        for element in data:
            resp_data.append({"predict_result": element})
        return resp_data
'''

# Real config.json files carry comments, typos and pip dependencies; none of it may matter.
CONFIG = '''{
    // exported from ModelArts
    "model_type": "%s",
    "model_algorithm": "predict_analysis",
    "apis": [{"procotol": "http", "url": "/", "method": "post",
              "request": {"Content-type": "applicaton/json"}}],
    "dependencies": [{"installer": "pip", "packages": [
        {"restraint": "EXACT", "package_version": "0.22.1", "package_name": "scikit-learn"}]}]
}
'''

RECORDS = [
    {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
    {"sepal_length": 6.2, "sepal_width": 2.9, "petal_length": 4.3, "petal_width": 1.3},
    {"sepal_length": 7.7, "sepal_width": 3.0, "petal_length": 6.1, "petal_width": 2.3},
]
ROWS = [list(r.values()) for r in RECORDS]


def _train(tmp_dir):
    """Train on sklearn's bundled iris; returns (sklearn .m bytes, xgboost .m bytes, expectations)."""
    import joblib
    import xgboost as xgb
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression

    iris = load_iris()
    sk_model = LogisticRegression(C=1000.0, random_state=0, max_iter=1000)
    sk_model.fit(iris.data, iris.target)
    sk_path = os.path.join(tmp_dir, "sklearn.m")
    joblib.dump(sk_model, sk_path)

    params = {"booster": "gbtree", "objective": "multi:softmax", "num_class": 3, "max_depth": 3,
              "eta": 0.3, "seed": 1000, "nthread": 1}
    booster = xgb.train(params, xgb.DMatrix(iris.data, iris.target), 10)
    xg_path = os.path.join(tmp_dir, "xgboost.m")
    booster.save_model(xg_path)

    with open(sk_path, "rb") as f:
        sk_bytes = f.read()
    with open(xg_path, "rb") as f:
        xg_bytes = f.read()
    return (sk_bytes, xg_bytes, sk_model.predict(ROWS).tolist(),
            booster.predict(xgb.DMatrix(ROWS)).tolist())


@unittest.skipUnless(HAVE_ENGINES, "Debian python3-sklearn / python3-xgboost not installed")
class MachineLearningTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        import tempfile
        tmp = tempfile.mkdtemp(prefix="infera-ml-train-")
        sk_bytes, xg_bytes, cls.sk_expected, cls.xg_expected = _train(tmp)
        assert len(set(cls.sk_expected)) > 1, "fixture should predict several classes"
        cls.packages = {
            "sklearn": make_package({"config.json": CONFIG % "Scikit_Learn",
                                     "customize_service.py": SKLEARN_SERVICE,
                                     "sklearn.m": sk_bytes}),
            "xgboost": make_package({"config.json": CONFIG % "XGBoost",
                                     "customize_service.py": XGBOOST_SERVICE,
                                     "xgboost.m": xg_bytes}),
            # No customize_service.py: the default class and its default hooks serve the model.
            "sklearn_default": make_package({"config.json": CONFIG % "Scikit_Learn",
                                             "model.m": sk_bytes}),
            "xgboost_default": make_package({"config.json": CONFIG % "XGBoost",
                                             "xgboost.m": xg_bytes}),
        }
        # Started together (they are independent processes) to keep the suite quick. The
        # *_default packages get no INFERA_MODEL_TYPE: config.json (with comments) decides.
        cls.workers = {
            "sklearn": Worker(cls.packages["sklearn"], "Scikit_Learn"),
            "xgboost": Worker(cls.packages["xgboost"], "XGBoost"),
            "sklearn_default": Worker(cls.packages["sklearn_default"]),
            "xgboost_default": Worker(cls.packages["xgboost_default"]),
        }
        for worker in cls.workers.values():
            worker.wait_ready()

    @classmethod
    def tearDownClass(cls):
        for worker in cls.workers.values():
            worker.stop()
        for model_dir in cls.packages.values():
            remove_package(model_dir)

    def _predict(self, name, payload):
        status, _, body = self.workers[name].post_json("/", payload)
        return status, json.loads(body)

    def test_seed_sklearn_package(self):
        status, body = self._predict("sklearn", {"data": {"req_data": RECORDS}})
        self.assertEqual(200, status, body)
        self.assertEqual({"data": {"resp_data": [{"predictresult": v} for v in self.sk_expected]}},
                         body)

    def test_seed_xgboost_package(self):
        status, body = self._predict("xgboost", {"data": {"req_data": RECORDS}})
        self.assertEqual(200, status, body)
        self.assertEqual(
            {"data": {"resp_data": [{"predict_result": v} for v in self.xg_expected]}}, body)

    def test_default_class_without_customize_service(self):
        status, body = self._predict("sklearn_default", {"data": {"req_data": RECORDS}})
        self.assertEqual(200, status, body)
        self.assertEqual({"data": {"resp_data": [{"predictresult": v} for v in self.sk_expected]}},
                         body)
        # joblib cannot read an XGBoost model file; the default falls back to xgboost.Booster.
        status, body = self._predict("xgboost_default", {"data": {"req_data": RECORDS}})
        self.assertEqual(200, status, body)
        self.assertEqual({"data": {"resp_data": [{"predictresult": v} for v in self.xg_expected]}},
                         body)

    def test_meta_is_echoed_first(self):
        meta = {"uuid": "10eb0091-887f-4839-9929-cbc884f1e20e"}
        status, headers, raw = self.workers["sklearn"].post_json(
            "/", {"meta": meta, "data": {"req_data": RECORDS[:1]}})
        self.assertEqual(200, status)
        self.assertTrue(raw.startswith(b'{"meta": '), raw)
        self.assertEqual({"meta": meta,
                          "data": {"resp_data": [{"predictresult": self.sk_expected[0]}]}},
                         json.loads(raw))

    def test_body_that_is_not_json_is_py0101(self):
        status, _, body = self.workers["sklearn"].request(
            "POST", "/", b"sepal_length=5.1", {"Content-Type": "application/json"})
        self.assertEqual(500, status)
        self.assertEqual({"erno": "PY.0101", "msg": "The input data is invalid"}, json.loads(body))

    def test_keyerror_is_400_and_other_errors_500_with_traceback(self):
        status, body = self._predict("sklearn", {"data": {}})
        self.assertEqual(400, status)
        self.assertEqual(("PY.0105", "Predict failed"), (body["erno"], body["msg"]))
        self.assertIn("KeyError: 'req_data'", body["error_info"])
        # Wrong number of features: sklearn raises ValueError.
        status, body = self._predict("sklearn", {"data": {"req_data": [{"a": 1}]}})
        self.assertEqual(500, status)
        self.assertEqual("PY.0105", body["erno"])
        self.assertIn("ValueError", body["error_info"])
        status, body = self._predict("sklearn", {"data": {"req_data": RECORDS[:1]}})
        self.assertEqual(200, status)

    def test_model_path_is_the_m_file(self):
        # The ML runtime picks *.m; the sklearn package would fail to predict otherwise.
        stderr = self.workers["sklearn"].stderr()
        self.assertIn("model_path=%s" % os.path.join(self.packages["sklearn"], "sklearn.m"),
                      stderr)
        self.assertIn("config.json dependencies are not installed on this node (skipped): "
                      "scikit-learn==0.22.1", stderr)


if __name__ == "__main__":
    unittest.main()
