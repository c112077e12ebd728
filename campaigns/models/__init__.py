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
from .stats import CallerDayStats, DistrictDayStats, DistrictRosterHealth, MandalDayStats

__all__ = [
    "AssignmentRun",
    "AssignmentShortfall",
    "CallAssignment",
    "CallDay",
    "CallLog",
    "CallNeed",
    "CallerDayStats",
    "DistrictDayStats",
    "DistrictRosterHealth",
    "FollowUp",
    "MandalDayStats",
    "Message",
    "NeedCategory",
    "PresidentRotation",
    "RosterReport",
    "RotationSync",
]
