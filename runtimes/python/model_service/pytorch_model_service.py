"""``PTServingBaseService``: the base class of ModelArts PyTorch packages."""
from model_service import log
from model_service.model_service import SingleNodeService

logger = log.getLogger(__name__)


class PTServingBaseService(SingleNodeService):

    def __init__(self, model_name, model_path):
        # Like the real base this does not call super().__init__; user subclasses load the
        # network themselves and assign self.model.
        self.model_name = model_name
        self.model_path = model_path
        self.model = None

    def _inference(self, data):
        # Real packages rely on this default: run the model on each preprocessed input.
        result = {}
        for k, v in data.items():
            result[k] = self.model(v)
        return result
