from django.urls import path

from guilde.core.pagecache import cached_page
from guilde.rituals import views

app_name = "rituals"
urlpatterns = [
    path("", cached_page(views.index), name="index"),
    path("rituals/new/", views.ritual_create, name="ritual_create"),
    path("rituals/<int:pk>/", views.ritual_detail, name="ritual"),
    path("rituals/<int:pk>/edit/", views.ritual_edit, name="ritual_edit"),
    path("rituals/<int:pk>/add-session/", views.session_add, name="session_add"),
    path("rituals/<int:pk>/calendar.ics", views.ritual_feed, name="ritual_feed"),
    path("s/<int:pk>/", cached_page(views.session_detail), name="session"),
    path("s/<int:pk>/event.ics", views.session_ics, name="session_ics"),
    path("s/<int:pk>/rsvp/", views.session_rsvp, name="session_rsvp"),
    path("s/<int:pk>/checkin/", views.session_checkin, name="session_checkin"),
    path("s/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("s/<int:pk>/rate/", views.session_rate, name="session_rate"),
    path("s/<int:pk>/move/", views.session_move, name="session_move"),
    path("s/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("s/<int:pk>/recap/", views.session_recap, name="session_recap"),
    path("s/<int:pk>/announce/", views.session_announce, name="session_announce"),
    path("s/<int:pk>/unschedule/<int:topic_pk>/", views.unschedule, name="unschedule"),
    path("plan/", cached_page(views.plan), name="plan"),
    path("plan/schedule/", views.schedule, name="schedule"),
    path("slots/", views.slot_finder, name="slots"),
    path("topics/", cached_page(views.topic_list), name="topics"),
    path("topics/new/", views.topic_create, name="topic_create"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/vote/", views.topic_vote, name="topic_vote"),
    path("topics/<int:pk>/decide/", views.topic_decide, name="topic_decide"),
    path("me/", views.my_sessions, name="me"),
    path("me/feed/", views.my_feed, name="my_feed"),
    path("feed/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("events/", views.events, name="events"),
    path("events/subscribe/", views.events_subscribe, name="events_subscribe"),
    path("events/propose/", views.events_propose, name="events_propose"),
    path("events/contact/", views.events_contact, name="events_contact"),
    path("events/confirm/<str:token>/", views.confirm_subscription, name="confirm_subscription"),
    path("events/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
