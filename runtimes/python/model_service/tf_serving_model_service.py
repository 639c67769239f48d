"""Alias module: the ModelArts docs also import ``model_service.tf_serving_model_service``."""
from model_service.tfserving_model_service import TfServingBaseService  # noqa: F401
