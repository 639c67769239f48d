"""``XgSklServingBaseService``: the base class of scikit-learn and XGBoost packages.

Machine-learning packages receive the raw request body (bytes) and return a list that the worker
wraps as ``{"data": {"resp_data": ...}}``. The ModelArts docs spell the class name
``XgSkServingBaseService`` and ``XgSkIServingBaseService``; both are accepted as aliases.
"""
import collections
import json
import threading

from model_service import log
from model_service.model_service import SingleNodeService

logger = log.getLogger(__name__)


class XgSklServingBaseService(SingleNodeService):

    def __init__(self, model_path):
        # Machine-learning bases take one argument and set nothing else (no super() call).
        self.model_path = model_path

    def _preprocess(self, data):
        # Each record of data.req_data becomes a row of its values, in the order they were sent.
        json_data = json.loads(data, object_pairs_hook=collections.OrderedDict)
        rows = []
        for record in json_data["data"]["req_data"]:
            rows.append([record[key] for key in record])
        return rows

    def _inference(self, data):
        kind, model = _load_model(self.model_path)
        if kind == "xgboost":
            import xgboost
            result = model.predict(xgboost.DMatrix(data))
        else:
            result = model.predict(data)
        return result.tolist() if hasattr(result, "tolist") else result

    def _postprocess(self, data):
        return [{"predictresult": value} for value in data]


# The docs' spellings; the same class object, so __name__ stays "XgSklServingBaseService".
XgSkServingBaseService = XgSklServingBaseService
XgSkIServingBaseService = XgSklServingBaseService


_model_cache = {}
_model_cache_lock = threading.Lock()


def _load_model(model_path):
    """Load (and cache) the model behind ``model_path``: joblib first, then an XGBoost Booster.

    The real runtime reloads on every request; caching by path keeps the same observable
    behaviour (a class that re-points self.model_path gets the new file) without the cost.
    """
    with _model_cache_lock:
        cached = _model_cache.get(model_path)
        if cached is not None:
            return cached
        try:
            import joblib
            model = joblib.load(model_path)
            kind = "xgboost" if type(model).__name__ == "Booster" else "sklearn"
        except Exception as joblib_error:
            try:
                import xgboost
                model = xgboost.Booster(model_file=model_path)
                kind = "xgboost"
            except Exception as xgboost_error:
                raise RuntimeError(
                    "cannot load model file %s: joblib.load failed (%s: %s) and "
                    "xgboost.Booster failed (%s: %s)" % (
                        model_path, type(joblib_error).__name__, joblib_error,
                        type(xgboost_error).__name__, xgboost_error))
        logger.info("loaded %s model from %s", kind, model_path)
        _model_cache[model_path] = (kind, model)
        return kind, model
