"""Alias module for the ``model_service.tferving_model_service`` typo in the ModelArts docs."""
from model_service.tfserving_model_service import TfServingBaseService  # noqa: F401
