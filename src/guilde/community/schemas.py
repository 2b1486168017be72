"""The members API's explicit input and output shapes."""

from datetime import date

from ninja import Field, Schema

from guilde.community.models import Member


class MemberOut(Schema):
    id: int
    full_name: str
    email: str
    job_title: str
    role_family: str
    team: str
    brand: str
    region: str
    timezone: str
    languages: list[str]
    skills: list[str]
    interests: list[str]
    weekly_minutes: int
    is_volunteer: bool
    joined_on: date
    bio: str
    is_active: bool

    @staticmethod
    def resolve_full_name(obj: Member) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj: Member) -> str:
        return obj.user.email

    @staticmethod
    def resolve_timezone(obj: Member) -> str:
        return obj.user.timezone

    @staticmethod
    def resolve_is_active(obj: Member) -> bool:
        return obj.user.is_active

    @staticmethod
    def resolve_skills(obj: Member) -> list[str]:
        return [tag.name for tag in obj.skills.all()]

    @staticmethod
    def resolve_interests(obj: Member) -> list[str]:
        return [tag.name for tag in obj.interests.all()]


class MyProfileOut(MemberOut):
    language: str
    version: int = Field(description="Send it back with PATCH /me: a stale version is refused with 409.")

    @staticmethod
    def resolve_language(obj: Member) -> str:
        return obj.user.language


class MemberFilters(Schema):
    q: str = Field("", max_length=100, description="Name, job title, skill or interest.")
    role_family: str = ""
    region: str = ""
    brand: str = ""
    volunteer: bool | None = None


class ProfileIn(Schema):
    """Only the fields sent are changed; `version` is the one read from GET /me."""

    version: int
    full_name: str | None = Field(None, min_length=1, max_length=150)
    job_title: str | None = Field(None, max_length=120)
    role_family: str | None = None
    team: str | None = Field(None, max_length=120)
    brand: str | None = Field(None, max_length=120)
    region: str | None = None
    timezone: str | None = None
    language: str | None = None
    languages: list[str] | None = None
    skills: list[str] | None = None
    interests: list[str] | None = None
    weekly_minutes: int | None = Field(None, ge=0, le=600)
    is_volunteer: bool | None = None
    bio: str | None = None


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]
