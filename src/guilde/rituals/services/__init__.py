"""Writes on rituals. Keyword-only, the acting user first, one transaction each.

Services raise PermissionDenied when the actor may not act, ValidationError({field: message})
for bad input. E-mails and background work are enqueued on commit only.

One module per job; every public name is re-exported here.
"""

from guilde.rituals.services.access import is_member, may_manage
from guilde.rituals.services.attendance import (
    CHECKIN_EARLY,
    CHECKIN_LATE,
    can_rate,
    check_in,
    is_checkin_open,
    mark_attendance,
    rate_session,
    rsvp,
)
from guilde.rituals.services.calendar_feeds import calendar_feed, revoke_calendar_feed
from guilde.rituals.services.public import (
    confirm_subscription,
    contact_leads,
    propose_external_topic,
    subscribe,
    unsubscribe,
)
from guilde.rituals.services.rituals import (
    CADENCE_FIELDS,
    HORIZON_WEEKS,
    RITUAL_FIELDS,
    cadence_of,
    create_ritual,
    extend_schedule,
    update_ritual,
)
from guilde.rituals.services.sessions import (
    add_session,
    announce_session,
    cancel_session,
    move_session,
    update_session_recap,
)
from guilde.rituals.services.topics import (
    MAX_LANGUAGES,
    comment_topic,
    decide_topic,
    delete_topic_comment,
    edit_topic_comment,
    propose_topic,
    schedule_topic,
    unschedule_topic,
    update_topic,
    vote_topic,
    withdraw_vote,
)

__all__ = [
    "CADENCE_FIELDS",
    "CHECKIN_EARLY",
    "CHECKIN_LATE",
    "HORIZON_WEEKS",
    "MAX_LANGUAGES",
    "RITUAL_FIELDS",
    "add_session",
    "announce_session",
    "cadence_of",
    "calendar_feed",
    "can_rate",
    "cancel_session",
    "check_in",
    "comment_topic",
    "confirm_subscription",
    "contact_leads",
    "create_ritual",
    "decide_topic",
    "delete_topic_comment",
    "edit_topic_comment",
    "extend_schedule",
    "is_checkin_open",
    "is_member",
    "mark_attendance",
    "may_manage",
    "move_session",
    "propose_external_topic",
    "propose_topic",
    "rate_session",
    "revoke_calendar_feed",
    "rsvp",
    "schedule_topic",
    "subscribe",
    "unschedule_topic",
    "unsubscribe",
    "update_ritual",
    "update_session_recap",
    "update_topic",
    "vote_topic",
    "withdraw_vote",
]
