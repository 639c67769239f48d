"""Base classes shared by every engine: ``ModelService`` and ``SingleNodeService``."""
import time

from model_service import log

logger = log.getLogger(__name__)

try:  # only present when the runtime directory is on sys.path (always, under the worker)
    from metric.metrics_manager import MetricsManager
except ImportError:  # pragma: no cover - package used outside the worker
    MetricsManager = None


class ModelService(object):
    # A class attribute as well as the instance one: the engine bases and many user classes never
    # call super().__init__, yet code occasionally reads self.ctx.
    ctx = None

    def __init__(self, model_name=None, model_path=None, *args, **kwargs):
        # The real runtime only sets ctx here; model_name/model_path are stored too so a user class
        # calling super().__init__(model_name, model_path) can read them back right away.
        self.ctx = None
        if model_name is not None:
            self.model_name = model_name
        if model_path is not None:
            self.model_path = model_path

    def inference(self, data):
        raise NotImplementedError("%s does not implement inference()" % type(self).__name__)

    def ping(self):
        pass

    def signature(self):
        pass


class SingleNodeService(ModelService):
    """Runs ``_preprocess`` -> ``_inference`` -> ``_postprocess`` for each request.

    Many packages override ``inference`` itself, which is why the worker only ever calls
    ``inference``.
    """

    def inference(self, data):
        start = time.time()
        data = self._preprocess(data)
        preprocessed = time.time()
        data = self._inference(data)
        inferred = time.time()
        data = self._postprocess(data)
        done = time.time()

        pre_ms = (preprocessed - start) * 1000.0
        infer_ms = (inferred - preprocessed) * 1000.0
        post_ms = (done - inferred) * 1000.0
        # One line per request rather than three: the log is shared with every other request.
        logger.info("preprocess time: %.3f ms, inference time: %.3f ms, postprocess time: %.3f ms",
                    pre_ms, infer_ms, post_ms)
        _record_latency(getattr(self, "model_name", None), pre_ms, infer_ms, post_ms)
        return data

    def _preprocess(self, data):
        return data

    def _inference(self, data):
        raise NotImplementedError("%s does not implement _inference()" % type(self).__name__)

    def _postprocess(self, data):
        return data


def _record_latency(model_name, pre_ms, infer_ms, post_ms):
    # Mirrors the real runtime, which feeds these three metrics when user code registered them.
    metrics = getattr(MetricsManager, "metrics", None)
    if not model_name or not metrics:
        return
    for suffix, value in (("_LatencyPreprocess", pre_ms),
                          ("_LatencyInference", infer_ms),
                          ("_LatencyPostprocess", post_ms)):
        metric = metrics.get(model_name + suffix)
        if metric is not None and hasattr(metric, "update"):
            metric.update(value)


class EngineNotSupportedError(RuntimeError):
    """Raised by the base classes of engines that cannot run on an Infera node."""

    def __init__(self, engine):
        super(EngineNotSupportedError, self).__init__(
            "%s engine is not supported on this node: the package must override the engine's "
            "default inference (or use a supported engine such as PyTorch, Scikit_Learn or XGBoost)"
            % engine)
        self.engine = engine


def overrides_inference(instance, base):
    """True when the instance's class replaces the engine's default inference path.

    Used by the stubs of engines we cannot run: a package that brings its own ``inference`` or
    ``_inference`` may still work, one that relies on the engine default should fail at deploy
    time with a clear message instead of failing every request.
    """
    cls = type(instance)
    return (getattr(cls, "inference", None) is not getattr(base, "inference", None)
            or getattr(cls, "_inference", None) is not getattr(base, "_inference", None))
