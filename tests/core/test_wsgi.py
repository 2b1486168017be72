"""The web process's WSGI application: Django's, frozen out of the garbage collector once warm."""

import gc

import pytest
from django.core.handlers.wsgi import WSGIHandler

from config import wsgi


def test_the_application_is_djangos_behind_the_freezer():
    assert isinstance(wsgi.application, wsgi.FrozenAfterWarmUp)
    assert isinstance(wsgi.application.application, WSGIHandler)


def test_objects_are_frozen_after_the_1st_10th_100th_and_1000th_request(monkeypatch):
    calls = []
    monkeypatch.setattr(gc, "collect", lambda *args: calls.append("collect"))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    served = []

    def app(environ, start_response):
        served.append(environ["n"])
        return [b"ok"]

    frozen = wsgi.FrozenAfterWarmUp(app)
    freezes_at = []
    for n in range(1, 1201):
        assert frozen({"n": n}, lambda *args: None) == [b"ok"]
        if calls:
            freezes_at.append(n)
            assert calls == ["collect", "freeze"]  # the garbage of the moment goes first
            calls.clear()
    assert freezes_at == [1, 10, 100, 1000]
    assert served == list(range(1, 1201))


def test_a_request_that_fails_still_counts(monkeypatch):
    monkeypatch.setattr(gc, "collect", lambda *args: None)
    frozen_calls = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen_calls.append(1))

    def failing(environ, start_response):
        raise RuntimeError("boom")

    frozen = wsgi.FrozenAfterWarmUp(failing)
    with pytest.raises(RuntimeError, match="boom"):
        frozen({}, lambda *args: None)
    assert frozen.served == 1
    assert frozen_calls == [1]
