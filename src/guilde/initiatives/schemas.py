"""The initiatives API's explicit input and output shapes."""

from datetime import date, datetime

from ninja import Field, Schema

from guilde.initiatives.models import Challenge, Initiative, Pledge


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class ChallengeOut(Schema):
    id: int
    title: str
    description: str
    pillar_id: int
    pillar: str
    affected: str
    author: str
    status: str
    decision_reason: str
    vote_count: int
    comment_count: int
    created_at: datetime

    @staticmethod
    def resolve_pillar(obj: Challenge) -> str:
        return obj.pillar.name

    @staticmethod
    def resolve_author(obj: Challenge) -> str:
        return obj.author.full_name


class ChallengeIn(Schema):
    title: str = Field(..., min_length=1, max_length=160)
    pillar_id: int
    description: str = ""
    affected: str = Field("", max_length=200)


class ChallengeFilters(Schema):
    status: str = ""
    pillar: int | None = None
    q: str = Field("", max_length=100)


class InitiativeOut(Schema):
    id: int
    title: str
    goal: str
    expected_outcome: str
    pillar_id: int
    pillar: str
    kind: str
    status: str
    status_reason: str
    effort_hours: int
    spent_minutes: int
    remaining_minutes: int
    value: int
    rank: int
    start_date: date | None
    target_date: date | None
    lead_id: int | None
    challenge_id: int | None
    outcome: str
    is_archived: bool
    version: int = Field(description="Send it back with PATCH: a stale version is refused with 409.")

    @staticmethod
    def resolve_pillar(obj: Initiative) -> str:
        return obj.pillar.name


class InitiativeIn(Schema):
    title: str = Field(..., min_length=1, max_length=160)
    goal: str = Field(..., min_length=1)
    pillar_id: int
    kind: str = "workshop"
    effort_hours: int = Field(..., ge=1, le=2000)
    expected_outcome: str = ""
    value: int = Field(3, ge=1, le=5)
    start_date: date | None = None
    target_date: date | None = None
    skills: list[str] = []
    challenge_id: int | None = None


class InitiativePatch(Schema):
    version: int
    title: str | None = Field(None, min_length=1, max_length=160)
    goal: str | None = None
    expected_outcome: str | None = None
    kind: str | None = None
    effort_hours: int | None = Field(None, ge=1, le=2000)
    value: int | None = Field(None, ge=1, le=5)
    rank: int | None = Field(None, ge=1, le=10000)
    start_date: date | None = None
    target_date: date | None = None
    skills: list[str] | None = None


class MoveIn(Schema):
    status: str
    version: int
    reason: str = ""
    outcome: str = ""


class InitiativeFilters(Schema):
    status: str = ""
    pillar: int | None = None
    q: str = Field("", max_length=100)
    mine: bool = False


class PledgeOut(Schema):
    id: int
    initiative_id: int
    member_id: int
    volunteer: str
    minutes_per_week: int
    start: date
    end: date

    @staticmethod
    def resolve_volunteer(obj: Pledge) -> str:
        return obj.member.user.full_name


class PledgeIn(Schema):
    minutes_per_week: int = Field(..., ge=1, le=600)
    start: date
    end: date


class CheckInOut(Schema):
    id: int
    initiative_id: int
    author_id: int
    note: str
    minutes_spent: int
    week: date
    created_at: datetime


class CheckInIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000)
    minutes_spent: int = Field(..., ge=0, le=600)
    week: date | None = None


class SuggestionOut(Schema):
    member_id: int
    name: str
    free_minutes_per_week: int
    minutes_by_target: int
    matching_tags: list[str]


class PlanInitiativeOut(Schema):
    id: int
    title: str
    pillar_id: int
    priority: int
    fits: bool
    needed_minutes: int
    available_minutes: int
    target_date: date | None
    reason: str
    split_minutes: int
    earliest_date: date | None
    suggestions: list[SuggestionOut]


class WeekOut(Schema):
    start: date
    demand_minutes: int
    pledged_minutes: int
    capacity_minutes: int
    free_minutes: int


class PillarLoadOut(Schema):
    pillar_id: int
    demand_minutes: list[int]
    pledged_minutes: list[int]


class PlanOut(Schema):
    today: date
    what_if: bool
    weeks: list[WeekOut]
    pillars: list[PillarLoadOut]
    initiatives: list[PlanInitiativeOut]


class OverworkOut(Schema):
    member_id: int
    name: str
    weeks_over: int = Field(description="Weeks, of the last 4 full ones, with 1.5 times the pledged time or more.")
    spent_minutes: int
    pledged_minutes: int


class SinglePersonOut(Schema):
    initiative_id: int
    title: str
    person: str


class CareOut(Schema):
    overwork: list[OverworkOut]
    single_person: list[SinglePersonOut]


class PlanQuery(Schema):
    weeks: int = Field(12, ge=4, le=26)
    initiative: int | None = Field(None, description="What-if: the initiative to change.")
    add_minutes: int = Field(0, ge=0, le=600, description="What-if: a volunteer joins it with these minutes a week.")
    estimate: int | None = Field(None, ge=1, le=2000, description="What-if: its new effort estimate in hours.")
