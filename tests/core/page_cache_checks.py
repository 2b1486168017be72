"""What every app's page-cache tests share: a signed-in browser with its CSRF cookie, timed reads."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# A page served from the cache reads the session, the user and the data version, nothing else.
HIT_QUERIES = 3


def signed_in(user, warm_url: str, *, csrf_from: Client | None = None) -> Client:
    """A signed-in client holding a CSRF cookie, as a browser does after its first page.

    `csrf_from` gives it another browser's cookie: the same cookie, another person.
    """
    client = Client()
    client.force_login(user)
    if csrf_from is not None:
        client.cookies["csrftoken"] = csrf_from.cookies["csrftoken"].value
    else:
        client.get(warm_url)
        assert client.cookies.get("csrftoken"), "the page sets no CSRF cookie: it can never be cached"
    return client


def fetch(client: Client, url: str, *, status: int = 200, **kwargs):
    """The response and how many queries it took."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code)
    return response, len(captured.captured_queries)


def assert_served_from_cache(client: Client, url: str, **kwargs) -> bytes:
    """The second read of a page re-sends the first one's bytes without running the view."""
    first, built = fetch(client, url, **kwargs)
    again, served = fetch(client, url, **kwargs)
    assert again.content == first.content
    assert served == HIT_QUERIES < built, (url, served, built)
    return again.content


def assert_built(client: Client, url: str, **kwargs) -> str:
    """The page is built again (not a hit); its text."""
    response, queries = fetch(client, url, **kwargs)
    assert queries > HIT_QUERIES, (url, queries)
    return response.content.decode()
