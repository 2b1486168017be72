from datetime import timedelta

from django.template import Context, Template
from django.utils import timezone, translation


def _relative(value):
    return Template("{% load guilde %}{% relative_time value %}").render(Context({"value": value}))


def test_relative_time_says_just_now_under_a_minute():
    html = _relative(timezone.now() - timedelta(seconds=5))

    assert ">just now</time>" in html


def test_relative_time_says_just_now_in_french():
    with translation.override("fr"):
        html = _relative(timezone.now())

    assert ">à l\u2019instant</time>" in html


def test_relative_time_counts_minutes_from_one_minute():
    html = _relative(timezone.now() - timedelta(minutes=3))

    assert ">3\xa0minutes ago</time>" in html


def test_relative_time_shows_the_date_after_a_week():
    value = timezone.now() - timedelta(days=10)

    html = _relative(value)

    assert "ago" not in html
    assert f'datetime="{timezone.localtime(value).isoformat()}"' in html


def test_relative_time_without_a_value_shows_a_dash():
    assert _relative(None).strip() == "—"
