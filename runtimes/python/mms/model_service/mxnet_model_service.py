"""``mms.model_service.mxnet_model_service.MXNetBaseService`` stub: MXNet cannot run here."""
from model_service.model_service import (EngineNotSupportedError, SingleNodeService,
                                         overrides_inference)


class MXNetBaseService(SingleNodeService):

    def __init__(self, model_name, model_path, *args, **kwargs):
        self.model_name = model_name
        self.model_path = model_path
        if not overrides_inference(self, MXNetBaseService):
            raise EngineNotSupportedError("MXNet")

    def _inference(self, data):
        raise EngineNotSupportedError("MXNet")
