"""Every inbox table, imported in one place for Alembic and test set-up."""

from inbox_api.assignment.models import AgentState, Team, TeamChange
from inbox_api.conversations.models import BotConversation
from inbox_api.csat.models import CsatSurvey, FollowUp
from inbox_api.db import Base
from inbox_api.delivery.models import Delivery
from inbox_api.model_server.models import ModelFile
from inbox_api.nlu_review.models import ReviewItem, TrainerSnapshot, TrainingJob
from inbox_api.notifications.models import Notification
from inbox_api.privacy.models import PrivacyRun, Reveal
from inbox_api.saved_replies.models import SavedReply, SavedReplyChange
from inbox_api.sla.models import SlaEvent
from inbox_api.staff.models import Staff
from inbox_api.tickets.models import Message, StatusChange, Ticket

__all__ = [
    "AgentState",
    "Base",
    "BotConversation",
    "CsatSurvey",
    "Delivery",
    "FollowUp",
    "Message",
    "ModelFile",
    "Notification",
    "PrivacyRun",
    "Reveal",
    "ReviewItem",
    "SavedReply",
    "SavedReplyChange",
    "SlaEvent",
    "Staff",
    "StatusChange",
    "Team",
    "TeamChange",
    "Ticket",
    "TrainerSnapshot",
    "TrainingJob",
]
