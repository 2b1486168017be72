"""The members API: /api/members. Same selectors and services as the pages."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from guilde.community import selectors, services
from guilde.community.schemas import (
    ErrorOut,
    MemberFilters,
    MemberOut,
    MyProfileOut,
    ProfileIn,
    ValidationErrorOut,
)
from guilde.core.concurrency import ConcurrentEditError
from guilde.core.viewhelpers import error_text

router = Router()


def _own_profile(request: HttpRequest) -> Any:
    member = selectors.member_of(user=request.user)
    if member is None:
        services.ensure_member(user=request.user)
        member = selectors.member_of(user=request.user)
    return member


def _field_errors(error: ValidationError) -> dict[str, Any]:
    items = error.message_dict.items() if hasattr(error, "error_dict") else [("__all__", error.messages)]
    return {
        "detail": [
            {"loc": ["body", "payload", field], "msg": message, "type": "value_error"}
            for field, messages in items
            for message in messages
        ]
    }


@router.get("", response=list[MemberOut], summary="List members")
@paginate(PageNumberPagination, page_size=selectors.DIRECTORY_PAGE_SIZE)
def list_members(request: HttpRequest, filters: Query[MemberFilters]) -> Any:
    """Members you may see, filtered like the directory, 25 a page, in name order."""
    return selectors.directory_queryset(viewer=request.user, **filters.dict())


@router.get("/me", response=MyProfileOut, summary="My profile")
def my_profile(request: HttpRequest) -> Any:
    return _own_profile(request)


@router.patch(
    "/me",
    response={200: MyProfileOut, 409: ErrorOut, 422: ValidationErrorOut},
    summary="Update my profile",
)
def update_my_profile(request: HttpRequest, payload: ProfileIn) -> Any:
    """Changes the fields sent. Send the `version` from GET /me; if the profile changed since, 409."""
    member = _own_profile(request)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    try:
        services.update_profile(actor=request.user, member=member, data=data, version=version)
    except ConcurrentEditError as error:
        return 409, {"detail": error_text(error)}
    except ValidationError as error:
        return 422, _field_errors(error)
    return 200, selectors.member_of(user=request.user)


@router.get("/{member_id}", response=MemberOut, summary="One member")
def member_detail(request: HttpRequest, member_id: int) -> Any:
    return selectors.member_for(viewer=request.user, pk=member_id)
