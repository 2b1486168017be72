import pytest

from guilde.accounts.enums import Role
from tests.factories.accounts import UserFactory


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _default_definition(request):
    """The default policy and rubric come from a data migration; a transactional (browser) test that
    ran before in the same worker flushed them. Restore them, as `make run` would, for DB tests."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db" if marker and marker.kwargs.get("transaction") else "db")
    from guilde.feedback import services

    services.ensure_default_definition()


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
