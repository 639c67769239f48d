"""``TfServingBaseService``: importable, but TensorFlow cannot run on an Infera node.

Some TensorFlow packages override every method (and load their own runtime), so the class must
exist. A package that relies on the default TF-Serving inference fails when it is constructed,
with an error naming the engine, instead of failing every request.
"""
from model_service import log
from model_service.model_service import (EngineNotSupportedError, SingleNodeService,
                                         overrides_inference)

logger = log.getLogger(__name__)


class TfServingBaseService(SingleNodeService):

    def __init__(self, model_name, model_path):
        self.model_name = model_name
        self.model_path = model_path
        # The real base fills these from the saved_model signature; custom code sets them itself.
        self.model_inputs = {}
        self.model_outputs = {}
        if not overrides_inference(self, TfServingBaseService):
            raise EngineNotSupportedError("TensorFlow")

    def _inference(self, data):
        raise EngineNotSupportedError("TensorFlow")
