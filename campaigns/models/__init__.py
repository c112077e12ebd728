from .assignment import (
    AssignmentRun,
    AssignmentShortfall,
    CallAssignment,
    CallDay,
    PresidentRotation,
    RotationSync,
)
from .calls import CallLog, CallNeed, FollowUp, NeedCategory, RosterReport
from .campaign import Answer, Campaign, CampaignAnswer, CampaignQuestion, CampaignReport
from .messages import Message
from .stats import (
    CallerDayStats,
    CallerStateDayStats,
    DistrictDayStats,
    DistrictRosterHealth,
    FollowUpDayStats,
    MandalDayStats,
)
from .tiffin import TiffinMeeting

__all__ = [
    "Answer",
    "AssignmentRun",
    "AssignmentShortfall",
    "CallAssignment",
    "CallDay",
    "CallLog",
    "CallNeed",
    "CallerDayStats",
    "CallerStateDayStats",
    "Campaign",
    "CampaignAnswer",
    "CampaignQuestion",
    "CampaignReport",
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
    "TiffinMeeting",
]
