"""Top-level ``import log`` shim (the ModelArts PyTorch docs example and competition templates)."""
from model_service.log import getLogger  # noqa: F401  (re-exported)
