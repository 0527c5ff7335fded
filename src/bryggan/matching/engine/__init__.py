"""The matching engine: stable matching of students to units within supervisors' capacity.

Pure Python, no Django (an import-linter contract keeps it so). The model parses and
validates an instance, the algorithm solves it (student- or unit-optimal deferred
acceptance), the checker verifies any result independently, and explain says, for every
student, why they did not get a unit they ranked higher.
"""

from bryggan.matching.engine.algorithm import solve
from bryggan.matching.engine.checker import CheckReport, check
from bryggan.matching.engine.explain import explain
from bryggan.matching.engine.model import Instance, InstanceError, Result, ResultError

__all__ = [
    "CheckReport",
    "Instance",
    "InstanceError",
    "Result",
    "ResultError",
    "check",
    "explain",
    "solve",
]
