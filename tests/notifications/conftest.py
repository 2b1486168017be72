import pytest

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    """Background tasks run inline, as soon as they are enqueued."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.GUILDE_BASE_URL = "https://guilde.example.com"
