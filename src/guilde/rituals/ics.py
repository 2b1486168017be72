"""iCalendar output: feeds, single-event downloads and e-mail invitations.

Each session keeps one UID for its whole life and a SEQUENCE raised on every change, so calendar
clients update or cancel the event they already have instead of adding a second one.
"""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from guilde.rituals.models import Session

PRODID = "-//Guilde//Sessions//EN"


def _description(session: Session, link: str) -> str:
    lines = [f"• {topic.title}" for topic in getattr(session, "ordered_topics", None) or session.topics.all()]
    if session.ritual.purpose:
        lines.append("")
        lines.append(session.ritual.purpose)
    lines.append("")
    lines.append(link)
    return "\n".join(lines)


def session_event(
    session: Session, *, link: str, include_video: bool, organizer: str = "", attendee: Any = None
) -> Event:
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("sequence", session.sequence)
    event.add("summary", str(session))
    event.add("description", _description(session, link))
    event.add("url", link)
    event.add("last-modified", session.updated_at)
    if include_video and session.ritual.video_url:
        event.add("location", session.ritual.video_url)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    if organizer:
        event.add("organizer", vCalAddress(f"mailto:{organizer}"))
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.full_name or attendee.email)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", address, encode=False)
    return event


def calendar(
    sessions: Iterable[Session],
    *,
    name: str,
    link_for: Any,
    include_video: bool,
    method: str = "",
    organizer: str = "",
    attendee: Any = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per session; `method` is REQUEST or CANCEL for invitations."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    for session in sessions:
        cal.add_component(
            session_event(
                session, link=link_for(session), include_video=include_video, organizer=organizer, attendee=attendee
            )
        )
    return cal.to_ical()
