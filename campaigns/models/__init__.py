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
from .stats import (
    CallerDayStats,
    CallerStateDayStats,
    DistrictDayStats,
    DistrictRosterHealth,
    FollowUpDayStats,
    MandalDayStats,
)

__all__ = [
    "AssignmentRun",
    "AssignmentShortfall",
    "CallAssignment",
    "CallDay",
    "CallLog",
    "CallNeed",
    "CallerDayStats",
    "CallerStateDayStats",
    "DistrictDayStats",
    "DistrictRosterHealth",
    "FollowUp",
    "FollowUpDayStats",
    "MandalDayStats",
    "Message",
    "NeedCategory",
    "PresidentRotation",
    "RosterReport",
    "RotationSync",
]
