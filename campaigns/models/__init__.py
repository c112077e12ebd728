from .assignment import (
    AssignmentRun,
    AssignmentShortfall,
    CallAssignment,
    CallDay,
    PresidentRotation,
    RotationSync,
)
from .calls import CallLog, CallNeed, FollowUp, NeedCategory, RosterReport
from .messages import Message

__all__ = [
    "AssignmentRun",
    "AssignmentShortfall",
    "CallAssignment",
    "CallDay",
    "CallLog",
    "CallNeed",
    "FollowUp",
    "Message",
    "NeedCategory",
    "PresidentRotation",
    "RosterReport",
    "RotationSync",
]
