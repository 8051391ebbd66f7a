"""reportgen: a lesson-grade statistical report from logs of die throws.

The data flows one way: ``ingest`` (bytes -> RollLog) -> ``analysis``
(RollLog -> Analysis) -> ``results`` (JSON) and ``render`` (HTML, PDF).
"""

__version__ = "0.1.0"
