"""``CaffeBaseService`` stub: Caffe cannot run on an Infera node."""
from model_service.model_service import (EngineNotSupportedError, SingleNodeService,
                                         overrides_inference)


class CaffeBaseService(SingleNodeService):

    def __init__(self, model_name, model_path):
        self.model_name = model_name
        self.model_path = model_path
        if not overrides_inference(self, CaffeBaseService):
            raise EngineNotSupportedError("Caffe")

    def _inference(self, data):
        raise EngineNotSupportedError("Caffe")
