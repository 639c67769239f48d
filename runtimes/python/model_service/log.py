"""``from model_service import log; log.getLogger(__name__)`` as used by ModelArts packages."""
import logging


def getLogger(name=None):
    # The real runtime hands out plain `logging` loggers pinned at INFO; handlers live on the
    # root logger, which the worker wires to the instance log.
    logger = logging.getLogger(name)
    logger.setLevel(logging.INFO)
    return logger
