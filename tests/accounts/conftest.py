import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts attempts in the cache; each test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_sso(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    settings.SIGNUP_ALLOWED_DOMAINS = []
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
