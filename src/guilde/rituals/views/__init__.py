"""Rituals views, one module per job; every view is re-exported here for urls.py and apps.py."""

from guilde.rituals.views.calendar_feeds import my_feed, personal_feed, ritual_feed, session_ics
from guilde.rituals.views.home import home_section
from guilde.rituals.views.planning import plan, schedule, slot_finder, unschedule
from guilde.rituals.views.public import (
    PUBLIC_FORM_LIMIT,
    PUBLIC_FORM_WINDOW,
    confirm_subscription,
    events,
    events_contact,
    events_propose,
    events_subscribe,
    unsubscribe,
)
from guilde.rituals.views.rituals import index, ritual_create, ritual_detail, ritual_edit
from guilde.rituals.views.sessions import (
    my_sessions,
    session_add,
    session_announce,
    session_attendance,
    session_cancel,
    session_checkin,
    session_detail,
    session_move,
    session_rate,
    session_recap,
    session_rsvp,
)
from guilde.rituals.views.topics import topic_create, topic_decide, topic_detail, topic_edit, topic_list, topic_vote

__all__ = [
    "PUBLIC_FORM_LIMIT",
    "PUBLIC_FORM_WINDOW",
    "confirm_subscription",
    "events",
    "events_contact",
    "events_propose",
    "events_subscribe",
    "home_section",
    "index",
    "my_feed",
    "my_sessions",
    "personal_feed",
    "plan",
    "ritual_create",
    "ritual_detail",
    "ritual_edit",
    "ritual_feed",
    "schedule",
    "session_add",
    "session_announce",
    "session_attendance",
    "session_cancel",
    "session_checkin",
    "session_detail",
    "session_ics",
    "session_move",
    "session_rate",
    "session_recap",
    "session_rsvp",
    "slot_finder",
    "topic_create",
    "topic_decide",
    "topic_detail",
    "topic_edit",
    "topic_list",
    "topic_vote",
    "unschedule",
    "unsubscribe",
]
