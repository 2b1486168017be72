"""The rituals API's explicit input and output shapes."""

from datetime import datetime, time

from ninja import Field, Schema

from guilde.rituals.models import Session, Topic


class RitualOut(Schema):
    id: int
    name: str
    purpose: str
    weekday: int
    interval_weeks: int
    local_time: time
    timezone: str
    duration_minutes: int
    topic_slots: int
    capacity: int | None
    visibility: str
    is_active: bool


class TopicBrief(Schema):
    id: int
    title: str
    slot: int | None


class SessionOut(Schema):
    id: int
    ritual_id: int
    ritual: str
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    sequence: int
    going_count: int
    my_rsvp: str | None
    replay_url: str
    topics: list[TopicBrief]

    @staticmethod
    def resolve_ritual(obj: Session) -> str:
        return obj.ritual.name

    @staticmethod
    def resolve_topics(obj: Session) -> list[Topic]:
        return list(obj.ordered_topics)  # type: ignore[attr-defined]


class TopicOut(Schema):
    id: int
    title: str
    description: str
    format: str
    duration_minutes: int
    languages: list[str]
    status: str
    vote_count: int
    has_voted: bool
    pillar_id: int | None
    session_id: int | None
    speakers: list[str]
    is_external: bool

    @staticmethod
    def resolve_speakers(obj: Topic) -> list[str]:
        return [speaker.full_name for speaker in obj.speakers.all()]


class TopicIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    pillar_id: int | None = None
    format: str = "talk"
    duration_minutes: int = Field(30, ge=5, le=240)
    languages: list[str] = []


class TopicFilters(Schema):
    status: str = ""
    pillar: int | None = None
    q: str = Field("", max_length=100)


class RsvpIn(Schema):
    status: str = Field(..., description="going, maybe or not_going")


class RsvpOut(Schema):
    session_id: int
    status: str
    waitlisted: bool


class VoteOut(Schema):
    topic_id: int
    voted: bool
    vote_count: int


class ErrorOut(Schema):
    detail: str
