import pytest

from guilde.accounts.enums import Role
from tests.factories.accounts import UserFactory


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def ops(db):
    return UserFactory(role=Role.PRODUCT_OPS, full_name="Olivia Ops")


@pytest.fixture
def pm(db):
    return UserFactory(role=Role.MEMBER, full_name="Paul PM")


@pytest.fixture
def executive(db):
    return UserFactory(role=Role.EXECUTIVE, full_name="Eve Exec")


@pytest.fixture
def stakeholder(db):
    return UserFactory(role=Role.STAKEHOLDER, full_name="Sam Sales")


@pytest.fixture
def other_stakeholder(db):
    return UserFactory(role=Role.STAKEHOLDER, full_name="Sue Support")
