import os
import shutil

import pytest
from django.test.utils import override_settings

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium; without it they are skipped with the reason."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request):
    """SQLite tests use a file, not Django's default in-memory database.

    With an in-memory database the live server's threads share the test thread's one
    connection: a request still running from the previous browser test could then use it at the
    same time as the next test's set-up, and that test found itself signed out. With a file,
    each thread has its own connection, as gunicorn's workers do. (xdist adds its suffix.)
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(settings.VAR_DIR / "test-guilde.sqlite3")
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests check behaviour, not hashing cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fresh_search_statistics():
    """The search remembers how frequent each word is, per process; each test has its own rows."""
    from guilde.core import search

    search.clear_caches()


@pytest.fixture(autouse=True, scope="session")
def _private_page_cache(tmp_path_factory):
    """Without Redis the page cache and the jobs' progress are folders (var/page-cache,
    var/progress): each test process gets its own, not the development server's, nor another
    run's or another xdist worker's."""
    from django.conf import settings

    caches = dict(settings.CACHES)
    for alias in ("pages", "progress"):
        if caches[alias]["BACKEND"].endswith("FileBasedCache"):
            caches[alias] = {**caches[alias], "LOCATION": str(tmp_path_factory.mktemp(alias))}
    with override_settings(CACHES=caches):
        yield
