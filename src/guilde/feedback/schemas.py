"""Explicit input and output schemas of the feedback API."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class FeedbackIn(Schema):
    title: str = Field(max_length=200)
    problem: str
    source: str
    evidence: str = ""
    links: list[str] = []
    account_id: int | None = None
    contact_name: str = ""
    impact: str = ""
    product_area_id: int | None = None
    language: str = "en"
    tags: list[str] = []
    external_id: str = ""


class FeedbackListFilters(Schema):
    status: list[str] = []
    area: int | None = None
    source: str = ""
    segment: int | None = None
    account: int | None = None
    team: str = ""
    quality_min: int | None = None
    quality_max: int | None = None
    q: str = ""
    sort: str = "newest"
    cursor: str = ""
    page_size: int = Field(50, ge=1, le=200)


class FeedbackOut(Schema):
    id: int
    title: str
    status: str
    source: str
    impact: str
    language: str
    product_area_id: int | None
    account_id: int | None
    account_name: str | None
    contact_name: str
    submitter_id: int | None
    submitter_team: str
    quality_score: int
    quality_missing: list[str]
    supporter_count: int
    received_at: datetime
    processed_at: datetime | None
    resolved_at: datetime | None
    loop_closed_at: datetime | None
    duplicate_of_id: int | None
    version: int
    # Confidential: null unless the caller is on the product side or owns the account.
    segment_id: int | None = None
    plan: str | None = None
    arr: Decimal | None = None
    currency: str | None = None


class FeedbackDetailOut(FeedbackOut):
    problem: str
    evidence: str
    links: list[str]
    tags: list[str]
    decline_reason: str
    answer: str
    opportunity_ids: list[int]


class FeedbackPageOut(Schema):
    items: list[FeedbackOut]
    next_cursor: str | None


class StatusIn(Schema):
    status: str
    version: int
    note: str = ""
    reason: str = ""
    answer: str = ""


class LinkIn(Schema):
    opportunity_id: int


class LinkOut(Schema):
    feedback_id: int
    opportunity_id: int


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]
