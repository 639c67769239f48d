"""``SparkServingBaseService`` stub: Spark MLlib cannot run on an Infera node."""
from model_service.model_service import (EngineNotSupportedError, SingleNodeService,
                                         overrides_inference)


class SparkServingBaseService(SingleNodeService):

    def __init__(self, model_path):
        self.model_path = model_path
        # The real base opens a SparkSession here; there is none to offer.
        self.spark = None
        if not overrides_inference(self, SparkServingBaseService):
            raise EngineNotSupportedError("Spark_MLlib")

    def _inference(self, data):
        raise EngineNotSupportedError("Spark_MLlib")
