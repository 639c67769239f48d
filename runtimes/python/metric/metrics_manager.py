"""``from metric.metrics_manager import MetricsManager`` shim.

Competition templates look up keys such as ``model_name + '_LatencyInference'`` in the class
attribute ``MetricsManager.metrics`` and call ``.update(ms)`` on whatever they find. Infera records
latency in the gateway instead, so an empty mapping is enough: the lookups simply miss.
"""


class MetricsManager(object):
    metrics = {}
